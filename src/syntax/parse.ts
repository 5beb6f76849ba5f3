// Syntax stage: source text to AST, with every lexing and parsing error it can find.
import type { CstNode, ILexingError, IRecognitionException, IToken } from './chevrotain.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { nearest } from '../diagnostics/edit-distance.js';
import { diagnostic, hint, wording } from '../diagnostics/wording.js';
import { ACTIVATIONS, type FileAst } from './ast.js';
import type { Position, Range } from '../diagnostics/source.js';
import { MAX_SYNTAX_ERRORS, SpinalParser, STATEMENTS_IN, TooManySyntaxErrors, describe, list } from './parser.js';
import { createAstBuilder, tokenRange } from './to-ast.js';
import { Dense, Ident, KEYWORDS, NumberTok, Output, lexer } from './tokens.js';
import { LineIndex } from '../diagnostics/line-index.js';

/** Files larger than this are refused before lexing (a `.spinal` file is a few hundred bytes). */
export const MAX_SOURCE_BYTES = 1 << 20;

export interface ParseResult {
  /** Present when the file has no syntax errors. */
  readonly ast?: FileAst;
  readonly diagnostics: readonly Diagnostic[];
}

const parser = new SpinalParser(new Map(), { errors: 0 }, { validate: false });
const astBuilder = createAstBuilder(parser);

export function parse(text: string): ParseResult {
  if (text.length > MAX_SOURCE_BYTES) {
    const at: Position = { offset: 0, line: 1, column: 1 };
    return {
      diagnostics: [diagnostic('SPN006', { start: at, end: at }, { length: text.length, limit: MAX_SOURCE_BYTES })],
    };
  }
  const lexed = lexer.tokenize(text);
  parser.expectedAt.clear();
  parser.budget.errors = 0;
  parser.input = lexed.tokens;
  const cst = parseFile();
  const lines = new LineIndex(text);
  const context: ParseContext = { text, lines, tokens: lexed.tokens, indexAt: new Map(lexed.tokens.map((t, i) => [t.startOffset, i])) };
  const diagnostics = [
    ...lexed.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => lexingDiagnostic(e, text, lines)),
    ...parser.errors.map((e) => parsingDiagnostic(e, context, parser.expectedAt.get(e.token.startOffset) ?? [])),
    ...(cst ? unknownStatements(cst, context) : []),
  ];
  // Reported in file order, whichever stage found them, and at most MAX_SYNTAX_ERRORS of them.
  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  diagnostics.length = Math.min(diagnostics.length, MAX_SYNTAX_ERRORS);
  if (diagnostics.length > 0) return { diagnostics };
  return { ast: astBuilder.visit(cst!) as FileAst, diagnostics };
}

/** The CST, or undefined when the parse stopped at MAX_SYNTAX_ERRORS (which are then reported). */
function parseFile(): CstNode | undefined {
  try {
    return parser.file();
  } catch (e) {
    if (e instanceof TooManySyntaxErrors) return undefined;
    throw e;
  }
}

function lexingDiagnostic(e: ILexingError, text: string, lines: LineIndex): Diagnostic {
  const start = lines.positionAt(e.offset);
  const char = String.fromCodePoint(text.codePointAt(e.offset) ?? 0);
  const end: Position = { offset: e.offset + char.length, line: start.line, column: start.column + char.length };
  const fraction = /^\.(\d+)/.exec(text.slice(e.offset));
  return diagnostic('SPN001', { start, end }, { char: showCharacter(char), digits: fraction?.[1] ?? '' }, { hint: lexingHint(char, fraction !== null) });
}

/**
 * A character as a message shows it: printable ASCII quoted; another printable character quoted
 * with its code point (`'é' (U+00E9)`); controls, spaces, direction marks and U+FFFD (bytes that
 * were not UTF-8) by code point only, so that a file cannot drive the terminal.
 */
export function showCharacter(char: string): string {
  const code = `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (/^[\x21-\x7e]$/.test(char)) return `'${char}'`;
  if (char !== '\uFFFD' && /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(char)) return `'${char}' (${code})`;
  return code;
}

/** Which SPN001 hint: `fraction` when the character is a '.' before digits. */
function lexingHint(char: string, fraction: boolean): 'negative' | 'fraction' | 'nonAscii' | 'other' {
  if (char === '-') return 'negative';
  if (fraction) return 'fraction';
  if (char.codePointAt(0)! > 0x7f && /^\p{L}$/u.test(char)) return 'nonAscii';
  return 'other';
}

/** What a parsing diagnostic may look at around the offending token. */
interface ParseContext {
  readonly text: string;
  readonly lines: LineIndex;
  readonly tokens: readonly IToken[];
  /** Index of each token in `tokens` by its start offset. */
  readonly indexAt: ReadonlyMap<number, number>;
}

function parsingDiagnostic(e: IRecognitionException, ctx: ParseContext, expected: string[]): Diagnostic {
  const range = tokenOrEnd(e.token, ctx.text, ctx.lines);
  const found = e.token.tokenType.name;
  const foundKeyword = KEYWORDS.includes(e.token.image) && found !== 'Ident';
  const keywordNames = expected.filter((l) => /^'[a-z_]+'$/.test(l)).map((l) => l.slice(1, -1)).filter((k) => KEYWORDS.includes(k));
  if (found === 'Ident') {
    // After `dense N` or `output N` an activation may stand too, so a misspelled one is a candidate.
    const candidates = afterSizedLayer(e.token, ctx) ? [...keywordNames, ...ACTIVATIONS] : keywordNames;
    const guess = candidates.length > 0 ? nearest(e.token.image, candidates) : undefined;
    if (guess) return diagnostic('SPN003', range, { word: e.token.image, guess });
  }
  const declaresName = expected.includes('a name') && !expected.includes('a number');
  if (foundKeyword && (declaresName || followedByEquals(e.token, ctx.text))) {
    return diagnostic('SPN004', range, { word: e.token.image });
  }
  // The message was worded by the parser's message provider (parser.ts), from the catalogue.
  const keywordHere = foundKeyword && expected.includes('a number');
  return { code: 'SPN002', severity: 'error', range, message: e.message, ...(keywordHere ? { hint: hint('SPN002', 'keyword', { word: e.token.image }) } : {}) };
}

/** Every statement that starts with a word that is no keyword, as SPN003 or SPN002. */
function unknownStatements(cst: CstNode, ctx: ParseContext): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (node: CstNode): void => {
    for (const [key, children] of Object.entries(node.children)) {
      for (const child of children) {
        if (!('children' in child)) continue;
        if (found.length >= MAX_SYNTAX_ERRORS) return;
        if (key === 'unknownStmt') found.push(unknownStatement(child, STATEMENTS_IN[node.name] ?? [], ctx));
        else visit(child);
      }
    }
  };
  visit(cst);
  return found;
}

function unknownStatement(node: CstNode, keywords: readonly string[], ctx: ParseContext): Diagnostic {
  const word = (node.children.word as IToken[])[0];
  const expected = [...keywords, "'}'"];
  const { message } = wording('SPN002', { expected: list(expected), found: describe(word) }, { message: 'expected' });
  // The loop behaves like a parser error at the word: same hints, same message.
  return parsingDiagnostic({ token: word, message } as IRecognitionException, ctx, expected);
}

function afterSizedLayer(token: IToken, ctx: ParseContext): boolean {
  const i = ctx.indexAt.get(token.startOffset);
  if (i === undefined || i < 2) return false;
  const layer = ctx.tokens[i - 2].tokenType;
  const size = ctx.tokens[i - 1].tokenType;
  return (layer === Dense || layer === Output) && (size === NumberTok || size === Ident);
}

/** `width = 3` in a parameter list: a keyword written where a parameter's name goes. */
function followedByEquals(token: IToken, text: string): boolean {
  if (!Number.isFinite(token.endOffset)) return false;
  return /^[ \t\r\n]*=/.test(text.slice((token.endOffset ?? 0) + 1, (token.endOffset ?? 0) + 64));
}

function tokenOrEnd(token: IToken, text: string, lines: LineIndex): Range {
  if (Number.isFinite(token.startOffset)) return tokenRange(token);
  // EOF: point just past the last non-blank character.
  const end = text.trimEnd().length;
  const at = lines.positionAt(end);
  return { start: at, end: { ...at, offset: at.offset + 1, column: at.column + 1 } };
}
