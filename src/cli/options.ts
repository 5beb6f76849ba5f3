// Option parsers shared by several commands.
import { InvalidArgumentError, type Command } from 'commander';
import type { CheckOptions } from '../check/check.js';
import { DEFAULT_LIMITS } from '../check/limits.js';
import { ANALYSES, PASS_ORDER, type AnalysisName, type PassName } from '../passes/names.js';

/** `--passes all|none|a,b,c`: the rewrites to run ('all': every one) and the analyses to show. */
export function parsePasses(text: string): (PassName | AnalysisName)[] {
  if (text === 'all') return [...PASS_ORDER];
  if (text === 'none') return [];
  const known: readonly string[] = [...PASS_ORDER, ...ANALYSES];
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown pass '${unknown[0]}'; the passes are ${known.join(', ')}`);
  return names as (PassName | AnalysisName)[];
}

/** The rewrites among the passes named by `--passes`. */
export function rewrites(passes: readonly (PassName | AnalysisName)[]): PassName[] {
  return passes.filter((p): p is PassName => (PASS_ORDER as readonly string[]).includes(p));
}

/** `--set name=value`, repeatable, collected into a record. */
export function collectSet(text: string, previous: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text);
  const value = m ? Number(m[2]) : NaN;
  if (!m || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`expected name=value with a non-negative number, got '${text}'`);
  return { ...previous, [m[1]]: value };
}

export function positiveInteger(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${text}'`);
  return n;
}

/** `--max-parameters N`: at most 2^53 - 1, so that every count stays exact. */
export function parameterCap(text: string): number {
  const n = positiveInteger(text);
  if (n > Number.MAX_SAFE_INTEGER) throw new InvalidArgumentError(`expected at most ${Number.MAX_SAFE_INTEGER}, got '${text}'`);
  return n;
}

export interface CompileFlags {
  readonly set?: Record<string, number>;
  readonly maxParameters?: number;
  readonly denyWarnings?: boolean;
}

export const DENY_WARNINGS_HELP = 'treat lint warnings (SPN060-SPN062) as errors';

/** Adds the options every compiling command shares: `--set`, `--max-parameters` and `--deny-warnings`. */
export function withCompileFlags(command: Command): Command {
  return command
    .option('--set <name=value>', 'override a parameter (repeatable)', collectSet)
    .option('--max-parameters <n>', `refuse models with more parameters (default ${DEFAULT_LIMITS.maxParameters})`, parameterCap)
    .option('--deny-warnings', DENY_WARNINGS_HELP);
}

/** How the checker's messages name the limits a user can raise: by their flags. */
export const LIMIT_FLAGS = { maxParameters: '--max-parameters' } as const;

export function checkOptionsFrom(flags: CompileFlags): CheckOptions {
  return {
    limitNames: LIMIT_FLAGS,
    ...(flags.set ? { overrides: flags.set } : {}),
    ...(flags.denyWarnings ? { denyWarnings: true } : {}),
    ...(flags.maxParameters !== undefined ? { limits: { ...DEFAULT_LIMITS, maxParameters: flags.maxParameters } } : {}),
  };
}
