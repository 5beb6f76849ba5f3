// Counts are exact integers. A sweep right below 2^53 MACs and parameters
// (the checker's ceiling, reached with --max-parameters) prints every count digit for digit in
// the table, the JSON and the CSV: no exponent, no rounding.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';

const dir = scratch('exact');
const file = join(dir, 'huge.spinal');
writeFileSync(file, 'model huge(w = 1) { input 1000000001 dense w output 1000000000 }\n');

const WIDTHS = [4503597n, 4503598n, 4503599n];
// input -> w -> output: w (input + output) MACs; weights, biases of both Linears.
const macs = (w: bigint) => w * (1000000001n + 1000000000n);
const parameters = (w: bigint) => w * 1000000001n + w + w * 1000000000n + 1000000000n;
const ARGS = ['macs', file, '--max-parameters', String(Number.MAX_SAFE_INTEGER), '--sweep', 'w=4503597:4503599', '--no-layers'];

describe('a sweep right below 2^53', () => {
  it('the counts themselves are below 2^53 and odd or even as they come (not rounded to a float step)', () => {
    for (const w of WIDTHS) expect(macs(w) <= BigInt(Number.MAX_SAFE_INTEGER) && parameters(w) <= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(WIDTHS.map((w) => macs(w) % 2n)).toEqual([1n, 0n, 1n]);
  });

  it.each([['table', []], ['json', ['--json']], ['csv', ['--csv']]] as const)('%s: every count exact', async (_, flags) => {
    const r = await run(...ARGS, ...flags);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replaceAll(dir, '')).not.toMatch(/\de[+-]?\d/i); // the random folder name may hold '1e3'
    const digits = r.stdout.replace(/(\d),(?=\d{3})/g, '$1'); // the table groups thousands
    for (const w of WIDTHS) {
      expect(digits).toContain(String(macs(w)));
      expect(digits).toContain(String(parameters(w)));
      if (flags[0] === '--json') expect(digits).toContain(String(2n * macs(w))); // flops
    }
  });

  it('one more width is refused with SPN050, not counted in floats', async () => {
    const r = await run('macs', file, '--max-parameters', String(Number.MAX_SAFE_INTEGER), '--set', 'w=4503600');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[SPN05\d\]/);
  });
});
