// The sample files and their compiled models, for tests across the suite.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type CompiledModel } from '../../src/compile.js';

export const SAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples');

export function sampleFiles(): string[] {
  return readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.spinal')).sort().map((f) => join(SAMPLES_DIR, f));
}

export function sampleModels(): CompiledModel[] {
  return sampleFiles().flatMap((path) => {
    const compiled = compile({ path, text: readFileSync(path, 'utf8') });
    if (compiled.diagnostics.length > 0) throw new Error(`sample ${path} does not compile`);
    return compiled.models;
  });
}
