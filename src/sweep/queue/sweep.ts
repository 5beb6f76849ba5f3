// The sweep's side of a distributed training sweep: one BullMQ job per run on a queue named
// after the sweep, then the results read back from Redis as workers finish them. Job ids are the
// runs' indexes, so enqueuing again (--resume, or after Redis lost the sweep) never adds a run
// twice, and a finished run is read, not trained again.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { VERSION } from '../../package-root.js';
import { readDataFile } from '../../data/files.js';
import type { TrainJob } from '../../train/job.js';
import { JobFailedError, PoolAbortedError } from '../local-pool.js';
import type { Runner, RunnerRequest } from '../train-sweep.js';
import type { TrainRunResult } from '../train-task.js';
import { absoluteJob, describeFiles, jobPaths, sha256 } from './data-files.js';
import { readFailure } from './failures.js';
import { ACTIVE_SWEEPS, encodeRun, PAYLOAD_FORMAT, PREFIX, queueName, runId, SWEEP_ID, sweepKey, UPLOAD_CAP_BYTES, UPLOAD_TTL_SECONDS, uploadKey, type DataFile, type QueuedRun, type SweepMeta } from './protocol.js';
import { connectionOptions, scrub, type RedisTarget } from './redis-url.js';
import { option } from '../../diagnostics/option.js';

export interface QueueSweepOptions {
  readonly target: RedisTarget;
  /** Re-attach to this sweep instead of starting one. */
  readonly resume?: string;
  /** Store the data files in Redis instead of reading them at the same path on every worker. */
  readonly upload: boolean;
  /** One line for the user (the sweep id, what happened to Redis). */
  readonly log: (line: string) => void;
  /** How long Redis may stay unreachable before the sweep stops (default 60 s). */
  readonly patienceMs?: number;
  readonly pollMs?: number;
}

/** The sweep cannot go on: Redis unreachable or lost, a resume that does not match. A problem of the setup, not a bug. */
export class QueueSweepError extends Error {
  override readonly name = 'QueueSweepError';
}

/** Ctrl-C on the sweep's side: it stops waiting; the workers go on with the sweep. */
export class QueueDetachedError extends PoolAbortedError {
  constructor(done: number, total: number, readonly sweep: string) {
    super(done, total);
    this.message = `stopped waiting after ${done} of ${total} run${total === 1 ? '' : 's'}, nothing printed; the sweep goes on on its workers: re-attach with ${option('resume')} ${sweep}`;
  }
}

const ATTEMPTS = 3;

export function queueRunner(options: QueueSweepOptions): Runner {
  return (request) => runQueued(request, options);
}

async function runQueued(request: RunnerRequest, options: QueueSweepOptions): Promise<TrainRunResult[]> {
  const { target, log } = options;
  const patience = options.patienceMs ?? 60_000;
  const pollMs = options.pollMs ?? 300;
  const jobs = request.jobs.map(absoluteJob);
  const files = describeFiles([...new Set(jobs.flatMap(jobPaths))], options.upload ? 'upload' : 'path');
  const uploaded = files.filter((f) => f.source === 'upload');
  const uploadBytes = uploaded.reduce((n, f) => n + f.bytes, 0);
  if (uploadBytes > UPLOAD_CAP_BYTES) {
    throw new QueueSweepError(`${option('upload')} stores at most ${UPLOAD_CAP_BYTES / 2 ** 20} MiB in Redis; the data is ${(uploadBytes / 2 ** 20).toFixed(1)} MiB: put it on a file system every worker sees, at the same path, and leave out ${option('upload')}`);
  }
  const payloadsFor = (sweep: string): QueuedRun[] => jobs.map((job, i) => encodeRun(sweep, i, request.label(i), job, filesOf(job, files), VERSION));
  const plan = sha256(new TextEncoder().encode(JSON.stringify(payloadsFor('plan'))));

  const redis = new Redis(connectionOptions(target));
  let lastError = '';
  redis.on('error', (e: Error) => { lastError = scrub(e.message, target); });
  const unreachable = (what: string) => new QueueSweepError(`${what} Redis at ${target.display}${lastError ? ` (${lastError})` : ''}`);
  /** Redis refusing a command (a wrong password, an ACL, out of memory) is the setup's problem, said without the password. */
  const refusal = (e: unknown, what: string): unknown => {
    if (!(e instanceof Error) || e.name !== 'ReplyError') return e;
    lastError = scrub(e.message, target);
    return unreachable(what);
  };
  let queue: Queue | undefined;
  try {
    // A wrong address should not keep the user waiting as long as an outage in the middle of a sweep.
    await within(Math.min(patience, 15_000), redis.ping().catch((e: unknown) => { throw refusal(e, 'cannot reach'); }), () => unreachable('cannot reach'));
    const sweep = options.resume ?? newSweepId();
    const existing = await redis.hget(sweepKey(sweep), 'meta');
    const meta: SweepMeta = { format: PAYLOAD_FORMAT, spinal: VERSION, created: Date.now(), total: jobs.length, plan, uploads: uploaded };
    if (options.resume !== undefined) {
      if (existing === null) throw new QueueSweepError(`Redis at ${target.display} holds no sweep '${sweep}'`);
      checkResume(sweep, JSON.parse(existing) as SweepMeta, meta);
    }
    queue = new Queue(queueName(sweep), { connection: connectionOptions(target), prefix: PREFIX });
    queue.on('error', (e: Error) => { lastError = scrub(e.message, target); });
    const payloads = payloadsFor(sweep);
    const done = new Array<TrainRunResult | undefined>(jobs.length);
    let finished = 0;

    /** Writes what workers need to find the sweep and queues every run not finished. */
    const enqueue = async (first: boolean) => {
      for (const file of uploaded) {
        const key = uploadKey(file.sha256);
        if ((await redis.expire(key, UPLOAD_TTL_SECONDS)) === 0) await redis.set(key, Buffer.from(readUpload(file)), 'EX', UPLOAD_TTL_SECONDS);
      }
      const known = await redis.hget(sweepKey(sweep), 'meta');
      await redis.hset(sweepKey(sweep), 'meta', known ?? JSON.stringify(meta));
      await redis.zadd(ACTIVE_SWEEPS, 'NX', meta.created, sweep);
      const missing = payloads.flatMap((p, i) => (done[i] ? [] : [{ name: 'train', data: p, opts: { jobId: runId(i), attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false } }]));
      for (let i = 0; i < missing.length; i += 500) await queue!.addBulk(missing.slice(i, i + 500));
      if (!first) return;
      // A resumed sweep tries its failed runs again (after a worker was fixed, say).
      const failed = await redis.zrange(queue!.toKey('failed'), '0', '-1');
      for (const id of failed) {
        const index = indexOf(id, jobs.length);
        if (index === undefined) continue;
        const job = await queue!.getJob(id);
        if (job) await job.retry('failed');
      }
    };
    await within(patience, enqueue(true).catch((e: unknown) => { throw refusal(e, 'cannot use'); }), () => unreachable('lost'));
    log(`sweep ${sweep} on ${target.display}: ${jobs.length} run${jobs.length === 1 ? '' : 's'}${options.resume !== undefined ? ' (re-attached)' : ''}; re-attach with ${option('resume')} ${sweep}`);

    const ignored = new Set<string>();
    const poll = async () => {
      if ((await redis.exists(sweepKey(sweep))) === 0) {
        log(`Redis at ${target.display} lost sweep ${sweep} (restarted without persistence?): queueing its ${jobs.length - finished} unfinished run${jobs.length - finished === 1 ? '' : 's'} again`);
        await enqueue(false);
        return;
      }
      const completed = await redis.zrange(queue!.toKey('completed'), '0', '-1');
      for (const id of completed) {
        const index = indexOf(id, jobs.length);
        if (index === undefined || done[index]) continue;
        const value = await redis.hget(queue!.toKey(id), 'returnvalue');
        if (value === null) continue;
        done[index] = readResult(value, request.label(index));
        finished++;
        request.onResult(index, done[index]);
      }
      const failed = await redis.zrange(queue!.toKey('failed'), '0', '-1');
      for (const id of failed) {
        const index = indexOf(id, jobs.length);
        const reason = (await redis.hget(queue!.toKey(id), 'failedReason')) ?? 'no reason given';
        if (index === undefined) {
          if (!ignored.has(id)) log(`ignored job '${id}' of the sweep's queue, not one of its runs: ${scrub(reason, target)}`);
          ignored.add(id);
          continue;
        }
        if (done[index]) continue;
        const failure = readFailure(scrub(reason, target));
        throw new JobFailedError(index, request.label(index), { name: failure.kind === 'internal' ? 'Error' : failure.kind, message: failure.message });
      }
      const active = await redis.lrange(queue!.toKey('active'), '0', '-1');
      for (const id of active) {
        const index = indexOf(id, jobs.length);
        if (index === undefined || done[index]) continue;
        const progress = Number(await redis.hget(queue!.toKey(id), 'progress'));
        if (Number.isFinite(progress) && progress > 0 && progress < 1) request.onProgress(index, progress);
      }
    };

    while (finished < jobs.length) {
      if (request.signal?.aborted) throw new QueueDetachedError(finished, jobs.length, sweep);
      const stopped = `the sweep stopped after ${finished} of ${jobs.length} runs (nothing printed; ${option('resume')} ${sweep} once Redis is back): lost`;
      await within(patience, poll().catch((e: unknown) => { throw refusal(e, stopped); }), () => unreachable(stopped));
      if (finished < jobs.length) await sleep(pollMs, request.signal);
    }
    await redis.zrem(ACTIVE_SWEEPS, sweep);
    return done as TrainRunResult[];
  } finally {
    await queue?.close().catch(() => {});
    redis.disconnect();
  }
}

function filesOf(job: TrainJob, files: readonly DataFile[]): DataFile[] {
  const paths = new Set(jobPaths(job));
  return files.filter((f) => paths.has(f.path));
}

function readUpload(file: DataFile): Uint8Array {
  const bytes = readDataFile(file.path);
  if (sha256(bytes) !== file.sha256) throw new QueueSweepError(`'${file.path}' changed while the sweep was uploading it`);
  return bytes;
}

function checkResume(sweep: string, stored: SweepMeta, planned: SweepMeta): void {
  if (stored.spinal !== planned.spinal) throw new QueueSweepError(`sweep ${sweep} was started with spinal ${stored.spinal}; this is spinal ${planned.spinal}`);
  if (stored.total !== planned.total || stored.plan !== planned.plan) {
    throw new QueueSweepError(`sweep ${sweep} was started with other runs (${stored.total} of them): resume it with the same files, data and training options`);
  }
}

function newSweepId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const id = [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
  if (!SWEEP_ID.test(id)) throw new Error(`sweep id '${id}' is malformed`);
  return id;
}

function indexOf(id: string, total: number): number | undefined {
  const m = /^run-(\d+)$/.exec(id);
  if (!m) return undefined;
  const index = Number(m[1]);
  return index < total ? index : undefined;
}

function readResult(value: string, label: string): TrainRunResult {
  const r = JSON.parse(value) as Partial<TrainRunResult>;
  if (typeof r !== 'object' || r === null || typeof r.final !== 'object' || r.final === null || typeof r.dataHash !== 'string') {
    throw new QueueSweepError(`${label}: a worker returned no training result`);
  }
  return r as TrainRunResult;
}

/** `promise`, or the error of `fail()` once `ms` pass without it settling. */
async function within<T>(ms: number, promise: Promise<T>, fail: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(fail()), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
