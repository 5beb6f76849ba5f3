// The names of a file, read from its tokens alone so that it holds for text that does not parse
// (the normal case while typing): the models and variants it declares, their parameters and
// named values (`a = spinal ...`), and every place a model, a parameter or a value is named. Go to definition, references, rename, document
// symbols and semantic tokens all read this.
import type { IToken } from '../syntax/chevrotain.js';
import { KEYWORDS } from '../syntax/tokens.js';
import type { Piece } from '../fmt/lex.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ParamDecl {
  readonly name: string;
  readonly span: Span;
  /** The default's text, when a number follows `=`. */
  readonly value?: string;
}

export interface Decl {
  readonly kind: 'model' | 'variant';
  readonly name: string;
  /** The name where it is declared. */
  readonly span: Span;
  /** From the `model` keyword to the last token before the next `model` (or the file's end). */
  readonly extent: Span;
  readonly base?: { readonly name: string; readonly span: Span };
  /** Parameters a model declares, or the arguments a variant gives. */
  readonly params: readonly ParamDecl[];
  /** From `{` to `}` (or the extent's end), for a model with a body. */
  readonly body?: Span;
  /** The values its body names (`pixels = input 784`, `a = spinal ...`), in source order. */
  readonly values: readonly ValueDecl[];
}

export interface ValueDecl {
  readonly name: string;
  readonly span: Span;
  /** The statement's keyword after `=` (`input`, `dense`, `spinal`, ...), when written. */
  readonly statement?: string;
}

/** One place a model, parameter or value is named. `key` identifies what it names across the file. */
export interface Occurrence {
  readonly key: string;
  readonly kind: 'model' | 'parameter' | 'value';
  readonly name: string;
  readonly span: Span;
  readonly declaration: boolean;
}

export interface Outline {
  readonly decls: readonly Decl[];
  readonly occurrences: readonly Occurrence[];
  /** Every code token, in order. */
  readonly tokens: readonly IToken[];
}

const KEYWORD_SET = new Set(KEYWORDS);

export const modelKey = (name: string): string => `model:${name}`;
export const paramKey = (model: string, name: string): string => `param:${model}:${name}`;
export const valueKey = (model: string, name: string): string => `value:${model}:${name}`;

const spanOf = (t: IToken): Span => ({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 });
const isName = (t: IToken | undefined): t is IToken => t !== undefined && t.tokenType.name === 'Ident';
const isKeyword = (t: IToken, word: string): boolean => t.image === word && !isName(t);

/** Splits the code tokens at each `model` keyword and reads each declaration's shape. */
export function outline(pieces: readonly Piece[]): Outline {
  const tokens = pieces.filter((p) => !p.comment).map((p) => p.token);
  const decls: Decl[] = [];
  const bodyNames: { decl: Decl; names: BodyName[] }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].image !== 'model' || tokens[i].tokenType.name === 'Ident') continue;
    let end = i + 1;
    while (end < tokens.length && !(tokens[end].image === 'model' && tokens[end].tokenType.name !== 'Ident')) end++;
    const read = readDecl(tokens.slice(i, end));
    if (read) {
      decls.push(read.decl);
      bodyNames.push({ decl: read.decl, names: read.bodyNames });
    }
    i = end - 1;
  }
  const byName = new Map<string, Decl>();
  for (const d of decls) if (!byName.has(d.name)) byName.set(d.name, d);
  const occurrences: Occurrence[] = [];
  for (const d of decls) {
    occurrences.push({ key: modelKey(d.name), kind: 'model', name: d.name, span: d.span, declaration: true });
    if (d.base) occurrences.push({ key: modelKey(d.base.name), kind: 'model', name: d.base.name, span: d.base.span, declaration: false });
    const owner = d.kind === 'model' ? d.name : rootModel(d, byName)?.name;
    for (const p of d.params) {
      if (owner) occurrences.push({ key: paramKey(owner, p.name), kind: 'parameter', name: p.name, span: p.span, declaration: d.kind === 'model' });
    }
  }
  for (const { decl, names } of bodyNames) {
    const declared = new Set(decl.params.map((p) => p.name));
    for (const { token: t, role } of names) {
      const at = { name: t.image, span: spanOf(t) };
      if (role !== 'other') occurrences.push({ key: valueKey(decl.name, t.image), kind: 'value', ...at, declaration: role === 'value' });
      else if (declared.has(t.image)) occurrences.push({ key: paramKey(decl.name, t.image), kind: 'parameter', ...at, declaration: false });
    }
  }
  occurrences.sort((a, b) => a.span.start - b.span.start);
  return { decls, occurrences, tokens };
}

/** The model with a body that a variant derives from, through other variants; none for a cycle. */
export function rootModel(decl: Decl, byName: ReadonlyMap<string, Decl>): Decl | undefined {
  const seen = new Set<string>();
  let d: Decl | undefined = decl;
  while (d && d.kind === 'variant') {
    if (seen.has(d.name) || !d.base) return undefined;
    seen.add(d.name);
    d = byName.get(d.base.name);
  }
  return d;
}

/** A name in a model's body: a value it names (`a = ...`), one a `from` list reads, or another (a parameter's). */
interface BodyName {
  readonly token: IToken;
  readonly role: 'value' | 'from' | 'other';
}

function readDecl(ts: readonly IToken[]): { decl: Decl; bodyNames: BodyName[] } | undefined {
  const name = ts[1];
  if (!isName(name)) return undefined;
  const last = ts[ts.length - 1];
  const extent = { start: ts[0].startOffset, end: spanOf(last).end };
  let i = 2;
  let base: Decl['base'];
  const kind = ts[i]?.image === '=' ? 'variant' : 'model';
  if (kind === 'variant') {
    i++;
    if (isName(ts[i])) {
      base = { name: ts[i].image, span: spanOf(ts[i]) };
      i++;
    }
  }
  const params: ParamDecl[] = [];
  if (ts[i]?.image === '(') {
    for (i++; i < ts.length && ts[i].image !== ')' && ts[i].image !== '{'; i++) {
      if (isName(ts[i]) && ts[i + 1]?.image === '=') {
        const value = ts[i + 2]?.tokenType.name === 'Number' ? ts[i + 2].image : undefined;
        params.push({ name: ts[i].image, span: spanOf(ts[i]), ...(value !== undefined ? { value } : {}) });
      }
    }
    if (ts[i]?.image === ')') i++;
  }
  let body: Span | undefined;
  const bodyNames: BodyName[] = [];
  const values: ValueDecl[] = [];
  if (kind === 'model' && ts[i]?.image === '{') {
    const open = ts[i];
    let depth = 0;
    let close: IToken | undefined;
    // In `from a, b`, a name right after `from` or after a comma of the list is a value read.
    let wantsValue = false;
    let afterValue = false;
    for (; i < ts.length; i++) {
      const t = ts[i];
      const fromList: boolean = wantsValue && t.tokenType.name === 'Ident';
      wantsValue = isKeyword(t, 'from') || (afterValue && t.image === ',');
      afterValue = fromList;
      if (t.image === '{') depth++;
      else if (t.image === '}' && --depth === 0) { close = t; break; }
      else if (isName(t) && !KEYWORD_SET.has(t.image)) {
        const declares = depth === 1 && ts[i + 1]?.image === '=';
        bodyNames.push({ token: t, role: declares ? 'value' : fromList ? 'from' : 'other' });
        if (declares) {
          const next = ts[i + 2];
          const statement = next && next.tokenType.name !== 'Ident' && KEYWORD_SET.has(next.image) ? next.image : undefined;
          values.push({ name: t.image, span: spanOf(t), ...(statement ? { statement } : {}) });
        }
      }
    }
    body = { start: open.startOffset, end: close ? spanOf(close).end : extent.end };
  }
  return {
    decl: { kind, name: name.image, span: spanOf(name), extent, ...(base ? { base } : {}), params, ...(body ? { body } : {}), values },
    bodyNames,
  };
}

/** The occurrence whose name touches `offset` (the cursor just after a name counts). */
export function occurrenceAt(o: Outline, offset: number): Occurrence | undefined {
  return o.occurrences.find((x) => x.span.start <= offset && offset <= x.span.end);
}

/** The code token under `offset`, or the one that ends right at it. */
export function tokenAt(o: Outline, offset: number): IToken | undefined {
  let found: IToken | undefined;
  for (const t of o.tokens) {
    const s = spanOf(t);
    if (s.start > offset) break;
    if (offset < s.end) return t;
    if (offset === s.end) found = t;
  }
  return found;
}

export { spanOf };
