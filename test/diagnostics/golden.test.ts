// Whole rendered output for each test/golden/diagnostics/*.spinal, compared exactly with its
// .txt. Accept a change with `UPDATE_GOLDEN=1 npx vitest run test/diagnostics`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { renderDiagnostics } from '../../src/diagnostics/render.js';
import { decodeSource } from '../../src/cli/load.js';
import { expectGolden, GOLDEN_DIR } from '../support/golden.js';

const DIR = join(GOLDEN_DIR, 'diagnostics');
const cases = readdirSync(DIR).filter((f) => f.endsWith('.spinal')).sort();

describe('rendered diagnostics (golden)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(cases)('%s', (name) => {
    const text = decodeSource(readFileSync(join(DIR, name)));
    const compiled = compile({ path: name, text });
    expect(compiled.diagnostics.length).toBeGreaterThan(0);
    expectGolden(`diagnostics/${name.replace(/\.spinal$/, '.txt')}`, `${renderDiagnostics(compiled.diagnostics, compiled.source)}\n`);
  });
});
