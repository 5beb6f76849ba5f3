// `spinal worker --queue URL`: trains the runs of distributed sweeps (`spinal macs --train DATA
// --queue URL`) taken from Redis, on any number of machines (docs/distributed.md).
import type { Command } from 'commander';
import type { Io } from './io.js';
import { QUEUE_PACKAGES, TRAINING_PACKAGES, requirePackages } from '../optional-packages.js';
import { positiveInteger } from './options.js';

export interface WorkerCliOptions {
  readonly queue: string;
  readonly concurrency?: number;
  readonly cache?: string;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
}

export function registerWorker(program: Command, io: Io): void {
  program
    .command('worker')
    .description('train the runs of distributed sweeps (macs --train DATA --queue URL) taken from Redis')
    .requiredOption('--queue <url>', 'the Redis of the sweeps: redis://[user:password@]host:port[/db], or rediss:// for TLS (a password can come from SPINAL_REDIS_PASSWORD instead)')
    .option('--concurrency <n>', 'runs at a time, each in its own process (default: the number of cores)', positiveInteger)
    .option('--cache <dir>', 'where data uploaded with --upload-data is kept (default: spinal-worker-data in the temporary folder)')
    .option('--lock-duration <ms>', 'a run whose worker stops answering goes back to the queue after this long (default 30000)', positiveInteger)
    .option('--stalled-interval <ms>', 'how often this worker looks for such runs (default 30000)', positiveInteger)
    .addHelpText('after', [
      '',
      'A worker serves the oldest unfinished sweep until none of its runs is waiting or running, then',
      'the next. It refuses runs of another spinal version and data whose SHA-256 differs from the',
      "sweep's; the sweep stops naming the worker. Ctrl-C (or SIGTERM) finishes the running runs and",
      'exits; a second one ends at once.',
      '',
      'Examples:',
      '  spinal worker --queue redis://localhost:6379',
      '  SPINAL_REDIS_PASSWORD=... spinal worker --queue rediss://sweeps@redis.lan:6380/2 --concurrency 4',
    ].join('\n'))
    .action(async (options: WorkerCliOptions) => {
      requirePackages('worker', [...QUEUE_PACKAGES, ...TRAINING_PACKAGES]);
      return (await import('./actions/worker.js')).worker(options, io);
    });
}
