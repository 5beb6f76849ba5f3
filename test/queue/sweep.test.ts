// `spinal macs --train --queue` against a real redis-server with `spinal worker` processes: the
// same table as a local run, resuming without training again, uploaded data, refused runs, a
// malformed payload, and a password that never shows.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { spinal, startRedis, startWorker, stop, TINY_MODEL, tinyCsv, workerDir, type RedisServer } from './support.js';

const dir = scratch('queue-sweep');
const model = join(dir, 'tiny.spinal');
writeFileSync(model, TINY_MODEL);
const csv = tinyCsv(join(dir, 'd.csv'));
const SWEEP = ['macs', model, '--sweep', 'w=2:4:2', '--train', csv, '--epochs', '1', '--batch', '16', '--seeds', '2', '--csv'];

let redis: RedisServer;
let local: string;
beforeAll(async () => {
  redis = await startRedis();
  const r = await run(...SWEEP, '--jobs', '1');
  expect(r.code, r.stderr).toBe(0);
  local = r.stdout;
});

const sweepId = (stderr: string) => /sweep ([a-z0-9]+) on redis:\/\/127\.0\.0\.1:\d+\/0: /.exec(stderr)?.[1];
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

describe('macs --train --queue', () => {
  let id: string | undefined;
  let workerLogs = '';

  it('two workers give the table of a local run, each run trained once', async () => {
    const workers = [startWorker(redis.url, ['--cache', workerDir(dir)]), startWorker(redis.url, ['--cache', workerDir(dir)])];
    try {
      const r = await run(...SWEEP, '--queue', redis.url);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(local);
      expect(r.stderr).toContain(`training 2 rows x 2 seeds = 4 runs, on the workers of redis://127.0.0.1:${redis.port}/0\n`);
      id = sweepId(r.stderr);
      expect(id).toMatch(/^[a-z0-9]{10}$/);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('run '))).toHaveLength(4);
    } finally {
      await Promise.all(workers.map(stop));
    }
    workerLogs = workers.map((w) => w.output()).join('');
    for (let i = 0; i < 4; i++) expect(count(workerLogs, new RegExp(`sweep ${id} run-${i} \\([^)]*\\): done`))).toBe(1);
    expect(workers.every((w) => w.output().includes('stopped'))).toBe(true);
  });

  it('--resume of a finished sweep prints the table with no worker running: nothing is trained again', async () => {
    expect(id).toBeDefined();
    const r = await run(...SWEEP, '--queue', redis.url, '--resume', id!);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(local);
    expect(r.stderr).toContain(`sweep ${id} on redis://127.0.0.1:${redis.port}/0: 4 runs (re-attached)`);
  });

  it('--resume with other options or an unknown id is refused', async () => {
    const other = await run(...SWEEP.map((a) => (a === '1' ? '2' : a)), '--queue', redis.url, '--resume', id!);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`spinal: sweep ${id} was started with other runs (4 of them): resume it with the same files, data and training options`);
    const unknown = await run(...SWEEP, '--queue', redis.url, '--resume', 'nosuchsweep');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`spinal: Redis at redis://127.0.0.1:${redis.port}/0 holds no sweep 'nosuchsweep'`);
  });

  it('--resume of a sweep whose client died mid-way finishes it; no run is trained twice', async () => {
    const slow = [...SWEEP.map((a) => (a === '1' ? '40' : a))];
    const worker = startWorker(redis.url);
    try {
      const first = spinal([...slow, '--queue', redis.url]);
      const [, started] = await first.waitFor(/sweep ([a-z0-9]+) on redis/);
      await first.waitFor(/run 1\/4: /);
      first.child.kill('SIGKILL');
      await first.done;
      const r = await run(...slow, '--queue', redis.url, '--resume', started);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
      // the first client saw one run finish; the resumed one reports all four
      expect(r.stderr.split('\n').filter((l) => l.startsWith('run '))).toHaveLength(4);
      await stop(worker);
      for (let i = 0; i < 4; i++) expect(count(worker.output(), new RegExp(`sweep ${started} run-${i} [^\\n]*: started`))).toBe(1);
    } finally {
      await stop(worker);
    }
  });

  it('--upload-data: a worker trains on the copy in Redis when the path is gone', async () => {
    const data = tinyCsv(join(dir, 'upload.csv'));
    const args = SWEEP.map((a) => (a === csv ? data : a));
    const expected = (await run(...args, '--jobs', '1')).stdout;
    const client = spinal([...args, '--queue', redis.url, '--upload-data']);
    await client.waitFor(/sweep [a-z0-9]+ on redis/);
    renameSync(data, `${data}.moved`);
    const worker = startWorker(redis.url, ['--cache', join(dir, 'upload-cache')]);
    try {
      const r = await client.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(expected);
    } finally {
      await stop(worker);
    }
  });

  it('a worker refuses data that differ from the sweep\'s, and the sweep says so', async () => {
    const data = tinyCsv(join(dir, 'changing.csv'));
    const client = spinal([...SWEEP.map((a) => (a === csv ? data : a)), '--queue', redis.url]);
    await client.waitFor(/sweep [a-z0-9]+ on redis/);
    tinyCsv(data, 1);
    const worker = startWorker(redis.url);
    try {
      const r = await client.done;
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/spinal: tiny w=[24], seed [12]: worker [^ ]+:\d+ reads other data at '.*changing\.csv' \(SHA-256 [0-9a-f]{12}\.\.\., the sweep's is [0-9a-f]{12}\.\.\.\): give the workers the same file, or start the sweep with --upload-data\n/);
    } finally {
      await stop(worker);
    }
  });

  it('a malformed job in the queue is refused; the worker goes on and the sweep completes', async () => {
    const client = spinal([...SWEEP, '--queue', redis.url]);
    const [, sweep] = await client.waitFor(/sweep ([a-z0-9]+) on redis/);
    const queue = new Queue(`sweep-${sweep}`, { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'spinal' });
    await queue.add('train', { format: 1, spinal: '0.1.0', sweep, index: 'zero' }, { jobId: 'garbage', priority: 1 });
    await queue.close();
    const worker = startWorker(redis.url);
    try {
      const r = await client.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(local);
      expect(r.stderr).toContain("ignored job 'garbage' of the sweep's queue, not one of its runs: Malformed: job garbage: settings is not an object");
      await stop(worker);
      expect(worker.output()).toContain(`sweep ${sweep} garbage: failed: Malformed: job garbage: settings is not an object`);
      expect(count(worker.output(), new RegExp(`sweep ${sweep} run-\\d [^\\n]*: done`, 'g'))).toBe(4);
    } finally {
      await stop(worker);
    }
  });
});

describe('macs --queue on the command line', () => {
  it('refuses queue options without a queue, --jobs with one, and a sweep id that is not one', async () => {
    const cases: [string[], string][] = [
      [['macs', model, '--queue', 'redis://127.0.0.1:1'], '--queue is for training: add --train DATA'],
      [[...SWEEP, '--resume', 'abcd1234'], '--resume re-attaches to a queued sweep: add --queue URL'],
      [[...SWEEP, '--upload-data'], "--upload-data stores the data for a queue's workers: add --queue URL"],
      [[...SWEEP, '--queue', 'redis://127.0.0.1:1', '--jobs', '2'], "--jobs counts local threads; with --queue, each worker's --concurrency says how many runs it takes"],
      [[...SWEEP, '--queue', 'redis://127.0.0.1:1', '--resume', '../Sweep'], '--resume takes a sweep id as printed when the sweep started (lower-case letters and digits)'],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`spinal: ${message}\n`);
    }
  });

  it('Ctrl-C stops waiting, prints no table and says how to re-attach; the sweep stays queued', async () => {
    const client = spinal([...SWEEP, '--queue', redis.url]);
    const [, sweep] = await client.waitFor(/sweep ([a-z0-9]+) on redis/);
    client.child.kill('SIGINT');
    const r = await client.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`spinal: interrupted: stopped waiting after 0 of 4 runs, nothing printed; the sweep goes on on its workers: re-attach with --resume ${sweep}\n`);
    const worker = startWorker(redis.url);
    try {
      const resumed = await run(...SWEEP, '--queue', redis.url, '--resume', sweep);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toBe(local);
    } finally {
      await stop(worker);
    }
  });
});

describe('a Redis with a password', () => {
  const password = 'p@ss w/rd:s3cret';
  const url = (port: number, pass: string) => `redis://default:${encodeURIComponent(pass)}@127.0.0.1:${port}`;
  let secured: RedisServer;
  beforeAll(async () => {
    secured = await startRedis({ password });
  });
  afterAll(() => secured.kill());
  const leaks = (text: string, secret: string) => text.includes(secret) || text.includes(encodeURIComponent(secret));

  it('works, and neither the sweep nor the worker ever prints the password', async () => {
    const worker = startWorker(url(secured.port, password));
    try {
      const r = await run(...SWEEP, '--queue', url(secured.port, password));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(local);
      expect(r.stderr).toContain(`on the workers of redis://default@127.0.0.1:${secured.port}/0`);
      expect(leaks(r.stdout + r.stderr, password)).toBe(false);
    } finally {
      await stop(worker);
    }
    expect(worker.output()).toContain(`queue redis://default@127.0.0.1:${secured.port}/0`);
    expect(leaks(worker.output(), password)).toBe(false);
  });

  it('a wrong password, a malformed URL and an unreachable server are reported without it', async () => {
    const wrong = 'wr0ng-p@ss';
    const r = await run(...SWEEP, '--queue', url(secured.port, wrong));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/spinal: cannot reach Redis at redis:\/\/default@127\.0\.0\.1:\d+\/0 \(.*(WRONGPASS|invalid).*\)/);
    expect(leaks(r.stderr, wrong)).toBe(false);
    const worker = startWorker(url(secured.port, wrong));
    await worker.waitFor(/WRONGPASS|invalid username-password/);
    await stop(worker);
    expect(leaks(worker.output(), wrong)).toBe(false);
    const malformed = await run(...SWEEP, '--queue', `redis://default:${wrong}@127.0.0.1:notaport`);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--queue takes a Redis URL: redis://[user:password@]host:port[/db] (or rediss:// for TLS)');
    expect(leaks(malformed.stderr, wrong)).toBe(false);
    process.env.SPINAL_QUEUE_PATIENCE = '1';
    const nobody = await run(...SWEEP, '--queue', `redis://default:${wrong}@127.0.0.1:1`).finally(() => delete process.env.SPINAL_QUEUE_PATIENCE);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('spinal: cannot reach Redis at redis://default@127.0.0.1:1/0 (connect ECONNREFUSED 127.0.0.1:1)');
    expect(leaks(nobody.stderr, wrong)).toBe(false);
  });
});
