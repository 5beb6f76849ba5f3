// Faults of a distributed sweep, against a real redis-server: a worker killed in the middle of a
// run, Redis restarted (without persistence, so it forgets the sweep) and Redis gone for good.
import { hostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { childrenOfWorker, sleep, startRedis, startWorker, stop, TINY_MODEL, tinyCsv } from './support.js';

const dir = scratch('queue-faults');
const model = join(dir, 'tiny.spinal');
writeFileSync(model, TINY_MODEL);
const csv = tinyCsv(join(dir, 'd.csv'));
// Two runs long enough (a second or two each) to be caught in the middle.
const SWEEP = ['macs', model, '--train', csv, '--epochs', '60', '--batch', '16', '--seeds', '2', '--csv'];

let local: string;
beforeAll(async () => {
  const r = await run(...SWEEP, '--jobs', '1');
  expect(r.code, r.stderr).toBe(0);
  local = r.stdout;
});

async function withPatience<T>(seconds: number, f: () => Promise<T>): Promise<T> {
  process.env.SPINAL_QUEUE_PATIENCE = String(seconds);
  try {
    return await f();
  } finally {
    delete process.env.SPINAL_QUEUE_PATIENCE;
  }
}

describe('faults of a queued sweep', () => {
  it('a worker killed with SIGKILL mid-run: another worker trains that run, the table is complete and counts each run once', async () => {
    const redis = await startRedis();
    const a = startWorker(redis.url);
    const b = startWorker(redis.url);
    try {
      await Promise.all([a.waitFor(/spinal worker /), b.waitFor(/spinal worker /)]);
      const client = run(...SWEEP, '--queue', redis.url);
      const [, sweep, killed] = await a.waitFor(/sweep ([a-z0-9]+) (run-\d) \([^)]*\): started/);
      a.child.kill('SIGKILL');
      await a.done;
      const r = await client;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(local);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('run '))).toHaveLength(2);
      // the run the killed worker had started was finished by the other one
      const other = b.output();
      expect(other).toMatch(new RegExp(`sweep ${sweep} ${killed} [^\\n]*: done`));
      expect(a.output()).not.toMatch(/: done/);
      const connection = new Redis({ host: '127.0.0.1', port: redis.port });
      try {
        const result = JSON.parse((await connection.hget(`spinal:sweep-${sweep}:${killed}`, 'returnvalue')) ?? '{}') as { worker?: string };
        expect(result.worker).toBe(`${hostname()}:${b.child.pid}`);
      } finally {
        connection.disconnect();
      }
      // the killed worker's sandboxed process stopped too, so nothing else finishes that run
      for (let i = 0; i < 50 && childrenOfWorker(a.child.pid!).length > 0; i++) await sleep(100);
      expect(childrenOfWorker(a.child.pid!)).toEqual([]);
    } finally {
      await stop(b);
      await redis.kill();
    }
  });

  it('Redis restarted mid-sweep (its state lost): the sweep queues its unfinished runs again and prints the complete table', async () => {
    let redis = await startRedis();
    const worker = startWorker(redis.url);
    try {
      const client = withPatience(30, () => run(...SWEEP, '--queue', redis.url));
      await worker.waitFor(/run-\d \([^)]*\): done/);
      await redis.kill();
      redis = await startRedis({ port: redis.port });
      const r = await client;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(local);
      expect(r.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/0 lost sweep [a-z0-9]+ \(restarted without persistence\?\): queueing its [12] unfinished runs? again\n/);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('run '))).toHaveLength(2);
    } finally {
      await stop(worker);
      await redis.kill();
    }
  });

  it('Redis gone for good: the sweep stops with a message and prints no table', async () => {
    const redis = await startRedis();
    const worker = startWorker(redis.url);
    try {
      const client = withPatience(2, () => run(...SWEEP, '--queue', redis.url));
      await worker.waitFor(/run-\d \([^)]*\): (started|done)/);
      await redis.kill();
      const r = await client;
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/spinal: the sweep stopped after [01] of 2 runs \(nothing printed; --resume [a-z0-9]+ once Redis is back\): lost Redis at redis:\/\/127\.0\.0\.1:\d+\/0 \(.*ECONNREFUSED.*\)\n$/);
    } finally {
      // with Redis gone a graceful stop would wait for it; the worker is only killed here
      worker.child.kill('SIGKILL');
      await worker.done;
      await redis.kill();
    }
    // and its sandboxed processors go with it, none left running (or spinning) without a parent
    for (let i = 0; i < 50 && childrenOfWorker(worker.child.pid!).length > 0; i++) await sleep(100);
    expect(childrenOfWorker(worker.child.pid!)).toEqual([]);
  });
});
