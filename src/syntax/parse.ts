// Syntax stage: source text to AST, with every lexing and parsing error it can find.
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { nearest } from '../diagnostics/edit-distance.js';
import type { FileAst, Position, Range } from './ast.js';
import { SpinalParser } from './parser.js';
import { createAstBuilder, tokenRange } from './to-ast.js';
import { KEYWORDS, lexer } from './tokens.js';
import { LineIndex } from '../diagnostics/line-index.js';

/** Files larger than this are refused before lexing (a `.spinal` file is a few hundred bytes). */
export const MAX_SOURCE_BYTES = 1 << 20;

export interface ParseResult {
  /** Present when the file has no syntax errors. */
  readonly ast?: FileAst;
  readonly diagnostics: readonly Diagnostic[];
}

const parser = new SpinalParser();
const astBuilder = createAstBuilder(parser);

export function parse(text: string): ParseResult {
  if (text.length > MAX_SOURCE_BYTES) {
    const at: Position = { offset: 0, line: 1, column: 1 };
    return {
      diagnostics: [{
        code: 'SPN006', severity: 'error', range: { start: at, end: at },
        message: `file is ${text.length} characters long; the limit is ${MAX_SOURCE_BYTES}`,
        hint: 'a .spinal file describes models in a few lines; is this the right file?',
      }],
    };
  }
  const lexed = lexer.tokenize(text);
  parser.expectedAt.clear();
  parser.input = lexed.tokens;
  const cst = parser.file();
  const lines = new LineIndex(text);
  const diagnostics = [
    ...lexed.errors.map((e) => lexingDiagnostic(e, text, lines)),
    ...parser.errors.map((e) => parsingDiagnostic(e, text, lines, parser.expectedAt.get(e.token.startOffset) ?? [])),
  ];
  if (diagnostics.length > 0) return { diagnostics };
  return { ast: astBuilder.visit(cst) as FileAst, diagnostics };
}

/** Line and column of an offset; for many offsets in one text, build a LineIndex once. */
export function positionAt(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}

function lexingDiagnostic(e: ILexingError, text: string, lines: LineIndex): Diagnostic {
  const start = lines.positionAt(e.offset);
  const char = String.fromCodePoint(text.codePointAt(e.offset) ?? 0);
  const end: Position = { offset: e.offset + char.length, line: start.line, column: start.column + char.length };
  const shown = /^[\x21-\x7e]$/.test(char) ? `'${char}'` : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return {
    code: 'SPN001', severity: 'error', range: { start, end },
    message: `unexpected character ${shown}`,
    hint: char === '-' ? 'numbers are never negative in a .spinal file' : 'names are letters, digits and _; comments start with # or //',
  };
}

function parsingDiagnostic(e: IRecognitionException, text: string, lines: LineIndex, expected: string[]): Diagnostic {
  const range = tokenOrEnd(e.token, text, lines);
  const found = e.token.tokenType.name;
  const foundKeyword = KEYWORDS.includes(e.token.image) && found !== 'Ident';
  const expectsKeyword = expected.filter((l) => l.startsWith("'") && /^'[a-z_]+'$/.test(l)).map((l) => l.slice(1, -1));
  const keywordNames = expectsKeyword.filter((k) => KEYWORDS.includes(k));
  if (found === 'Ident' && keywordNames.length > 0) {
    const guess = nearest(e.token.image, keywordNames);
    if (guess) {
      return {
        code: 'SPN003', severity: 'error', range,
        message: `unknown keyword '${e.token.image}'`,
        hint: `did you mean '${guess}'?`,
      };
    }
  }
  if (foundKeyword && expected.includes('a name')) {
    return {
      code: 'SPN004', severity: 'error', range,
      message: `'${e.token.image}' is a reserved keyword and cannot be used as a name`,
      hint: `choose another name, such as '${e.token.image}_'`,
    };
  }
  return {
    code: 'SPN002', severity: 'error', range,
    message: e.message,
  };
}

function tokenOrEnd(token: IToken, text: string, lines: LineIndex): Range {
  if (Number.isFinite(token.startOffset)) return tokenRange(token);
  // EOF: point just past the last non-blank character.
  const end = text.trimEnd().length;
  const at = lines.positionAt(end);
  return { start: at, end: { ...at, offset: at.offset + 1, column: at.column + 1 } };
}
