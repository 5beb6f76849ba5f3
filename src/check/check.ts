// Semantic checks: every rule of the language's "Meaning", and parameter resolution.
// Produces a ModelSpec for every model and variant that is free of errors.
import type * as A from '../syntax/ast.js';
import type { Range } from '../diagnostics/source.js';
import { isSoftmax } from '../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { nearest } from '../diagnostics/edit-distance.js';
import { part, phrase } from '../diagnostics/wording.js';
import { evaluationOrder, type FlowSpec, type InputSpec, type LayerSpec, type ModelSpec, type OutputSpec, type SpinalSpec } from './spec.js';
import { linkFlow } from './flow.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { splitSizes } from './rows.js';
import { Reporter } from './report.js';
import { Resolver, withOverrides, type Env } from './link.js';
import { overSize } from './size.js';

export interface CheckOptions {
  readonly limits?: Limits;
  /** Lint warnings become errors (`--deny-warnings`); applied by compile(). */
  readonly denyWarnings?: boolean;
  /** Parameter values that override defaults and variant arguments (`--set name=value`). */
  readonly overrides?: Readonly<Record<string, number>>;
  /**
   * How messages name the limit on parameters, which the caller may raise (the CLI names its
   * flag); by default the option's own name, `limits.maxParameters`.
   */
  readonly limitNames?: { readonly maxParameters?: string };
}

export interface CheckResult {
  readonly models: readonly ModelSpec[];
  readonly diagnostics: readonly Diagnostic[];
}

export function check(ast: A.FileAst, options: CheckOptions = {}): CheckResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const report = new Reporter();
  const declared = new Map<string, A.ModelDecl>();
  for (const m of ast.models) {
    const first = declared.get(m.name.name);
    if (first) {
      report.error('SPN010', m.name.range, { name: m.name.name, line: first.name.range.start.line });
    } else {
      declared.set(m.name.name, m);
    }
    checkBindings(m.kind === 'model' ? m.params : m.args, report);
  }
  const models: ModelSpec[] = [];
  const resolver = new Resolver(declared, report);
  let fileLayers = 0;
  for (const m of declared.values()) {
    const before = report.count;
    const resolved = resolver.resolve(m);
    if (!resolved || report.count > before) continue;
    const env = withOverrides(resolved.env, options.overrides);
    const spec = checkBody(m, resolved.def, env, limits, report);
    if (!spec || report.count !== before) continue;
    fileLayers += layerCount(spec);
    if (fileLayers > (limits.maxFileLayers ?? Infinity)) {
      report.error('SPN052', m.name.range, { name: m.name.name, layers: fileLayers, max: String(limits.maxFileLayers) });
      break;
    }
    models.push({ ...spec, ...(m.kind === 'variant' ? { base: m.base.name } : {}) });
  }
  // The size of each model that passed the other checks, after them (SPN050).
  const parameterLimit = options.limitNames?.maxParameters ?? 'limits.maxParameters';
  const fitting = models.filter((model) => {
    const over = overSize(model, limits);
    if (over) report.error('SPN050', model.range, { name: model.name, count: over.count, max: over.max, parameterLimit }, { message: over.limit });
    return !over;
  });
  return { models: fitting, diagnostics: report.diagnostics };
}

/** Layers a model lowers to: one a statement, `layers` a spinal block, one for the output. */
function layerCount(spec: Omit<ModelSpec, 'base'>): number {
  return spec.layers.reduce((n, l) => n + (l.kind === 'spinal' ? l.layers : 1), 1);
}

function checkBindings(bindings: readonly A.Binding[], report: Reporter): void {
  const seen = new Set<string>();
  for (const b of bindings) {
    if (seen.has(b.name.name)) report.error('SPN014', b.name.range, { name: b.name.name });
    seen.add(b.name.name);
    if (!Number.isFinite(b.value.value)) report.error('SPN005', b.value.range, { text: b.value.text });
  }
}

/** Resolves values against the parameters, reporting where a bad value came from. */
class Values {
  constructor(
    private readonly env: Env,
    private readonly report: Reporter,
    private readonly limits: Limits,
  ) {}

  get maxLayers(): number {
    return this.limits.maxLayers;
  }

  raw(v: A.Value): { value: number; where: Range; from: string } | undefined {
    if (v.kind === 'number') {
      if (!Number.isFinite(v.value)) {
        this.report.error('SPN005', v.range, { text: v.text });
        return undefined;
      }
      return { value: v.value, where: v.range, from: '' };
    }
    const bound = this.env.get(v.name);
    if (!bound) {
      const guess = nearest(v.name, this.env.keys());
      this.report.error('SPN015', v.range, { name: v.name, parameters: [...this.env.keys()].join(', '), ...(guess !== undefined ? { guess } : {}) },
        { hint: guess !== undefined ? 'didYouMean' : this.env.size > 0 ? 'inScope' : 'declare' });
      return undefined;
    }
    if (!Number.isFinite(bound.value)) return undefined; // reported at the binding
    return { value: bound.value, where: bound.binding?.value.range ?? v.range, from: phrase('from', { name: v.name, value: bound.value, origin: bound.origin }) };
  }

  /** A positive integer up to a limit: the size limit (SPN032) unless another is given with its code. */
  positiveInt(v: A.Value, what: string, limit: { readonly max: number; readonly code: 'SPN032' | 'SPN051' } = { max: this.limits.maxSize, code: 'SPN032' }): number | undefined {
    const { max } = limit;
    const r = this.raw(v);
    if (!r) return undefined;
    if (!Number.isInteger(r.value) || r.value < 1) {
      this.report.error('SPN030', r.where, { what, value: r.value, from: r.from, rounded: Math.max(1, Math.round(r.value)) }, Number.isInteger(r.value) ? {} : { hint: 'round' });
      return undefined;
    }
    if (r.value > max) {
      this.report.error(limit.code, r.where, { what, value: r.value, from: r.from, max });
      return undefined;
    }
    return r.value;
  }

  probability(v: A.Value): number | undefined {
    const r = this.raw(v);
    if (!r) return undefined;
    if (!(r.value >= 0 && r.value < 1)) {
      this.report.error('SPN031', r.where, { value: r.value, from: r.from });
      return undefined;
    }
    return r.value;
  }
}

function checkBody(decl: A.ModelDecl, def: A.ModelDef, env: Env, limits: Limits, report: Reporter): Omit<ModelSpec, 'base'> | undefined {
  const values = new Values(env, report, limits);
  const body = def.body;
  const inputs = body.filter((s): s is A.InputStmt => s.kind === 'input');
  const outputs = body.filter((s): s is A.OutputStmt => s.kind === 'output');
  const before = report.count;
  if (inputs.length === 0) report.error('SPN020', def.name.range, { name: def.name.name });
  if (outputs.length === 0) report.error('SPN023', def.name.range, { name: def.name.name });
  // Named inputs are several inputs; unnamed ones are one input given twice.
  const named = inputs.some((i) => i.name);
  if (!named) for (const extra of inputs.slice(1)) report.error('SPN022', extra.range, { line: inputs[0].range.start.line });
  for (const extra of outputs.slice(1)) report.error('SPN025', extra.range, { line: outputs[0].range.start.line });
  // The inputs are the first statements.
  const firstLayer = body.findIndex((s) => s.kind !== 'input');
  const late = inputs.filter((i) => firstLayer >= 0 && body.indexOf(i) > firstLayer);
  for (const i of named ? late : late.slice(0, 1)) report.error('SPN021', i.range);
  // A repeated output is reported as such; only a body that does not end in one is out of order.
  if (outputs.length > 0 && body[body.length - 1].kind !== 'output') report.error('SPN024', outputs[0].range);
  const flows = linkFlow(def, report.count === before, report);

  // Sizes of values, found in the order of evaluation; layers are numbered in source order.
  const sizes = new Map<string, number | undefined>();
  const inputSpecs: InputSpec[] = [];
  for (const i of inputs) {
    const size = values.positiveInt(i.size, 'input size');
    const { value } = flows.get(i)!;
    sizes.set(value, size);
    if (size !== undefined) inputSpecs.push({ name: value, size });
  }
  const index = numberLayers(body);
  const features = (stmt: A.Stmt): number | undefined => {
    const parts = flows.get(stmt)!.reads.map((r) => sizes.get(r));
    if (parts.length === 0 || parts.some((n) => n === undefined)) return undefined;
    const total = (parts as number[]).reduce((a, b) => a + b, 0);
    if (total <= limits.maxSize) return total;
    report.error('SPN032', stmt.range, { what: 'concatenated size', value: total, from: '', max: String(limits.maxSize) });
    return undefined;
  };
  const checked = new Map<A.Stmt, LayerSpec>();
  const layerStmts = body.filter((s) => s.kind !== 'input' && s.kind !== 'output');
  for (const { stmt } of evaluationOrder(layerStmts.map((stmt) => ({ ...flows.get(stmt)!, stmt })))) {
    const flow = flows.get(stmt)!;
    const n = features(stmt);
    let layer: LayerSpec | undefined;
    switch (stmt.kind) {
      case 'dense': {
        const units = values.positiveInt(stmt.units, 'dense size');
        if (stmt.activation && isSoftmax(stmt.activation.name)) warnSoftmax(stmt.activation, part('SPN061', 'dense', { index: index.get(stmt)! }), report);
        if (units !== undefined) layer = { kind: 'dense', index: index.get(stmt)!, units, activation: stmt.activation?.name ?? 'relu', ...flow };
        sizes.set(flow.value, units);
        break;
      }
      case 'dropout': {
        const p = values.probability(stmt.p);
        if (p !== undefined) layer = { kind: 'dropout', p, ...flow };
        sizes.set(flow.value, n);
        break;
      }
      case 'batchnorm':
        layer = { kind: 'batchnorm', index: index.get(stmt)!, ...flow };
        sizes.set(flow.value, n);
        break;
      case 'spinal': {
        const spec = checkSpinal(stmt, index.get(stmt)!, n, values, report);
        if (spec) layer = { ...spec, ...flow };
        sizes.set(flow.value, spec ? spec.width * spec.layers : undefined);
        break;
      }
      default:
        break;
    }
    if (layer) checked.set(stmt, layer);
  }
  const out = outputs[0];
  const units = out ? values.positiveInt(out.size, 'output size') : undefined;
  if (out) features(out);
  // A statement without a spec had an error, reported here or where its cause is (a binding).
  if (inputSpecs.length !== inputs.length || inputs.length === 0 || units === undefined || checked.size !== layerStmts.length) return undefined;
  const output: OutputSpec = { kind: 'output', units, activation: out.activation?.name ?? 'linear', ...flows.get(out)! };
  const params = Object.fromEntries([...env].map(([k, b]) => [k, b.value]));
  const layers = layerStmts.flatMap((s) => checked.get(s) ?? []);
  return { name: decl.name.name, range: decl.name.range, params, inputs: inputSpecs, layers, output };
}

/** Each dense, batchnorm and spinal statement's number among its kind, in source order (its weights' names). */
function numberLayers(body: readonly A.Stmt[]): Map<A.Stmt, number> {
  const counters = { dense: 0, batchnorm: 0, spinal: 0 };
  const index = new Map<A.Stmt, number>();
  for (const stmt of body) if (stmt.kind === 'dense' || stmt.kind === 'batchnorm' || stmt.kind === 'spinal') index.set(stmt, ++counters[stmt.kind]);
  return index;
}

function checkSpinal(stmt: A.SpinalStmt, index: number, features: number | undefined, values: Values, report: Reporter): Omit<SpinalSpec, keyof FlowSpec> | undefined {
  const firstOf = new Map<string, A.SpinalItem>();
  for (const item of stmt.items) {
    if (item.kind === 'tie') continue; // ties may repeat
    const first = firstOf.get(item.kind);
    if (first) report.error('SPN042', item.range, { setting: item.kind, line: first.range.start.line });
    else firstOf.set(item.kind, item);
  }
  const get = <K extends A.SpinalItem['kind']>(k: K) => firstOf.get(k) as Extract<A.SpinalItem, { kind: K }> | undefined;
  const widthItem = get('width');
  const layersItem = get('layers');
  const split = get('split');
  const spinalKw = { start: stmt.range.start, end: { ...stmt.range.start, offset: stmt.range.start.offset + 6, column: stmt.range.start.column + 6 } };
  if (!widthItem) report.error('SPN040', spinalKw);
  if (!layersItem) report.error('SPN041', spinalKw);
  const width = widthItem ? values.positiveInt(widthItem.value, 'width') : undefined;
  const layers = layersItem ? values.positiveInt(layersItem.value, 'layers', { max: values.maxLayers, code: 'SPN051' }) : undefined;
  const ratios = split ? split.ratios.map((r) => values.positiveInt(r, 'split ratio')) : [1, 1];
  const dropoutItem = get('dropout');
  const dropout = dropoutItem ? values.probability(dropoutItem.p) : undefined;
  if (width === undefined || layers === undefined || ratios.some((r) => r === undefined)) return undefined;
  if (dropoutItem && dropout === undefined) return undefined;
  const rs = ratios as number[];
  const interleaved = split?.interleaved ?? false;
  if (interleaved && rs.some((r) => r !== rs[0])) {
    report.error('SPN044', split!.range, { ratios: rs.join(':'), equal: rs.map(() => '1').join(':') });
    return undefined;
  }
  const tieItems = stmt.items.filter((i): i is A.TieItem => i.kind === 'tie');
  const ties = checkTies(tieItems, layers, width, features === undefined ? undefined : splitSizes(features, rs), values, report);
  if (ties === undefined) return undefined;
  if (features !== undefined) {
    const sizes = splitSizes(features, rs);
    const empty = sizes.indexOf(0);
    if (empty >= 0) {
      report.error('SPN043', split?.range ?? spinalKw, { row: empty + 1, rows: rs.length, features, ratios: rs.join(':'), sizes: sizes.join(', ') });
      return undefined;
    }
    lintRows(sizes, layers, split, layersItem!, report);
  }
  const activationItem = get('activation');
  if (activationItem && isSoftmax(activationItem.activation.name)) warnSoftmax(activationItem.activation, part('SPN061', 'spinal', { index }), report);
  return {
    kind: 'spinal',
    index,
    ratios: rs,
    interleaved,
    width,
    layers,
    activation: activationItem?.activation.name ?? 'relu',
    ...(dropout !== undefined ? { dropout } : {}),
    batchnorm: firstOf.has('batchnorm'),
    ...(Object.keys(ties).length > 0 ? { ties } : {}),
  };
}

/**
 * The block's `tie` settings as sub-layer -> owner (SPN045 for a tie out of range, to itself,
 * twice, or to a tied sub-layer; SPN046 for weights of different shapes). `sizes` are the rows'
 * sizes, unknown when an earlier layer had an error. Undefined when a tie is wrong.
 */
function checkTies(items: readonly A.TieItem[], layers: number, width: number, sizes: readonly number[] | undefined, values: Values, report: Reporter): Record<number, number> | undefined {
  const ties: Record<number, number> = {};
  const tiedBy = new Map<number, A.TieItem>();
  let ok = true;
  const resolved: { item: A.TieItem; first: number; last: number; owner: number }[] = [];
  for (const item of items) {
    const [first, last, owner] = [item.first, item.last, item.owner].map((v) => values.positiveInt(v, 'sub-layer'));
    if (first === undefined || last === undefined || owner === undefined) {
      ok = false;
      continue;
    }
    const outside = [first, last, owner].find((j) => j > layers);
    if (outside !== undefined) {
      report.error('SPN045', item.range, { sub: outside, layers }, { message: 'outOfRange' });
      ok = false;
    } else if (first > last) {
      report.error('SPN045', item.range, { first, last, owner }, { message: 'empty' });
      ok = false;
    } else if (owner >= first && owner <= last) {
      report.error('SPN045', item.range, { owner }, { message: 'self' });
      ok = false;
    } else {
      const again = Array.from({ length: last - first + 1 }, (_, i) => first + i).find((j) => tiedBy.has(j));
      if (again !== undefined) {
        report.error('SPN045', item.range, { sub: again, line: tiedBy.get(again)!.range.start.line }, { message: 'twice' });
        ok = false;
      }
      for (let j = first; j <= last; j++) if (!tiedBy.has(j)) tiedBy.set(j, item);
      resolved.push({ item, first, last, owner });
    }
  }
  for (const { item, first, last, owner } of resolved) {
    const ownersOwner = tiedBy.get(owner);
    if (ownersOwner) {
      const root = resolved.find((r) => r.item === ownersOwner)!.owner;
      report.error('SPN045', item.owner.range, { owner, root }, { message: 'chained' });
      ok = false;
      continue;
    }
    if (sizes !== undefined) {
      const inputs = (j: number) => sizes[(j - 1) % sizes.length] + (j === 1 ? 0 : width);
      const wrong = Array.from({ length: last - first + 1 }, (_, i) => first + i).find((j) => inputs(j) !== inputs(owner));
      if (wrong !== undefined) {
        const reads = (j: number) => part('SPN046', 'reads', {
          sub: j, features: inputs(j),
          source: j === 1 ? part('SPN046', 'rowAlone') : part('SPN046', 'rowAndPrevious', { row: ((j - 1) % sizes.length) + 1, previous: j - 1, width }),
        });
        report.error('SPN046', item.range, { wrong: reads(wrong), owner: reads(owner) }, { hint: wrong === 1 || owner === 1 ? 'firstSubLayer' : 'rows' });
        ok = false;
        continue;
      }
    }
    for (let j = first; j <= last; j++) ties[j] = owner;
  }
  return ok ? ties : undefined;
}

/** Rows larger than this many times the smallest row draw a warning (SPN062). */
export const MAX_ROW_RATIO = 4;

/** Lint of a block's rows: rows that no sub-layer reads (SPN060), rows of very unequal size (SPN062). */
function lintRows(sizes: readonly number[], layers: number, split: A.SplitItem | undefined, layersItem: A.LayersItem, report: Reporter): void {
  // Sub-layer k reads row ((k - 1) mod rows) + 1: with fewer sub-layers than rows, the last rows feed nothing.
  if (layers < sizes.length) {
    const unread = sizes.slice(layers).reduce((a, b) => a + b, 0);
    report.warning('SPN060', layersItem.range, { layers, rows: sizes.length, from: layers + 1, unread },
      { message: layers + 1 === sizes.length ? 'lastRow' : 'lastRows' });
  }
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  if (split && large > MAX_ROW_RATIO * small) {
    report.warning('SPN062', split.range, { sizes: sizes.join(', '), ratio: (large / small).toFixed(1), max: MAX_ROW_RATIO });
  }
}

/** Softmax or log_softmax anywhere but the output layer (SPN061). */
function warnSoftmax(activation: A.ActivationRef, where: string, report: Reporter): void {
  const name = activation.name;
  const effect = part('SPN061', name === 'softmax' ? 'softmax' : 'log_softmax');
  report.warning('SPN061', activation.range, { activation: name, where, effect });
}
