// Throughput of distributed sweeps: jobs per second of `spinal macs --train --queue` with 1 and
// 2 `spinal worker` processes (--concurrency 1 each) on this machine, against the local thread
// pool (--jobs 1 and 2) on the same jobs. Tiny jobs (one epoch of a 6-feature, 3-class head on a
// CSV of 100 samples), so the figure is the queue's overhead per job rather than training speed.
// Starts its own redis-server (no persistence) on a free loopback port; each setting first runs a
// warm-up sweep so the workers' sandboxed processes are started before the timed one.
// Run: npx tsx bench/queue.ts [--jobs N]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';
import { memoryIo } from '../src/cli/io.js';

const at = process.argv.indexOf('--jobs');
const JOBS = at > 0 ? Number(process.argv[at + 1]) : 40;
const dir = mkdtempSync(join(tmpdir(), 'spinal-bench-queue-'));
const model = join(dir, 'tiny.spinal');
writeFileSync(model, 'model tiny(w = 4) {\n  input 6\n  spinal {\n    width w\n    layers 2\n  }\n  output 3\n}\n');
const csv = join(dir, 'd.csv');
writeFileSync(csv, ['f0,f1,f2,f3,f4,f5,label', ...Array.from({ length: 100 }, (_, n) => {
  const x = Array.from({ length: 6 }, (_, i) => Math.sin(n * 1.3 + i * 0.7) / 2);
  return `${x.map((v) => v.toFixed(4)).join(',')},${x[0] + x[1] > 0.15 ? 0 : x[0] + x[1] < -0.15 ? 1 : 2}`;
})].join('\n'));
const sweep = (seeds: number) => ['macs', model, '--train', csv, '--epochs', '1', '--batch', '16', '--seeds', String(seeds), '--csv'];

const children: ChildProcess[] = [];
const port = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port: p } = server.address() as { port: number };
    server.close(() => resolve(p));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
children.push(redis);
const url = `redis://127.0.0.1:${port}`;

async function timed(args: string[]): Promise<number> {
  const io = memoryIo();
  const start = performance.now();
  const code = await main(args, io);
  if (code !== 0) throw new Error(`spinal ${args.join(' ')} exited ${code}: ${io.stderr}`);
  return (performance.now() - start) / 1000;
}

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/cli.ts', 'worker', '--queue', url, '--concurrency', '1'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

const rows: string[] = [];
try {
  await new Promise((r) => setTimeout(r, 300));
  for (const threads of [1, 2]) {
    await timed([...sweep(threads), '--jobs', String(threads)]);
    const s = await timed([...sweep(JOBS), '--jobs', String(threads)]);
    rows.push(`| local pool, --jobs ${threads} | ${JOBS} | ${s.toFixed(1)} | ${(JOBS / s).toFixed(2)} |`);
  }
  const workers: ChildProcess[] = [];
  for (const n of [1, 2]) {
    while (workers.length < n) workers.push(startWorker());
    await timed([...sweep(2 * n), '--queue', url]);
    const s = await timed([...sweep(JOBS), '--queue', url]);
    rows.push(`| queue, ${n} worker process${n === 1 ? '' : 'es'} | ${JOBS} | ${s.toFixed(1)} | ${(JOBS / s).toFixed(2)} |`);
  }
} finally {
  for (const child of children.reverse()) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  rmSync(dir, { recursive: true, force: true });
}
console.log('| runner | jobs | seconds | jobs per second |\n| :--- | ---: | ---: | ---: |');
console.log(rows.join('\n'));
