// A worker thread of the local pool: loads the task module named in workerData, then runs the
// jobs the pool posts, one at a time, posting back progress, the result or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, type TaskModule } from './task.js';
import type { FromWorker, ToWorker, WorkerData } from './messages.js';

const port = parentPort;
if (!port) throw new Error('src/sweep/worker runs as a worker thread of the local pool');

const { taskModule } = workerData as WorkerData;
const loaded = (await import(taskModule)) as TaskModule<unknown, unknown, unknown>;
if (typeof loaded.task !== 'function') throw new Error(`${taskModule} exports no task function`);

const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  const { index, job } = message;
  loaded
    .task(job, { progress: (value) => post({ type: 'progress', index, value }) })
    .then(
      (result) => post({ type: 'done', index, result }),
      (e: unknown) => post({ type: 'failed', index, error: serializeError(e) }),
    );
});
post({ type: 'ready' });
