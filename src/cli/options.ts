// Option parsers shared by several commands.
import { InvalidArgumentError } from 'commander';
import { PASS_ORDER, type PassName } from '../passes/optimize.js';

/** `--passes all|none|a,b,c`. */
export function parsePasses(text: string): PassName[] {
  if (text === 'all') return [...PASS_ORDER];
  if (text === 'none') return [];
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(PASS_ORDER as readonly string[]).includes(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown pass '${unknown[0]}'; the passes are ${PASS_ORDER.join(', ')}`);
  return names as PassName[];
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

export function nonNegativeInteger(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${text}'`);
  return n;
}
