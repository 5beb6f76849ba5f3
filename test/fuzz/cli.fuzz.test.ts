// The CLI's check and macs on mutated files: exit 0, or exit 1 with located diagnostics (or one
// line about the whole file: binary, or declaring no model).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { sampleFiles } from '../support/samples.js';
import { runs, timeBound } from './invariants.js';
import { scratch } from '../support/scratch.js';

const dir = scratch('fuzz');
const SAMPLES = sampleFiles().map((f) => readFileSync(f));

/** Bytes of a sample with a random slice replaced by random bytes (NUL and invalid UTF-8 included). */
const mutatedFile = fc.tuple(fc.constantFrom(...SAMPLES), fc.nat(), fc.nat({ max: 20 }), fc.uint8Array({ maxLength: 20 }))
  .map(([sample, at, cut, bytes]) => {
    const start = at % (sample.length + 1);
    return Buffer.concat([sample.subarray(0, start), bytes, sample.subarray(Math.min(sample.length, start + cut))]);
  });

describe('fuzz: spinal check and macs', () => {
  it('end in exit 0, or exit 1 with a located diagnostic, never an internal error', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(mutatedFile, fc.constantFrom('check', 'macs'), async (bytes, command) => {
      const path = join(dir, `case${n++}.spinal`);
      writeFileSync(path, bytes);
      const { code, stdout, stderr } = await run(command, path);
      expect(stderr).not.toContain('internal error');
      expect([0, 1]).toContain(code);
      const quoted = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // A located diagnostic first, or one line about the whole file (binary, no model in it).
      if (code === 1) expect(stderr).toMatch(new RegExp(`^(${quoted}:\\d+:\\d+: (error|warning)\\[SPN\\d{3}\\]: |spinal: '${quoted}' (is .+, not a \\.spinal source file|declares no model))`));
      else if (command === 'check') expect(stderr).toMatch(/(^|\n)1 file ok, \d+ models?\n$/);
      else expect(stdout.length).toBeGreaterThan(0);
    }), { numRuns: runs(300), timeout: 5_000 });
  }, timeBound(300, 20_000));
});
