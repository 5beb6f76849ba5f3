// Start-up time of the command line against Node's own: `node -e ""`, then spinal commands run
// as a user runs them (`node bin/spinal.js`, and `npx spinal` with npm's own start-up on top).
// Each command runs `--runs` times (default 20) after 3 warm-up runs; the median wall time is
// reported with its ratio to Node's. Needs `npm run build` first (bin/spinal.js runs dist/).
//
//   npx tsx bench/startup.ts [--runs N] [--no-npx]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 20;
const WARMUP = 3;
const SAMPLE = 'samples/mnist_cnn.spinal';

interface Case {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

const node = process.execPath;
const cases: Case[] = [
  { label: 'node -e ""', command: node, args: ['-e', ''] },
  { label: 'node bin/spinal.js --version', command: node, args: ['bin/spinal.js', '--version'] },
  { label: `node bin/spinal.js check ${SAMPLE}`, command: node, args: ['bin/spinal.js', 'check', SAMPLE] },
  { label: `node bin/spinal.js macs ${SAMPLE}`, command: node, args: ['bin/spinal.js', 'macs', SAMPLE] },
  { label: `node bin/spinal.js graph ${SAMPLE} --format dot`, command: node, args: ['bin/spinal.js', 'graph', SAMPLE, '--model', 'mnist_cnn_spinal', '--format', 'dot'] },
];
if (!args.includes('--no-npx')) {
  cases.push(
    { label: 'npx --version (npm alone)', command: 'npx', args: ['--version'] },
    { label: 'npx spinal --version', command: 'npx', args: ['spinal', '--version'] },
    { label: `npx spinal check ${SAMPLE}`, command: 'npx', args: ['spinal', 'check', SAMPLE] },
  );
}

function once(c: Case): { ms: number; stderr: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(c.command, c.args, { cwd: ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const results = cases.map((c) => {
  for (let i = 0; i < WARMUP; i++) once(c);
  const times: number[] = [];
  let stderr = '';
  for (let i = 0; i < RUNS; i++) {
    const r = once(c);
    times.push(r.ms);
    stderr = r.stderr;
  }
  return { c, ms: median(times), min: Math.min(...times), stderr };
});

const base = results[0].ms;
console.log(`Node ${process.version}, ${RUNS} runs each after ${WARMUP} warm-up runs; median (min) wall time\n`);
console.log('| command | median ms | min ms | x node -e "" |');
console.log('| :--- | ---: | ---: | ---: |');
for (const r of results) console.log(`| \`${r.c.label}\` | ${r.ms.toFixed(0)} | ${r.min.toFixed(0)} | ${(r.ms / base).toFixed(2)}x |`);
const warnings = [...new Set(results.flatMap((r) => r.stderr.split('\n').filter((l) => l.startsWith('npm warn'))))];
if (warnings.length > 0) console.log(`\nnpm printed on stderr:\n${warnings.map((w) => `  ${w}`).join('\n')}`);
