// `spinal worker`: takes the runs of distributed sweeps from Redis and trains them in BullMQ
// sandboxed processors (a child process per concurrency slot, ./processor.ts). It serves one
// sweep at a time, the oldest unfinished one, and stays with it until nothing of it is waiting or
// running, so that its stalled-job check gives a dead worker's run to another. Uploaded data are
// downloaded into the cache before the sweep's runs are taken.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { VERSION } from '../../package-root.js';
import { siblingModule } from '../task.js';
import { isCached, storeCached } from './data-files.js';
import { WORKER_ENV } from './failures.js';
import { ACTIVE_SWEEPS, PREFIX, queueName, SWEEP_ID, sweepKey, uploadKey, type SweepMeta } from './protocol.js';
import { connectionOptions, scrub, type RedisTarget } from './redis-url.js';

export interface WorkerOptions {
  readonly target: RedisTarget;
  /** Sandboxed processes, each training one run at a time. */
  readonly concurrency: number;
  /** Where uploaded data files are kept, by hash. */
  readonly cache: string;
  /** BullMQ's job lock (ms): a run whose worker stops renewing it is stalled after this long. */
  readonly lockDuration?: number;
  /** How often (ms) this worker looks for stalled runs to put back in the queue. */
  readonly stalledInterval?: number;
  readonly pollMs?: number;
  readonly log: (line: string) => void;
  /** Aborting stops taking runs; the running ones finish first. */
  readonly signal: AbortSignal;
}

const PROCESSOR = fileURLToPath(siblingModule('./processor', import.meta.url));
const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

export async function runWorker(options: WorkerOptions): Promise<void> {
  const { target, signal } = options;
  const name = `${hostname()}:${process.pid}`;
  const log = throttled(options.log, target);
  const redis = new Redis(connectionOptions(target));
  redis.on('error', (e: Error) => log(`redis: ${e.message}`));
  log(`spinal worker ${VERSION} (${name}): ${options.concurrency} process${options.concurrency === 1 ? '' : 'es'}, queue ${target.display}, data cache ${options.cache}`);
  let current: { sweep: string; worker: Worker; queue: Queue } | undefined;
  const release = async () => {
    if (!current) return;
    const { worker, queue } = current;
    current = undefined;
    await worker.close();
    await queue.close();
  };
  try {
    while (!signal.aborted) {
      try {
        if (current && (await pending(current.queue)) === 0) {
          log(`sweep ${current.sweep}: nothing left to run`);
          await release();
        }
        if (!current) {
          const next = await nextSweep(redis, target);
          if (next) current = await attach(next.sweep, next.meta, name, options, log);
        }
      } catch (e) {
        log(`error: ${(e as Error).message}`);
      }
      await sleep(options.pollMs ?? 500, signal);
    }
  } finally {
    if (current) log(`sweep ${current.sweep}: finishing the running runs`);
    await release().catch((e: unknown) => log(`error: ${(e as Error).message}`));
    redis.disconnect();
    log('stopped');
  }
}

/** The oldest sweep with runs waiting or running; sweeps found complete leave the active set. */
async function nextSweep(redis: Redis, target: RedisTarget): Promise<{ sweep: string; meta: SweepMeta } | undefined> {
  for (const sweep of await redis.zrange(ACTIVE_SWEEPS, '0', '-1')) {
    if (!SWEEP_ID.test(sweep)) continue;
    const text = await redis.hget(sweepKey(sweep), 'meta');
    if (text === null) continue;
    const meta = JSON.parse(text) as SweepMeta;
    const queue = new Queue(queueName(sweep), { connection: connectionOptions(target), prefix: PREFIX });
    try {
      if ((await pending(queue)) > 0) return { sweep, meta };
      const counts = await queue.getJobCounts('completed', 'failed');
      if ((counts.completed ?? 0) + (counts.failed ?? 0) >= meta.total) await redis.zrem(ACTIVE_SWEEPS, sweep);
    } finally {
      await queue.close();
    }
  }
  return undefined;
}

async function pending(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts(...PENDING);
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function attach(sweep: string, meta: SweepMeta, name: string, options: WorkerOptions, log: (line: string) => void) {
  const { target } = options;
  const redis = new Redis(connectionOptions(target));
  redis.on('error', () => {});
  try {
    for (const file of meta.uploads) {
      if (isCached(options.cache, file)) continue;
      const bytes = await redis.getBuffer(uploadKey(file.sha256));
      if (bytes === null) log(`sweep ${sweep}: the uploaded '${file.path}' is no longer in Redis`);
      else storeCached(options.cache, file, bytes);
    }
  } finally {
    redis.disconnect();
  }
  log(`sweep ${sweep}: taking runs (started with spinal ${meta.spinal}, ${meta.total} runs)`);
  const queue = new Queue(queueName(sweep), { connection: connectionOptions(target), prefix: PREFIX });
  queue.on('error', () => {});
  const worker = new Worker(queueName(sweep), PROCESSOR, {
    connection: connectionOptions(target),
    prefix: PREFIX,
    name,
    concurrency: options.concurrency,
    maxStalledCount: 2,
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
    workerForkOptions: { env: { ...process.env, [WORKER_ENV.name]: name, [WORKER_ENV.cache]: options.cache } },
  });
  const what = (job: Job | undefined) => `sweep ${sweep} ${job?.id ?? '?'}${typeof job?.data?.label === 'string' ? ` (${job.data.label as string})` : ''}`;
  worker.on('active', (job) => log(`${what(job)}: started`));
  worker.on('completed', (job) => log(`${what(job)}: done`));
  worker.on('failed', (job, e) => log(`${what(job)}: failed: ${e.message}`));
  worker.on('error', (e) => log(`error: ${e.message}`));
  return { sweep, worker, queue };
}

/** Logs each line scrubbed of the password; the same line again within 10 s is dropped (a Redis outage repeats itself). */
function throttled(log: (line: string) => void, target: RedisTarget): (line: string) => void {
  const seen = new Map<string, number>();
  return (line) => {
    const text = scrub(line, target);
    const now = Date.now();
    const last = seen.get(text);
    if (last !== undefined && now - last < 10_000) return;
    seen.set(text, now);
    log(text);
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
