// The sandboxed processor of `spinal worker`: BullMQ runs this module in a child process of its
// own per concurrency slot and calls its default export once per job. It reads the payload
// strictly, refuses a run of another spinal version or whose data it cannot match, and runs the
// very task the local worker threads run (../train-task.ts).
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { VERSION } from '../../package-root.js';
import { task, type TrainRunResult } from '../train-task.js';
import { cachedPath, checkLocalFile } from './data-files.js';
import { decodeRun, MalformedRunError, trainJobOf } from './protocol.js';
import { FAILURE, WORKER_ENV } from './failures.js';

// When the worker process dies (SIGKILL), its children lose their channel: stop at once, so that
// the run is not finished twice (BullMQ gives it to another worker) and nothing is left writing to
// the closed channel (BullMQ's child reports each failed write as a new error, forever). The
// channel may be gone before this module loads (the worker was killed while this child started),
// so it is checked now as well as on 'disconnect'. Only in a worker's child.
if (process.env[WORKER_ENV.name] !== undefined) {
  const orphaned = () => process.kill(process.pid, 'SIGKILL');
  if (!process.connected) orphaned();
  process.on('disconnect', orphaned);
}

/** Progress is written to Redis at most this often. */
const PROGRESS_EVERY_MS = 250;

export interface QueuedRunResult extends TrainRunResult {
  readonly worker: string;
}

export default async function processRun(job: SandboxedJob): Promise<QueuedRunResult> {
  const worker = process.env[WORKER_ENV.name] ?? `pid ${process.pid}`;
  const cache = process.env[WORKER_ENV.cache] ?? '';
  let run;
  try {
    run = decodeRun(job.data);
  } catch (e) {
    if (e instanceof MalformedRunError) throw new UnrecoverableError(`${FAILURE.malformed}: job ${job.id}: ${e.message}`);
    throw e;
  }
  if (run.spinal !== VERSION) {
    throw new UnrecoverableError(`${FAILURE.refused}: worker ${worker} runs spinal ${VERSION}; the sweep was started with spinal ${run.spinal}: run workers of the same version`);
  }
  const local = new Map<string, string>();
  for (const file of run.files) {
    const path = file.source === 'upload' ? cachedPath(cache, file) : file.path;
    const problem = checkLocalFile(file, path, worker);
    if (problem) throw new UnrecoverableError(`${FAILURE.refused}: ${problem}`);
    local.set(file.path, path);
  }
  let last = 0;
  try {
    const result = await task(trainJobOf(run, (p) => local.get(p) ?? p), {
      progress: (fraction) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        void job.updateProgress(fraction);
      },
    });
    return { ...result, worker };
  } catch (e) {
    // The user's inputs (data that do not fit, a diverging run) fail the same way on any worker.
    if (e instanceof Error && e.name === 'JobError') throw new UnrecoverableError(`${FAILURE.job}: ${e.message}`);
    throw e;
  }
}
