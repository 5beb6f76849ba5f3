// Lexical grammar of `.spinal` files (see grammar/LANGUAGE.md).
import { createToken, Lexer, type TokenType } from './chevrotain.js';

export const Ident = createToken({ name: 'Ident', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

function keyword(word: string): TokenType {
  return createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: new RegExp(`${word}(?![A-Za-z0-9_])`), longer_alt: Ident, label: `'${word}'` });
}

export const Model = keyword('model');
export const Input = keyword('input');
export const Dense = keyword('dense');
export const Dropout = keyword('dropout');
export const Batchnorm = keyword('batchnorm');
export const Spinal = keyword('spinal');
export const Output = keyword('output');
export const Split = keyword('split');
export const Interleaved = keyword('interleaved');
export const Width = keyword('width');
export const Layers = keyword('layers');
export const ActivationKw = keyword('activation');
export const Tie = keyword('tie');
export const To = keyword('to');
export const From = keyword('from');
export const Relu = keyword('relu');
export const Tanh = keyword('tanh');
export const Sigmoid = keyword('sigmoid');
export const Gelu = keyword('gelu');
export const LeakyRelu = keyword('leaky_relu');
export const Linear = keyword('linear');
export const Softmax = keyword('softmax');
export const LogSoftmax = keyword('log_softmax');

export const ActivationTokens = [Relu, Tanh, Sigmoid, Gelu, LeakyRelu, Linear, Softmax, LogSoftmax];
export const Keywords = [
  Model, Input, Dense, Dropout, Batchnorm, Spinal, Output, Split, Interleaved, Width, Layers, ActivationKw, Tie, To, From,
  ...ActivationTokens,
];
export const KEYWORDS: readonly string[] = Keywords.map((t) => t.name.toLowerCase());

export const NumberTok = createToken({
  name: 'Number',
  pattern: /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/,
  label: 'a number',
});
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./, label: "'..'" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED });
/** A comment, to the end of its line (the formatter and the language server keep them). */
export const COMMENT_PATTERN = /(?:#|\/\/)[^\n\r]*/;
const Comment = createToken({ name: 'Comment', pattern: COMMENT_PATTERN, group: Lexer.SKIPPED });

export const allTokens: TokenType[] = [
  WhiteSpace, Comment, ...Keywords, Ident, NumberTok,
  LBrace, RBrace, LParen, RParen, Equals, Comma, Colon, DotDot, Semicolon,
];

/**
 * The lexer. Chevrotain's checks of the token definitions take longer than lexing a file, so
 * the one the compiler uses skips them; test/syntax/grammar-checks.test.ts builds it with them.
 */
export function makeLexer(options: { readonly validate: boolean }): Lexer {
  return new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, skipValidations: !options.validate });
}

export const lexer = makeLexer({ validate: false });
