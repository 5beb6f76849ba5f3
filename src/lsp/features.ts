// What the language server answers, one function a request, from an Analysis and a cursor
// offset. Pure functions over the document, so that tests call them directly on any text.
import {
  CompletionItemKind, DiagnosticSeverity, MarkupKind, SymbolKind,
  type CodeLens, type CompletionItem, type Diagnostic as LspDiagnostic, type DocumentSymbol, type Hover,
  type Location, type Range as LspRange, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { IToken } from '../syntax/chevrotain.js';
import { ACTIVATIONS, type ModelDef, type SpinalItem, type Stmt } from '../syntax/ast.js';
import { KEYWORDS } from '../syntax/tokens.js';
import { STATEMENTS_IN } from '../syntax/parser.js';
import { format } from '../fmt/format.js';
import { inputsText, int, ratio } from '../report/format.js';
import { evaluationOrder, type ModelSpec } from '../check/spec.js';
import type { ModelReport } from '../report/model-report.js';
import type { Analysis } from './analysis.js';
import { occurrenceAt, paramKey, rootModel, spanOf, tokenAt, valueKey, type Decl, type Occurrence, type Span } from './outline.js';

const unquote = (labels: readonly string[] | undefined): string[] => (labels ?? []).map((l) => l.slice(1, -1));
export const BODY_KEYWORDS = unquote(STATEMENTS_IN.body);
export const SPINAL_KEYWORDS = unquote(STATEMENTS_IN.spinal);
const VALUE_BEFORE = new Set(['input', 'dense', 'dropout', 'output', 'split', 'width', 'layers', ':']);
const KEYWORD_SET = new Set(KEYWORDS);

export function range(doc: TextDocument, span: Span): LspRange {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

// ---------------------------------------------------------------- diagnostics

/** The compiler's diagnostics, with the codes and messages of the command line; the hint follows. */
export function diagnostics(a: Analysis, doc: TextDocument): LspDiagnostic[] {
  return a.compiled.diagnostics.map((d) => ({
    range: range(doc, { start: d.range.start.offset, end: Math.max(d.range.end.offset, d.range.start.offset) }),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'spinal',
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
  }));
}

// ---------------------------------------------------------------- hover

export function hover(a: Analysis, doc: TextDocument, offset: number): Hover | null {
  const occ = occurrenceAt(a.outline, offset);
  if (occ?.kind === 'model') return markdown(modelHover(a, occ.name), range(doc, occ.span));
  if (occ?.kind === 'parameter') return markdown(parameterHover(a, occ), range(doc, occ.span));
  if (occ?.kind === 'value') return markdown(valueHover(a, occ), range(doc, occ.span));
  const token = tokenAt(a.outline, offset);
  if (!token || token.tokenType.name === 'Ident') return null;
  // `from` is about what a statement reads, not the layer it makes.
  const layer = token.image === 'from' ? undefined : layerHover(a, token);
  if (layer) return markdown(layer, range(doc, spanOf(token)));
  const doc1 = KEYWORD_DOCS[token.image];
  return doc1 && token.tokenType.name !== 'Ident' ? markdown(doc1, range(doc, spanOf(token))) : null;
}

function markdown(value: string, r: LspRange): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: r };
}

function settings(params: Readonly<Record<string, number>>): string {
  const s = Object.entries(params).map(([k, v]) => `${k} = ${v}`).join(', ');
  return s ? ` (${s})` : '';
}

function modelHover(a: Analysis, name: string): string {
  const decl = a.outline.decls.find((d) => d.name === name);
  const r = a.report(name);
  const head = `**${decl?.kind === 'variant' ? 'variant' : 'model'} ${name}**`;
  if (!r) return `${head}\n\n${decl ? 'not counted: the file has errors in it or in what it derives from' : 'not declared in this file'}`;
  return [
    `${head}${settings(r.params)}${r.base ? `, a variant of ${r.base}` : ''}`,
    '',
    `${inputsText(r.inputSizes)} → ${int(r.outputs)} features`,
    '',
    '| | MACs | parameters |',
    '| :--- | ---: | ---: |',
    `| ${name} | ${int(r.macs)} | ${int(r.parameters)} |`,
    `| dense baseline | ${int(r.baseline.macs)} | ${int(r.baseline.parameters)} |`,
    '',
    `**${ratio(r.ratio)}** the dense baseline's MACs, ${ratio(r.parameters / r.baseline.parameters)} its parameters`,
  ].join('\n');
}

function parameterHover(a: Analysis, occ: Occurrence): string {
  const model = occ.key.split(':')[1];
  const decl = a.outline.decls.find((d) => d.name === model);
  const param = decl?.params.find((p) => p.name === occ.name);
  const uses = a.outline.occurrences.filter((o) => o.key === occ.key && !o.declaration).length;
  return `**parameter ${occ.name}** of model ${model}${param?.value !== undefined ? `, default ${param.value}` : ''}\n\nnamed ${uses} time${uses === 1 ? '' : 's'} in the file`;
}

/** A named value: what makes it, its size and what it reads, from the checked model. */
function valueHover(a: Analysis, occ: Occurrence): string {
  const model = occ.key.split(':')[1];
  const spec = a.model(model)?.spec;
  const head = `**value ${occ.name}** of model ${model}`;
  const declared = a.outline.decls.find((d) => d.name === model)?.values.some((v) => v.name === occ.name);
  if (!declared) return `${head}

not declared in the model`;
  if (!spec) return `${head}

not counted: the file has errors in it`;
  const sizes = valueSizes(spec);
  const input = spec.inputs.findIndex((i) => i.name === occ.name);
  if (input >= 0) return `${head}: input ${input + 1} of ${spec.inputs.length}, ${int(sizes.get(occ.name)!)} features`;
  const layer = spec.layers.find((l) => l.value === occ.name);
  if (!layer) return head;
  const what = layer.kind === 'dropout' ? 'dropout' : `${layer.kind} (${layer.kind}${layer.index})`;
  const reads = layer.reads.map((r) => `${r} (${int(sizes.get(r) ?? 0)})`).join(' + ');
  const total = layer.reads.reduce((n, r) => n + (sizes.get(r) ?? 0), 0);
  return [
    `${head}: ${what}, ${int(sizes.get(occ.name)!)} features`,
    '',
    `reads ${reads}${layer.reads.length > 1 ? `, ${int(total)} features side by side` : ''}`,
  ].join('\n');
}

/** The features of every value of a checked model: its inputs and each layer's output. */
function valueSizes(spec: ModelSpec): Map<string, number> {
  const sizes = new Map(spec.inputs.map((i) => [i.name, i.size]));
  const read = (reads: readonly string[]): number => reads.reduce((n, r) => n + (sizes.get(r) ?? 0), 0);
  for (const l of evaluationOrder(spec.layers)) {
    sizes.set(l.value, l.kind === 'dense' ? l.units : l.kind === 'spinal' ? l.width * l.layers : read(l.reads));
  }
  return sizes;
}

/** A statement of a model body under the cursor, as the layer it makes: sizes, MACs, parameters. */
function layerHover(a: Analysis, token: IToken): string | undefined {
  const found = statementAt(a, token.startOffset);
  if (!found) return undefined;
  const { model, stmt, item } = found;
  const r = a.report(model.name.name);
  if (!r) return undefined;
  const nth = (kind: Stmt['kind']): number => model.body.filter((s) => s.kind === kind).indexOf(stmt) + 1;
  if (item || stmt.kind === 'spinal') return spinalHover(a, r, model.name.name, nth('spinal'));
  switch (stmt.kind) {
    case 'input': {
      const input = r.inputSizes[nth('input') - 1];
      return input && r.inputSizes.length > 1 ? `**input** ${input.name}: ${int(input.size)} features` : `**input**: ${int(r.inputs)} features`;
    }
    case 'dropout': return '**dropout**: drops features while training; the identity at inference (no MACs, no parameters)';
    case 'dense': return layerLine(r, `dense${nth('dense')}`, 'dense');
    case 'batchnorm': return layerLine(r, `batchnorm${nth('batchnorm')}`, 'batchnorm');
    case 'output': return layerLine(r, 'output', 'output');
  }
}

function layerLine(r: ModelReport, layer: string, title: string): string | undefined {
  const row = r.layers.find((l) => l.layer === layer);
  if (!row) return undefined;
  return `**${title}** (${layer}): ${int(row.inFeatures)} → ${int(row.outFeatures)} features\n\n${int(row.macs)} MACs · ${int(row.parameters)} parameters`;
}

const SHOWN_SUB_LAYERS = 8;

function spinalHover(a: Analysis, r: ModelReport, model: string, index: number): string | undefined {
  const name = `spinal${index}`;
  const subs = r.layers.filter((l) => l.layer.startsWith(`${name}.`));
  const graph = a.model(model)?.graph;
  if (subs.length === 0 || !graph) return undefined;
  const rows = graph.nodes.filter((n) => n.op === 'slice' && n.layer === name).map((n) => n.shape[0]);
  const width = subs[0].outFeatures;
  const macs = subs.reduce((s, l) => s + l.macs, 0);
  const params = subs.reduce((s, l) => s + l.parameters, 0);
  const inFeatures = rows.reduce((s, n) => s + n, 0);
  const lines = [
    `**spinal block** (${name}): ${int(inFeatures)} features in ${rows.length} row${rows.length === 1 ? '' : 's'} (${rows.map(int).join(', ')}) → ${subs.length} sub-layers × ${int(width)} = ${int(subs.length * width)} features`,
    '',
    `${int(macs)} MACs · ${int(params)} parameters`,
    '',
    '| sub-layer | in → out | MACs | parameters |',
    '| :--- | ---: | ---: | ---: |',
  ];
  const shown = subs.length > SHOWN_SUB_LAYERS ? [...subs.slice(0, SHOWN_SUB_LAYERS - 1), undefined, subs[subs.length - 1]] : subs;
  for (const l of shown) lines.push(l ? `| ${l.layer.slice(name.length + 1)} | ${int(l.inFeatures)} → ${int(l.outFeatures)} | ${int(l.macs)} | ${int(l.parameters)} |` : '| … | | | |');
  return lines.join('\n');
}

function statementAt(a: Analysis, offset: number): { model: ModelDef; stmt: Stmt; item?: SpinalItem } | undefined {
  const inside = (r: { start: { offset: number }; end: { offset: number } }): boolean => r.start.offset <= offset && offset < r.end.offset;
  for (const m of a.ast?.models ?? []) {
    if (m.kind !== 'model' || !inside(m.range)) continue;
    for (const stmt of m.body) {
      if (!inside(stmt.range)) continue;
      const item = stmt.kind === 'spinal' ? stmt.items.find((i) => inside(i.range)) : undefined;
      return { model: m, stmt, ...(item ? { item } : {}) };
    }
  }
  return undefined;
}

const ACTIVATION_DOCS: Record<string, string> = {
  relu: 'max(0, x)', tanh: 'tanh(x)', sigmoid: '1 / (1 + e^-x)', gelu: 'x · Φ(x), the exact form with erf',
  leaky_relu: 'x, or 0.01 x below zero', linear: 'the identity', softmax: 'e^x / Σ e^x over the features of each sample',
  log_softmax: 'x - log Σ e^x over the features of each sample',
};

const KEYWORD_DOCS: Record<string, string> = {
  model: '**model** name(params) { statements }, or a variant: **model** name = base(arguments)',
  from: '**from** a, b, …: the statement reads the named values side by side, in this order, instead of the statement before it',
  interleaved: '**interleaved**: features dealt to the rows in turn (row i holds features i, i + k, …); the ratios must be equal',
  width: '**width** w: the neurons of each sub-layer',
  layers: '**layers** L: the number of sub-layers',
  split: '**split** r1:r2:…: the rows of the input, by ratio (default 1:1)',
  activation: "**activation** act: the sub-layers' activation (default relu)",
  tie: "**tie** A..C to B: sub-layers A to C use sub-layer B's weight and bias (`tie A to B` for one)",
  ...Object.fromEntries(Object.entries(ACTIVATION_DOCS).map(([k, v]) => [k, `**${k}**: ${v}`])),
};

// ---------------------------------------------------------------- completion

type Context =
  | { readonly kind: 'top' | 'nothing' | 'base' | 'value' | 'activation' | 'body' | 'afterSized' | 'afterHead' | 'beforeBlock' | 'spinal' | 'afterSplit'; readonly decl?: Decl }
  | { readonly kind: 'values'; readonly decl?: Decl; readonly exclude: readonly string[] }
  | { readonly kind: 'arguments'; readonly decl: Decl };

export function completion(a: Analysis, offset: number): CompletionItem[] {
  const ctx = completionContext(a, offset);
  const keywords = (words: readonly string[]): CompletionItem[] => words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword }));
  const activations = (): CompletionItem[] => ACTIVATIONS.map((w) => ({ label: w, kind: CompletionItemKind.EnumMember, detail: ACTIVATION_DOCS[w] }));
  const params = (decl: Decl | undefined): CompletionItem[] => (decl?.params ?? []).map((p) => ({
    label: p.name, kind: CompletionItemKind.Variable, detail: `parameter of ${decl!.name}${p.value !== undefined ? ` = ${p.value}` : ''}`,
  }));
  switch (ctx.kind) {
    case 'top': return keywords(['model']);
    case 'nothing': return [];
    case 'base': return a.outline.decls.filter((d) => d.name !== ctx.decl?.name).map((d) => ({
      label: d.name, kind: CompletionItemKind.Class, detail: d.kind === 'variant' ? `variant of ${d.base?.name ?? '?'}` : 'model',
    }));
    case 'arguments': {
      const root = rootModel(ctx.decl, new Map(a.outline.decls.map((d) => [d.name, d])));
      const given = new Set(ctx.decl.params.map((p) => p.name));
      return params(root).filter((p) => !given.has(p.label)).map((p) => ({ ...p, insertText: `${p.label} = ` }));
    }
    case 'value': return params(ctx.decl);
    case 'values': return (ctx.decl?.values ?? []).filter((v) => !ctx.exclude.includes(v.name)).map((v) => ({
      label: v.name, kind: CompletionItemKind.Variable, detail: `value of ${ctx.decl!.name}${v.statement ? `: ${v.statement}` : ''}`,
    }));
    case 'activation': return activations();
    case 'body': return keywords(BODY_KEYWORDS);
    case 'afterSized': return [...activations(), ...keywords(['from', ...BODY_KEYWORDS])];
    case 'afterHead': return keywords(['from', ...BODY_KEYWORDS]);
    case 'beforeBlock': return keywords(['from']);
    case 'spinal': return keywords(SPINAL_KEYWORDS);
    case 'afterSplit': return keywords(['interleaved', ...SPINAL_KEYWORDS]);
  }
}

function completionContext(a: Analysis, offset: number): Context {
  let before = a.outline.tokens.filter((t) => spanOf(t).end <= offset);
  const last = before[before.length - 1];
  // A word being typed is the prefix of what is completed: the context is what stands before it.
  if (last && spanOf(last).end === offset && /^[A-Za-z_]/.test(last.image)) before = before.slice(0, -1);
  let start = -1;
  for (let i = before.length - 1; i >= 0; i--) {
    if (before[i].image === 'model' && before[i].tokenType.name !== 'Ident') { start = i; break; }
  }
  if (start < 0) return { kind: 'top' };
  const ts = before.slice(start);
  const decl = a.outline.decls.find((d) => d.extent.start === ts[0].startOffset);
  if (ts.length <= 2) return { kind: 'nothing' };
  if (ts[2].image === '=') {
    if (ts.length === 3) return { kind: 'base', ...(decl ? { decl } : {}) };
    if (ts.some((t) => t.image === ')')) return { kind: 'top' };
    const prev = ts[ts.length - 1].image;
    return decl && (prev === '(' || prev === ',') ? { kind: 'arguments', decl } : { kind: 'nothing' };
  }
  const open = ts.findIndex((t) => t.image === '{');
  if (open < 0) return { kind: 'nothing' };
  let depth = 0;
  let statement: IToken | undefined;
  for (const t of ts.slice(open)) {
    if (t.image === '{') depth++;
    else if (t.image === '}') depth--;
    else if (KEYWORD_SET.has(t.image) && t.tokenType.name !== 'Ident' && (BODY_KEYWORDS.includes(t.image) || SPINAL_KEYWORDS.includes(t.image))) statement = t;
    if (depth <= 0) return { kind: 'top' };
  }
  const prev = ts[ts.length - 1];
  const prev2 = ts[ts.length - 2];
  const isValue = prev.tokenType.name === 'Number' || prev.tokenType.name === 'Ident';
  const withDecl = decl ? { decl } : {};
  const fromList = fromListBefore(ts);
  if (fromList) return { kind: 'values', ...withDecl, exclude: fromList };
  if (VALUE_BEFORE.has(prev.image) && prev.tokenType.name !== 'Ident') return { kind: 'value', ...withDecl };
  if (depth === 1) {
    // A statement that may still take `from`: sized (and maybe an activation), a dropout's p, a batchnorm.
    const keyword = (t: IToken | undefined, ...words: string[]): boolean => t !== undefined && t.tokenType.name !== 'Ident' && words.includes(t.image);
    if (isValue && keyword(prev2, 'dense', 'output')) return { kind: 'afterSized', ...withDecl };
    if (keyword(prev, 'spinal')) return { kind: 'beforeBlock' };
    const activated = keyword(prev, ...ACTIVATIONS) && keyword(ts[ts.length - 3], 'dense', 'output');
    if (activated || (isValue && keyword(prev2, 'dropout')) || keyword(prev, 'batchnorm')) return { kind: 'afterHead', ...withDecl };
    return { kind: 'body', ...withDecl };
  }
  if (prev.image === 'activation') return { kind: 'activation' };
  if (isValue && statement?.image === 'split') return { kind: 'afterSplit' };
  return { kind: 'spinal' };
}

/**
 * When the tokens end with `from` or with a comma of a `from` list, the names the list cannot
 * take again: those already in it, and the value of the statement it belongs to.
 */
function fromListBefore(ts: readonly IToken[]): string[] | undefined {
  let i = ts.length - 1;
  const listed: string[] = [];
  while (i >= 1 && ts[i].image === ',' && ts[i - 1].tokenType.name === 'Ident') {
    listed.push(ts[i - 1].image);
    i -= 2;
  }
  if (ts[i]?.image !== 'from' || ts[i].tokenType.name === 'Ident') return undefined;
  // Back to the statement's keyword; a name and `=` before it name the statement's value.
  let k = i - 1;
  while (k >= 0 && !(ts[k].tokenType.name !== 'Ident' && BODY_KEYWORDS.includes(ts[k].image))) k--;
  const own = k >= 2 && ts[k - 1].image === '=' && ts[k - 2].tokenType.name === 'Ident' ? [ts[k - 2].image] : [];
  return [...listed, ...own];
}

// ---------------------------------------------------------------- names

export function definition(a: Analysis, doc: TextDocument, offset: number): Location | null {
  const occ = occurrenceAt(a.outline, offset);
  if (!occ) return null;
  const decl = a.outline.occurrences.find((o) => o.key === occ.key && o.declaration);
  return decl ? { uri: doc.uri, range: range(doc, decl.span) } : null;
}

export function references(a: Analysis, doc: TextDocument, offset: number, includeDeclaration: boolean): Location[] {
  const occ = occurrenceAt(a.outline, offset);
  if (!occ) return [];
  return a.outline.occurrences
    .filter((o) => o.key === occ.key && (includeDeclaration || !o.declaration))
    .map((o) => ({ uri: doc.uri, range: range(doc, o.span) }));
}

export function prepareRename(a: Analysis, doc: TextDocument, offset: number): { range: LspRange; placeholder: string } | null {
  const occ = occurrenceAt(a.outline, offset);
  return occ ? { range: range(doc, occ.span), placeholder: occ.name } : null;
}

/** Every occurrence renamed, or why the name cannot be used. */
export function rename(a: Analysis, doc: TextDocument, offset: number, newName: string): WorkspaceEdit | { refused: string } {
  const occ = occurrenceAt(a.outline, offset);
  if (!occ) return { refused: 'there is no model, parameter or value here to rename' };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { refused: `'${newName}' is not a name: names are letters, digits and _, not starting with a digit` };
  if (KEYWORD_SET.has(newName)) return { refused: `'${newName}' is a reserved keyword` };
  if (newName !== occ.name) {
    // A parameter and a value of the same model may not share a name either (SPN071).
    const model = occ.key.split(':')[1];
    const taken = occ.kind === 'model'
      ? (a.outline.decls.some((d) => d.name === newName) ? 'model' : undefined)
      : a.outline.occurrences.find((o) => o.key === paramKey(model, newName) || o.key === valueKey(model, newName))?.kind;
    if (taken) return { refused: `'${newName}' is already the name of a ${taken} here` };
  }
  const edits: TextEdit[] = a.outline.occurrences.filter((o) => o.key === occ.key).map((o) => ({ range: range(doc, o.span), newText: newName }));
  return { changes: { [doc.uri]: edits } };
}

// ---------------------------------------------------------------- symbols, lenses, formatting

export function documentSymbols(a: Analysis, doc: TextDocument): DocumentSymbol[] {
  return a.outline.decls.map((d) => {
    const model = a.ast?.models.find((m) => m.name.range.start.offset === d.span.start);
    const layers: DocumentSymbol[] = model?.kind === 'model' ? model.body.map((s) => ({
      name: statementText(s), kind: s.kind === 'spinal' ? SymbolKind.Struct : SymbolKind.Field,
      range: range(doc, { start: s.range.start.offset, end: s.range.end.offset }),
      selectionRange: range(doc, { start: s.range.start.offset, end: s.range.start.offset + s.kind.length }),
    })) : [];
    return {
      name: d.name,
      detail: d.kind === 'variant' ? `variant of ${d.base?.name ?? '?'}` : 'model',
      kind: d.kind === 'variant' ? SymbolKind.Object : SymbolKind.Class,
      range: range(doc, d.extent),
      selectionRange: range(doc, d.span),
      children: [
        ...d.params.map((p) => ({
          name: p.name, detail: p.value ?? '', kind: d.kind === 'model' ? SymbolKind.TypeParameter : SymbolKind.Property,
          range: range(doc, p.span), selectionRange: range(doc, p.span),
        })),
        ...layers,
      ],
    };
  });
}

function statementText(s: Stmt): string {
  const from = s.from ? ` from ${s.from.names.map((n) => n.name).join(', ')}` : '';
  return `${s.name ? `${s.name.name} = ` : ''}${statementWords(s)}${from}`;
}

function statementWords(s: Stmt): string {
  const v = (x: { kind: 'number'; text: string } | { kind: 'name'; name: string }): string => (x.kind === 'number' ? x.text : x.name);
  switch (s.kind) {
    case 'input': return `input ${v(s.size)}`;
    case 'dense': return `dense ${v(s.units)}${s.activation ? ` ${s.activation.name}` : ''}`;
    case 'dropout': return `dropout ${v(s.p)}`;
    case 'batchnorm': return 'batchnorm';
    case 'spinal': return 'spinal';
    case 'output': return `output ${v(s.size)}${s.activation ? ` ${s.activation.name}` : ''}`;
  }
}

/** Above each model that compiled: its MACs, parameters and ratio to its dense baseline. */
export function codeLenses(a: Analysis, doc: TextDocument): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const d of a.outline.decls) {
    const r = a.report(d.name);
    if (!r) continue;
    const title = `${int(r.macs)} MACs · ${int(r.parameters)} parameters · ${ratio(r.ratio)} the dense baseline's MACs`;
    lenses.push({ range: range(doc, d.span), command: { title, command: '' } });
  }
  return lenses;
}

/** The whole document in the canonical layout; nothing while it has syntax errors. */
export function formatting(doc: TextDocument): TextEdit[] {
  const text = doc.getText();
  const r = format(text);
  if (!r.ok || r.text === text) return [];
  return [{ range: range(doc, { start: 0, end: text.length }), newText: r.text }];
}
