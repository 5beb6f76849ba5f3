// The pieces of a distributed sweep that need no Redis: reading a Redis URL without ever
// repeating its password, the job payload read strictly, and the sandboxed processor refusing
// runs of another version, with other data or malformed, before any training.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SandboxedJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl, RedisUrlError, scrub } from '../../src/sweep/queue/redis-url.js';
import { decodeRun, encodeRun, MalformedRunError, trainJobOf } from '../../src/sweep/queue/protocol.js';
import { absoluteJob, describeFiles, jobPaths } from '../../src/sweep/queue/data-files.js';
import { readFailure } from '../../src/sweep/queue/failures.js';
import processRun from '../../src/sweep/queue/processor.js';
import { VERSION } from '../../src/package-root.js';
import type { EpochMetrics, TrainJob } from '../../src/train/job.js';
import { task } from '../../src/sweep/train-task.js';
import { TRAIN_TASK } from '../../src/sweep/train-sweep.js';
import { scratch } from '../support/scratch.js';
import { TINY_MODEL, tinyCsv } from './support.js';

const dir = scratch('queue-protocol');
const csv = tinyCsv(join(dir, 'd.csv'));
const job: TrainJob = {
  sources: [{ path: 'tiny.spinal', text: TINY_MODEL }],
  model: 'tiny',
  set: { w: 2 },
  data: { data: csv },
  validation: { kind: 'split', fraction: 0.1 },
  settings: { epochs: 1, batch: 16, optimizer: 'adam', lr: 1e-3, momentum: 0, weightDecay: 0, seed: 2n ** 64n - 1n, loss: 'cross-entropy', backend: 'wasm' },
};

describe('Redis URLs', () => {
  it('reads host, port, database, user, password and TLS, and shows the URL without the password', () => {
    const t = parseRedisUrl('rediss://sweeps:s%40cr%2Ft@redis.lan:6380/2');
    expect(t).toMatchObject({ host: 'redis.lan', port: 6380, db: 2, username: 'sweeps', password: 's@cr/t', tls: true, display: 'rediss://sweeps@redis.lan:6380/2' });
    expect(parseRedisUrl('redis://localhost')).toMatchObject({ port: 6379, db: 0, tls: false, display: 'redis://localhost:6379/0' });
    expect(parseRedisUrl('redis://[::1]:7000').display).toBe('redis://[::1]:7000/0');
    expect(parseRedisUrl('redis://h:1', 'from-env').password).toBe('from-env');
    expect(parseRedisUrl('redis://:given@h:1', 'from-env').password).toBe('given');
  });

  it('refuses what is not a Redis URL without repeating it', () => {
    for (const text of ['http://u:hunter2@h:1', 'redis://u:hunter2@h:1/x', 'redis://u:hunter2@h:1/?a=1', 'hunter2', 'redis://u:hunter2@:1']) {
      const e = (() => { try { parseRedisUrl(text); } catch (error) { return error; } })();
      expect(e, text).toBeInstanceOf(RedisUrlError);
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('scrubs the password, raw and URL-encoded, out of any message', () => {
    expect(scrub('AUTH p@ss w failed; url redis://:p%40ss%20w@h', { password: 'p@ss w' })).toBe('AUTH *** failed; url redis://:***@h');
    expect(scrub('nothing to hide', {})).toBe('nothing to hide');
  });
});

describe('queued runs', () => {
  const files = describeFiles([csv], 'path');
  const payload = () => JSON.parse(JSON.stringify(encodeRun('abcd1234', 3, 'tiny w=2, seed 1', job, files, VERSION))) as Record<string, unknown>;

  it('survive JSON and give back the same training job, the 64-bit seed included', () => {
    const run = decodeRun(payload());
    expect(run.index).toBe(3);
    expect(run.files).toEqual(files);
    expect(trainJobOf(run)).toEqual(job);
    expect(trainJobOf(run, (p) => `${p}.local`).data.data).toBe(`${csv}.local`);
  });

  it('name and map every file of data with several inputs, the labels and the validation data included', () => {
    const multi: TrainJob = {
      ...job,
      data: { data: 'a=/d/a.npy,b=/d/b,1.npy', labels: '/d/y.npy' },
      validation: { kind: 'data', data: { data: 'a=/d/va.npy,b=/d/b,1.npy', labels: '/d/vy.npy' } },
    };
    expect(jobPaths(multi)).toEqual(['/d/a.npy', '/d/b,1.npy', '/d/y.npy', '/d/va.npy', '/d/vy.npy']);
    const run = decodeRun(JSON.parse(JSON.stringify(encodeRun('abcd1234', 0, 'tiny', multi, [], VERSION))) as Record<string, unknown>);
    expect(trainJobOf(run, (p) => `/cache${p}`).data).toEqual({ data: 'a=/cache/d/a.npy,b=/cache/d/b,1.npy', labels: '/cache/d/y.npy' });
    expect(absoluteJob({ ...multi, data: { data: 'a=x.npy,b=y.npy', labels: 'y.npy' } }).data).toEqual({ data: `a=${resolve('x.npy')},b=${resolve('y.npy')}`, labels: resolve('y.npy') });
  });

  it('are read strictly: each wrong field is named', () => {
    const cases: [(p: Record<string, unknown>) => void, string][] = [
      [(p) => { p.format = 2; }, 'payload format 2, expected 1'],
      [(p) => { (p.settings as Record<string, unknown>).seed = '18446744073709551616'; }, 'settings.seed is not a 64-bit unsigned integer'],
      [(p) => { (p.settings as Record<string, unknown>).optimizer = 'lbfgs'; }, 'settings.optimizer is not one of adam, sgd'],
      [(p) => { p.sources = []; }, 'sources is empty'],
      [(p) => { p.sweep = '../x'; }, 'sweep is not a sweep id'],
      [(p) => { (p.files as Record<string, unknown>[])[0].sha256 = 'abc'; }, 'files[0].sha256 is not a SHA-256 in hex'],
      [(p) => { p.validation = { kind: 'split', fraction: 1 }; }, 'validation.fraction is outside [0, 1)'],
      [(p) => { p.index = -1; }, 'index is not an integer of at least 0'],
    ];
    for (const [spoil, message] of cases) {
      const p = payload();
      spoil(p);
      expect(() => decodeRun(p)).toThrow(new MalformedRunError(message));
    }
    expect(() => decodeRun('text')).toThrow(new MalformedRunError('the payload is not an object'));
  });

  it('failures keep their kind through Redis', () => {
    expect(readFailure('Refused: worker h:1 runs spinal 0.1.0')).toEqual({ kind: 'Refused', message: 'worker h:1 runs spinal 0.1.0' });
    expect(readFailure('TypeError: x is undefined')).toEqual({ kind: 'internal', message: 'TypeError: x is undefined' });
  });
});

describe('the sandboxed processor', () => {
  const files = describeFiles([csv], 'path');
  const sandboxed = (data: unknown): SandboxedJob => ({ id: 'run-0', data, updateProgress: async () => {} }) as unknown as SandboxedJob;
  const refusal = async (data: unknown) => {
    const e = await processRun(sandboxed(data)).then(() => undefined, (error: unknown) => error as Error);
    expect(e?.name).toBe('UnrecoverableError');
    return e!.message;
  };

  it('refuses a run of another spinal version, other data, a missing file and a malformed payload', async () => {
    const other = encodeRun('abcd1234', 0, 'l', job, files, '9.9.9');
    expect(await refusal(other)).toMatch(new RegExp(`^Refused: worker .+ runs spinal ${VERSION.replace(/\./g, '\\.')}; the sweep was started with spinal 9\\.9\\.9: run workers of the same version$`));
    const changed = encodeRun('abcd1234', 0, 'l', job, [{ ...files[0], sha256: '0'.repeat(64) }], VERSION);
    expect(await refusal(changed)).toMatch(/^Refused: worker .+ reads other data at '.*d\.csv' \(SHA-256 [0-9a-f]{12}\.\.\., the sweep's is 000000000000\.\.\.\)/);
    const gone = join(dir, 'gone.csv');
    const missing = encodeRun('abcd1234', 0, 'l', { ...job, data: { data: gone } }, [{ ...files[0], path: gone }], VERSION);
    expect(await refusal(missing)).toContain(`Refused: worker`);
    expect(await refusal(missing)).toContain(`cannot read '${gone}' (no such file)`);
    expect(await refusal({ format: 1, settings: {} })).toBe('Malformed: job run-0: settings.seed is not a string');
  });

  it('trains a good run with the local pool\'s task and reports a data problem as the user\'s', async () => {
    const good = encodeRun('abcd1234', 0, 'l', job, files, VERSION);
    const result = await processRun(sandboxed(good));
    expect(result.seed).toBe((2n ** 64n - 1n).toString());
    expect(result.final.epoch).toBe(1);
    // the very numbers of the task the local threads run (timings aside)
    const direct = await task(job, { progress: () => {} });
    const numbers = ({ seconds: _s, samplesPerSecond: _r, ...rest }: EpochMetrics) => rest;
    expect(numbers(result.final)).toEqual(numbers(direct.final));
    expect(result.dataHash).toBe(direct.dataHash);
    expect(TRAIN_TASK.pathname).toMatch(/\/src\/sweep\/train-task\.ts$/);
    const wide = join(dir, 'wide.csv');
    writeFileSync(wide, 'a,b,c,d,e,f,g,label\n1,2,3,4,5,6,7,0\n');
    const bad = encodeRun('abcd1234', 0, 'l', { ...job, data: { data: wide } }, describeFiles([wide], 'path'), VERSION);
    expect(await refusal(bad)).toMatch(/^JobError: .*wide\.csv.* 7 features per sample; model 'tiny' reads 6/);
  });
});
