// What a file means, without where it was written: its AST with every source range removed.
import { parse } from '../../src/syntax/parse.js';

function stripRanges(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripRanges);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== 'range' && v !== undefined).map(([k, v]) => [k, stripRanges(v)]));
  }
  return value;
}

/** The AST of `text` without ranges; throws if the text has syntax errors. */
export function meaning(text: string): unknown {
  const parsed = parse(text);
  if (!parsed.ast) throw new Error(`does not parse:\n${text}\n${parsed.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  return stripRanges(parsed.ast);
}

/** The comments of a text, in order, as the formatter writes them (trailing blanks removed). */
export function comments(text: string): string[] {
  return [...text.matchAll(/(?:#|\/\/)[^\n\r]*/g)].map((m) => m[0].trimEnd());
}
