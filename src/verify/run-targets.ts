// Each target's generated code on one input, each in a fresh folder under one temporary root
// that is removed afterwards; what `verify` and `evaluate` both do before judging the numbers.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifyInput, VerifyTarget } from './target.js';

/** A target's outputs, or why it produced none (a failed compile, a missing runtime). */
export type TargetOutcome = { readonly output: Float32Array } | { readonly error: string };

export async function runTargets(targets: readonly VerifyTarget[], input: Omit<VerifyInput, 'workDir'>, prefix: string): Promise<Map<string, TargetOutcome>> {
  const outcomes = new Map<string, TargetOutcome>();
  const workRoot = mkdtempSync(join(tmpdir(), prefix));
  try {
    for (const target of targets) {
      const workDir = join(workRoot, target.name);
      mkdirSync(workDir);
      try {
        outcomes.set(target.name, { output: await target.run({ ...input, workDir }) });
      } catch (e) {
        outcomes.set(target.name, { error: (e as Error).message });
      }
    }
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
  return outcomes;
}
