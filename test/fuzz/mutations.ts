// Grammar-aware fuzzing vocabulary: tokens of the language, odd characters, and mutations of
// a sample at token level (delete, duplicate, swap, replace a number, insert a token), shared by
// the front-half and the build fuzz tests.
import fc from 'fast-check';
import { KEYWORDS } from '../../src/syntax/tokens.js';

export const NUMBERS = ['0', '1', '2', '7', '784', '0.5', '1e-3', '1e400', '99999999999999999999', '2147483647', '2147483648', '4096', '4097', '1.5', '00', '1e308'];
const PUNCT = ['{', '}', '(', ')', '=', ',', ':', ';'];
const NAMES = ['m', 'w', 'depth', 'x_1', 'dens', 'widht', 'layres', 'Model', '_'];
const ODD = ['$', '-', '\0', '\u00e9', '\u2028', '\ufeff', '\ud800', '\u202e', '# comment\n', '// c\n', '\r', '\t'];

export const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 2, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD) },
);
export const gap = fc.constantFrom(' ', '\n', '', '  ', '\r\n', ' # c\n');

/** A sample split into tokens and the blanks between them, so mutations stay token-aware. */
function pieces(text: string): string[] {
  return text.match(/\s+|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9.eE+-]+|./g) ?? [];
}

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'number'; at: number; value: string }
  | { kind: 'insert'; at: number; value: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.constantFrom(...NUMBERS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: token }),
);

export function mutate(text: string, mutations: readonly Mutation[]): string {
  const p = pieces(text);
  for (const m of mutations) {
    if (p.length === 0) break;
    const i = (n: number) => n % p.length;
    switch (m.kind) {
      case 'delete': p.splice(i(m.at), 1); break;
      case 'duplicate': p.splice(i(m.at), 0, p[i(m.at)]); break;
      case 'swap': [p[i(m.a)], p[i(m.b)]] = [p[i(m.b)], p[i(m.a)]]; break;
      case 'number': {
        const at = p.findIndex((s, k) => k >= i(m.at) && /^[0-9]/.test(s));
        if (at >= 0) p[at] = m.value;
        break;
      }
      case 'insert': p.splice(i(m.at), 0, ` ${m.value} `); break;
    }
  }
  return p.join('');
}
