// `spinal graph` on long spinal blocks: wall time of `node bin/spinal.js graph` (SVG through
// Graphviz, and dot) for blocks of 40 to 4,096 sub-layers, the language's limit. Each run is a
// fresh process, as a user runs it; the median of `--runs` (default 3) after one warm-up run.
// A run over `--timeout` seconds (default 60) is stopped and reported as such.
// Needs `npm run build` first (bin/spinal.js runs dist/).
//
//   npx tsx bench/graph.ts [--runs N] [--timeout S] [--layers 40,64,300,4096]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(arg('--runs', '3'));
const TIMEOUT_S = Number(arg('--timeout', '60'));
const LAYERS = arg('--layers', '40,64,300,4096').split(',').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'spinal-bench-graph-'));
try {
  console.log(`Node ${process.version}; median of ${RUNS} runs after one warm-up run; a run is stopped after ${TIMEOUT_S} s\n`);
  console.log('| sub-layers | format | seconds | output bytes |');
  console.log('| ---: | :--- | ---: | ---: |');
  for (const layers of LAYERS) {
    const file = join(dir, `long${layers}.spinal`);
    writeFileSync(file, `model long { input 4096 spinal { split 1:1:1:1 width 8 layers ${layers} activation relu batchnorm dropout 0.2 } output 10 }\n`);
    for (const format of ['svg', 'dot']) {
      const once = () => {
        const start = process.hrtime.bigint();
        const r = spawnSync(process.execPath, ['bin/spinal.js', 'graph', file, '--format', format], { cwd: ROOT, timeout: TIMEOUT_S * 1000, maxBuffer: 1 << 30 });
        const s = Number(process.hrtime.bigint() - start) / 1e9;
        if (r.error || r.status !== 0) return { s: Infinity, bytes: 0 };
        return { s, bytes: r.stdout.length };
      };
      const first = once();
      const runs = first.s === Infinity ? [first] : Array.from({ length: RUNS }, once);
      const times = runs.map((r) => r.s).sort((a, b) => a - b);
      const median = times[times.length >> 1];
      const shown = median === Infinity ? `> ${TIMEOUT_S} (stopped)` : median.toFixed(2);
      console.log(`| ${layers.toLocaleString('en-US')} | ${format} | ${shown} | ${runs[0].bytes.toLocaleString('en-US')} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
