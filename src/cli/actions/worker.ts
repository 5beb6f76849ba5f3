// `spinal worker`'s work: the Redis URL read (its password never shown), then runs taken until
// Ctrl-C or SIGTERM, which let the running runs finish; a second signal ends at once.
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../io.js';
import type { WorkerCliOptions } from '../worker.js';
import { EXIT, UsageError } from '../errors.js';
import { parseRedisUrl, RedisUrlError } from '../../sweep/queue/redis-url.js';
import { runWorker } from '../../sweep/queue/worker.js';

export async function worker(options: WorkerCliOptions, io: Io): Promise<void> {
  let target;
  try {
    target = parseRedisUrl(options.queue, process.env.SPINAL_REDIS_PASSWORD);
  } catch (e) {
    throw e instanceof RedisUrlError ? new UsageError(e.message) : e;
  }
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await runWorker({
      target,
      concurrency: options.concurrency ?? availableParallelism(),
      cache: options.cache ?? join(tmpdir(), 'spinal-worker-data'),
      ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
      ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
      log: (line) => io.out(`${new Date().toISOString()} ${line}\n`),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
