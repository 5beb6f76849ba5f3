// Runs a task over many jobs on local worker threads, at most `workers` at a time. Results come
// back in job order whatever the number of threads, so a deterministic task gives the same
// results for any `workers`. The first failure stops every thread and names its job.
import { Worker } from 'node:worker_threads';
import { serializeError, siblingModule, type SerializedError } from './task.js';
import type { FromWorker, ToWorker, WorkerData } from './messages.js';

export interface PoolRequest<J, R, P> {
  /** The module whose `task` export runs each job (see task.ts). */
  readonly task: URL;
  readonly jobs: readonly J[];
  /** Threads at most; fewer when there are fewer jobs. */
  readonly workers: number;
  /** Names a job in messages: its model, grid point and seed. */
  readonly label: (job: J, index: number) => string;
  readonly onProgress?: (index: number, value: P) => void;
  readonly onResult?: (index: number, result: R) => void;
  /** Aborting stops every thread at once; the pool then rejects with PoolAbortedError. */
  readonly signal?: AbortSignal;
}

/** A job's task threw (or its thread died): which job, and the error as the task raised it. */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
  constructor(
    readonly index: number,
    readonly label: string,
    readonly failure: SerializedError,
  ) {
    super(`${label}: ${failure.message}`);
  }
}

/** The pool was stopped from outside (Ctrl-C) before every job finished. */
export class PoolAbortedError extends Error {
  override readonly name = 'PoolAbortedError';
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super(`stopped after ${done} of ${total} run${total === 1 ? '' : 's'}`);
  }
}

const WORKER = siblingModule('./worker', import.meta.url);

/**
 * From dist/ the worker is a .js file. From source (the tests) it is TypeScript: Node 20 applies no
 * `--import` loader given in a worker's execArgv, so a one-line bootstrap registers tsx in the new
 * thread and then imports the worker.
 */
function newWorker(workerData: WorkerData): Worker {
  if (!WORKER.pathname.endsWith('.ts')) return new Worker(WORKER, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function runPool<J, R, P = never>(request: PoolRequest<J, R, P>): Promise<R[]> {
  const { jobs, signal } = request;
  if (signal?.aborted) return Promise.reject(new PoolAbortedError(0, jobs.length));
  if (jobs.length === 0) return Promise.resolve([]);
  return new Promise<R[]>((resolve, reject) => {
    const results: R[] = new Array<R>(jobs.length);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Settle only once every thread is gone, so that nothing outlives the pool.
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => (error ? reject(error) : resolve(results)));
    };
    const onAbort = () => finish(new PoolAbortedError(done, jobs.length));
    signal?.addEventListener('abort', onAbort, { once: true });

    const failed = (index: number, failure: SerializedError) => finish(new JobFailedError(index, request.label(jobs[index], index), failure));

    const start = () => {
      let current: number | undefined;
      const assign = () => {
        if (next >= jobs.length) {
          current = undefined;
          return;
        }
        current = next++;
        try {
          worker.postMessage({ type: 'run', index: current, job: jobs[current] } satisfies ToWorker);
        } catch (e) {
          failed(current, serializeError(e));
        }
      };
      const worker = newWorker({ taskModule: request.task.href });
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        try {
          if (message.type === 'ready') assign();
          else if (message.type === 'progress') request.onProgress?.(message.index, message.value as P);
          else if (message.type === 'failed') failed(message.index, message.error);
          else {
            results[message.index] = message.result as R;
            done++;
            request.onResult?.(message.index, message.result as R);
            if (done === jobs.length) finish();
            else assign();
          }
        } catch (e) {
          finish(e instanceof Error ? e : new Error(String(e)));
        }
      });
      // An exception outside the task (the task module failed to load, say) ends the thread.
      worker.on('error', (e) => {
        if (current !== undefined) failed(current, serializeError(e));
        else finish(new Error(`a worker thread failed to start: ${e.message}`, { cause: e }));
      });
      worker.on('exit', (code) => {
        const what = current !== undefined ? request.label(jobs[current], current) : 'an idle worker thread';
        finish(new Error(`${what}: the worker thread exited unexpectedly (code ${code})`));
      });
    };
    for (let i = 0; i < Math.min(request.workers, jobs.length); i++) start();
  });
}
