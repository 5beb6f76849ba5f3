// rediss://: a sweep and a worker over TLS to a redis-server with a certificate from a private
// CA, trusted through NODE_EXTRA_CA_CERTS; without the CA the sweep refuses the connection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';
import { makeTlsFiles, spinal, startRedis, startWorker, stop, TINY_MODEL, tinyCsv, type RedisServer, type TlsFiles } from './support.js';

const dir = scratch('queue-tls');
const model = join(dir, 'tiny.spinal');
writeFileSync(model, TINY_MODEL);
const csv = tinyCsv(join(dir, 'd.csv'));
const SWEEP = ['macs', model, '--train', csv, '--epochs', '1', '--batch', '16', '--seeds', '2', '--csv'];

let tls: TlsFiles;
let redis: RedisServer;
beforeAll(async () => {
  tls = makeTlsFiles(dir);
  redis = await startRedis({ tls });
});
afterAll(() => redis.kill());

describe('rediss://', () => {
  it('trains a sweep over TLS with the same table as a local run', async () => {
    const local = await run(...SWEEP, '--jobs', '1');
    expect(local.code, local.stderr).toBe(0);
    const url = `rediss://localhost:${redis.port}`;
    const trust = { NODE_EXTRA_CA_CERTS: tls.ca };
    const worker = startWorker(url, [], trust);
    try {
      const r = await spinal([...SWEEP, '--queue', url], trust).done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(local.stdout);
      expect(r.stderr).toContain(`on the workers of rediss://localhost:${redis.port}/0`);
    } finally {
      await stop(worker);
    }
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const r = await spinal([...SWEEP, '--queue', `rediss://localhost:${redis.port}`], { SPINAL_QUEUE_PATIENCE: '2' }).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`spinal: cannot reach Redis at rediss://localhost:${redis.port}/0 \\(.*(certificate|self.signed).*\\)\\n`));
  });
});
