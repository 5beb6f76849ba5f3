// The canonical layout of a `.spinal` file. One statement a line, two spaces of indentation a
// block, `name(a = 1, b = 2)`, `split 1:1:2`, `tie 2..8 to 1`, `a = spinal from x, y {`, no
// semicolons; comments kept where they stand (on their own line, or after the code of a line);
// blank lines kept, at most one in a row, none just inside braces; a model with a body set off by
// a blank line. Only a file without syntax errors is formatted: the layout must never change what
// the file means.
import type { IToken } from '../syntax/chevrotain.js';
import { parse } from '../syntax/parse.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { lexWithComments, type Piece } from './lex.js';

export type FormatResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const INDENT = '  ';
const CONTINUATION = '    ';
const TRAILING_GAP = '  ';

/** The keywords that start a statement of a model body or a setting of a spinal block. */
const STATEMENT_STARTS = new Set(['input', 'dense', 'dropout', 'batchnorm', 'spinal', 'output', 'split', 'width', 'layers', 'activation', 'tie']);

export function format(text: string): FormatResult {
  const parsed = parse(text);
  if (!parsed.ast) return { ok: false, diagnostics: parsed.diagnostics };
  return { ok: true, text: layout(lexWithComments(text).pieces) };
}

/** Whether `text` is already in the canonical layout (a file with syntax errors is not). */
export function isFormatted(text: string): boolean {
  const r = format(text);
  return r.ok && r.text === text;
}

function layout(pieces: readonly Piece[]): string {
  const out = new Lines();
  let depth = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    const image = piece.token.image;
    if (piece.comment) {
      out.comment(image.trimEnd(), piece, depth);
      continue;
    }
    if (image === ';') continue;
    if (image === '{' && pieces[i + 1]?.token.image === '}') {
      out.code(piece.token, '{}', depth);
      out.closeLine();
      i++;
      continue;
    }
    if (image === '{') {
      out.code(piece.token, image, depth);
      out.opened();
      depth++;
      continue;
    }
    if (image === '}') {
      depth--;
      out.startLine(depth, false);
      out.append('}');
      out.closeLine();
      if (depth === 0) out.afterBody = true;
      continue;
    }
    if (depth === 0 ? image === 'model' : startsStatement(pieces, i, out.last)) {
      out.startLine(depth, out.wantsBlank(piece, depth === 0 && startsBody(pieces, i)));
      out.append(image);
      out.last = piece.token;
      continue;
    }
    out.code(piece.token, image, depth);
  }
  return out.text();
}

/**
 * Whether the piece at `i` of a model body starts a statement's line: a statement's keyword,
 * unless it follows the `=` of a named value (`a = spinal ...`), or the name of `name = statement`.
 */
function startsStatement(pieces: readonly Piece[], i: number, last: IToken | undefined): boolean {
  const token = pieces[i].token;
  if (token.tokenType.name === 'Ident') return nextCode(pieces, i)?.token.image === '=';
  return STATEMENT_STARTS.has(token.image) && last?.image !== '=';
}

function nextCode(pieces: readonly Piece[], i: number): Piece | undefined {
  return pieces.slice(i + 1).find((p) => !p.comment);
}

/** Whether the `model` at `i` declares a model with a body (not a variant `model v = m(...)`). */
function startsBody(pieces: readonly Piece[], i: number): boolean {
  const code = pieces.slice(i + 1).filter((p) => !p.comment);
  return code[1]?.token.image !== '=';
}

function spaceBetween(prev: IToken | undefined, next: string): boolean {
  if (!prev) return false;
  if (next === ',' || next === ')' || next === ':' || next === '..') return false;
  if (next === '(' && prev.tokenType.name === 'Ident') return false;
  return prev.image !== '(' && prev.image !== ':' && prev.image !== '..';
}

/** The output, a line at a time, and what the next piece needs to know about it. */
class Lines {
  private readonly done: string[] = [];
  private line: string | undefined;
  /** The next code token starts a new line: the current one ended with a brace or a comment. */
  private mustBreak = false;
  /** The current line opened a block: no blank line may follow it. */
  private justOpened = false;
  /** The last line placed is a comment of its own. */
  private commentLine = false;
  /** The current line ends with a comment. */
  private endsWithComment = false;
  /** A model's body just closed at the top level: the next line of its own is set off by a blank. */
  afterBody = false;
  /** The last code token on the current line. */
  last: IToken | undefined;

  startLine(depth: number, blank: boolean, extra = ''): void {
    if (this.line !== undefined) this.done.push(this.line);
    if (blank) this.done.push('');
    this.line = INDENT.repeat(depth) + extra;
    this.mustBreak = false;
    this.justOpened = false;
    this.commentLine = false;
    this.endsWithComment = false;
    this.afterBody = false;
    this.last = undefined;
  }

  append(text: string): void {
    this.line += text;
  }

  closeLine(): void {
    this.mustBreak = true;
  }

  opened(): void {
    this.mustBreak = true;
    this.justOpened = true;
  }

  wantsBlank(piece: Piece, bodyModel = false): boolean {
    if (this.line === undefined || this.justOpened) return false;
    if (piece.breaksBefore >= 2) return true;
    if (this.afterBody) return true;
    return bodyModel && !this.commentLine;
  }

  /** A code token that joins the current line, or continues the statement on a new one. */
  code(token: IToken, image: string, depth: number): void {
    if (this.line === undefined || this.mustBreak) {
      this.startLine(depth, false, this.line === undefined ? '' : CONTINUATION);
    } else if (spaceBetween(this.last, image)) {
      this.line += ' ';
    }
    this.line += image;
    this.last = token;
  }

  comment(text: string, piece: Piece, depth: number): void {
    // After a comment (a dropped `;` stood between them), a comment starts a line of its own.
    if (piece.breaksBefore === 0 && this.line !== undefined && !this.endsWithComment) {
      this.line += TRAILING_GAP + text;
      this.mustBreak = true;
      this.endsWithComment = true;
      return;
    }
    this.startLine(depth, this.wantsBlank(piece));
    this.line += text;
    this.mustBreak = true;
    this.commentLine = true;
    this.endsWithComment = true;
  }

  text(): string {
    if (this.line !== undefined) this.done.push(this.line);
    return this.done.length === 0 ? '' : `${this.done.join('\n')}\n`;
  }
}
