// Semantic checks: every rule of the language's "Meaning", and parameter resolution.
// Produces a ModelSpec for every model and variant that is free of errors.
import type * as A from '../syntax/ast.js';
import type { Range } from '../diagnostics/source.js';
import { isSoftmax } from '../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Code, WarningCode } from '../diagnostics/catalogue.js';
import { didYouMean } from '../diagnostics/edit-distance.js';
import type { LayerSpec, ModelSpec, OutputSpec, SpinalSpec } from './spec.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { splitSizes } from './rows.js';

export interface CheckOptions {
  readonly limits?: Limits;
  /** Lint warnings become errors (`--deny-warnings`); applied by compile(). */
  readonly denyWarnings?: boolean;
  /** Parameter values that override defaults and variant arguments (`--set name=value`). */
  readonly overrides?: Readonly<Record<string, number>>;
}

export interface CheckResult {
  readonly models: readonly ModelSpec[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A parameter's value and the binding it came from. */
interface Bound {
  readonly value: number;
  readonly binding?: A.Binding;
  readonly origin: string;
}
type Env = ReadonlyMap<string, Bound>;

class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  /** Errors found so far, repeats included: a variant re-finds the errors of its base's body. */
  private found = 0;

  error(code: Code, range: Range, message: string, hint?: string): void {
    this.found++;
    const key = `${code}@${range.start.offset}-${range.end.offset}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push({ code, severity: 'error', range, message, ...(hint ? { hint } : {}) });
  }

  /** A lint warning: reported once, and it keeps the model (it does not count as an error). */
  warning(code: WarningCode, range: Range, message: string, hint?: string): void {
    const key = `${code}@${range.start.offset}-${range.end.offset}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push({ code, severity: 'warning', range, message, ...(hint ? { hint } : {}) });
  }

  get count(): number {
    return this.found;
  }
}

export function check(ast: A.FileAst, options: CheckOptions = {}): CheckResult {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const report = new Reporter();
  const declared = new Map<string, A.ModelDecl>();
  for (const m of ast.models) {
    const first = declared.get(m.name.name);
    if (first) {
      report.error('SPN010', m.name.range, `model '${m.name.name}' is already declared on line ${first.name.range.start.line}`, 'give each model and variant its own name');
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
      report.error('SPN052', m.name.range, `with '${m.name.name}' this file declares ${fileLayers} layers, more than the limit ${limits.maxFileLayers}`, 'split the models over several files, or use fewer variants');
      break;
    }
    models.push({ ...spec, ...(m.kind === 'variant' ? { base: m.base.name } : {}) });
  }
  return { models, diagnostics: report.diagnostics };
}

/** Layers a model lowers to: one a statement, `layers` a spinal block, one for the output. */
function layerCount(spec: Omit<ModelSpec, 'base'>): number {
  return spec.layers.reduce((n, l) => n + (l.kind === 'spinal' ? l.layers : 1), 1);
}

function checkBindings(bindings: readonly A.Binding[], report: Reporter): void {
  const seen = new Set<string>();
  for (const b of bindings) {
    if (seen.has(b.name.name)) report.error('SPN014', b.name.range, `parameter '${b.name.name}' is given twice`);
    seen.add(b.name.name);
    if (!Number.isFinite(b.value.value)) report.error('SPN005', b.value.range, `the number ${b.value.text} is too large to represent`);
  }
}

interface Resolved {
  readonly def: A.ModelDef;
  readonly env: Env;
}

/**
 * Resolves every declaration to its model definition and parameter values, each variant's
 * arguments merged over its base's. Memoized, so long chains of variants stay linear.
 */
class Resolver {
  /** undefined: the declaration cannot be resolved (reported where the cause is). */
  private readonly done = new Map<A.ModelDecl, Resolved | undefined>();

  constructor(
    private readonly declared: ReadonlyMap<string, A.ModelDecl>,
    private readonly report: Reporter,
  ) {}

  resolve(decl: A.ModelDecl): Resolved | undefined {
    const chain: A.VariantDef[] = [];
    const onChain = new Set<A.ModelDecl>();
    let at: A.ModelDecl = decl;
    while (!this.done.has(at) && at.kind === 'variant') {
      if (onChain.has(at)) {
        this.reportCycle(chain.slice(chain.indexOf(at)));
        return this.fail(chain);
      }
      onChain.add(at);
      chain.push(at);
      const base = this.declared.get(at.base.name);
      if (!base) {
        const hint = didYouMean(at.base.name, this.declared.keys());
        this.report.error('SPN011', at.base.range, `no model named '${at.base.name}'`, hint ?? `declare 'model ${at.base.name} { ... }' first`);
        return this.fail(chain);
      }
      at = base;
    }
    let resolved = this.done.has(at) ? this.done.get(at) : this.defaults(at as A.ModelDef);
    this.done.set(at, resolved);
    for (const variant of chain.reverse()) {
      resolved = resolved && this.applyArgs(variant, resolved);
      this.done.set(variant, resolved);
    }
    return resolved;
  }

  private defaults(def: A.ModelDef): Resolved {
    const env = new Map<string, Bound>(def.params.map((p) => [p.name.name, { value: p.value.value, binding: p, origin: `default of '${def.name.name}'` }]));
    return { def, env };
  }

  private applyArgs(variant: A.VariantDef, base: Resolved): Resolved | undefined {
    const { def } = base;
    const env = new Map(base.env);
    let ok = true;
    for (const arg of variant.args) {
      if (!env.has(arg.name.name)) {
        const hint = didYouMean(arg.name.name, env.keys()) ?? (env.size > 0 ? `'${def.name.name}' has parameters ${[...env.keys()].map((k) => `'${k}'`).join(', ')}` : `'${def.name.name}' has no parameters`);
        this.report.error('SPN013', arg.name.range, `model '${def.name.name}' has no parameter '${arg.name.name}'`, hint);
        ok = false;
        continue;
      }
      env.set(arg.name.name, { value: arg.value.value, binding: arg, origin: `argument of '${variant.name.name}'` });
    }
    return ok ? { def, env } : undefined;
  }

  /**
   * Reports each variant of a cycle once, at its own name, with the path from it back to itself;
   * a long cycle shows its first steps and its length (every message naming all 20,000 variants
   * of a ring would hold 20,000² names).
   */
  private reportCycle(cycle: readonly A.VariantDef[]): void {
    const SHOWN = 4;
    cycle.forEach((v, k) => {
      const names = Array.from({ length: Math.min(cycle.length, SHOWN) }, (_, i) => `'${cycle[(k + i) % cycle.length].name.name}'`);
      const path = cycle.length <= SHOWN ? [...names, names[0]].join(' -> ') : `${names.join(' -> ')} -> ... -> '${v.name.name}' (${cycle.length} variants)`;
      this.report.error('SPN012', v.name.range, `variant '${v.name.name}' derives from itself: ${path}`, 'a chain of variants must end at a model with a body');
    });
  }

  private fail(chain: readonly A.VariantDef[]): undefined {
    for (const v of chain) this.done.set(v, undefined);
    return undefined;
  }
}

function withOverrides(env: Env, overrides: Readonly<Record<string, number>> | undefined): Env {
  if (!overrides) return env;
  const out = new Map(env);
  for (const [name, value] of Object.entries(overrides)) if (out.has(name)) out.set(name, { value, origin: `--set ${name}=${value}` });
  return out;
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
        this.report.error('SPN005', v.range, `the number ${v.text} is too large to represent`);
        return undefined;
      }
      return { value: v.value, where: v.range, from: '' };
    }
    const bound = this.env.get(v.name);
    if (!bound) {
      const hint = didYouMean(v.name, this.env.keys()) ?? (this.env.size > 0 ? `parameters in scope: ${[...this.env.keys()].join(', ')}` : 'declare it as a parameter: model name(' + v.name + ' = ...) { ... }');
      this.report.error('SPN015', v.range, `unknown name '${v.name}'`, hint);
      return undefined;
    }
    if (!Number.isFinite(bound.value)) return undefined; // reported at the binding
    return { value: bound.value, where: bound.binding?.value.range ?? v.range, from: ` (${v.name} = ${bound.value}, ${bound.origin})` };
  }

  /** A positive integer up to a limit: the size limit (SPN032) unless another is given with its code. */
  positiveInt(v: A.Value, what: string, limit: { readonly max: number; readonly code: 'SPN032' | 'SPN051' } = { max: this.limits.maxSize, code: 'SPN032' }): number | undefined {
    const { max } = limit;
    const r = this.raw(v);
    if (!r) return undefined;
    if (!Number.isInteger(r.value) || r.value < 1) {
      this.report.error('SPN030', r.where, `${what} must be a positive integer, got ${r.value}${r.from}`, Number.isInteger(r.value) ? undefined : `use ${Math.max(1, Math.round(r.value))}`);
      return undefined;
    }
    if (r.value > max) {
      this.report.error(limit.code, r.where, `${what} ${r.value}${r.from} is larger than the limit ${max}`);
      return undefined;
    }
    return r.value;
  }

  probability(v: A.Value): number | undefined {
    const r = this.raw(v);
    if (!r) return undefined;
    if (!(r.value >= 0 && r.value < 1)) {
      this.report.error('SPN031', r.where, `dropout probability must be at least 0 and below 1, got ${r.value}${r.from}`, 'a probability such as 0.5');
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
  if (inputs.length === 0) report.error('SPN020', def.name.range, `model '${def.name.name}' has no 'input' statement`, "start the body with 'input N', N the number of features");
  if (outputs.length === 0) report.error('SPN023', def.name.range, `model '${def.name.name}' has no 'output' statement`, "end the body with 'output N', N the number of outputs");
  for (const extra of inputs.slice(1)) report.error('SPN022', extra.range, `'input' is given twice; the first is on line ${inputs[0].range.start.line}`);
  for (const extra of outputs.slice(1)) report.error('SPN025', extra.range, `'output' is given twice; the first is on line ${outputs[0].range.start.line}`);
  if (inputs.length > 0 && body[0] !== inputs[0]) report.error('SPN021', inputs[0].range, "'input' must be the first statement of a model", 'move it to the top of the body');
  // A repeated output is reported as such; only a body that does not end in one is out of order.
  if (outputs.length > 0 && body[body.length - 1].kind !== 'output') report.error('SPN024', outputs[0].range, "'output' must be the last statement of a model", 'move it to the end of the body');

  const input = inputs[0] ? values.positiveInt(inputs[0].size, 'input size') : undefined;
  let features = input;
  const layers: LayerSpec[] = [];
  const counters = { dense: 0, batchnorm: 0, spinal: 0 };
  for (const stmt of body) {
    switch (stmt.kind) {
      case 'dense': {
        const units = values.positiveInt(stmt.units, 'dense size');
        counters.dense++;
        if (stmt.activation && isSoftmax(stmt.activation.name)) warnSoftmax(stmt.activation, `dense ${counters.dense}`, report);
        if (units !== undefined) layers.push({ kind: 'dense', index: counters.dense, units, activation: stmt.activation?.name ?? 'relu' });
        features = units;
        break;
      }
      case 'dropout': {
        const p = values.probability(stmt.p);
        if (p !== undefined) layers.push({ kind: 'dropout', p });
        break;
      }
      case 'batchnorm':
        counters.batchnorm++;
        layers.push({ kind: 'batchnorm', index: counters.batchnorm });
        break;
      case 'spinal': {
        counters.spinal++;
        const spec = checkSpinal(stmt, counters.spinal, features, values, report);
        if (spec) layers.push(spec);
        features = spec ? spec.width * spec.layers : undefined;
        break;
      }
      default:
        break;
    }
  }
  const out = outputs[0];
  const units = out ? values.positiveInt(out.size, 'output size') : undefined;
  if (input === undefined || units === undefined) return undefined;
  const output: OutputSpec = { kind: 'output', units, activation: out.activation?.name ?? 'linear' };
  const params = Object.fromEntries([...env].map(([k, b]) => [k, b.value]));
  return { name: decl.name.name, range: decl.name.range, params, input, layers, output };
}

function checkSpinal(stmt: A.SpinalStmt, index: number, features: number | undefined, values: Values, report: Reporter): SpinalSpec | undefined {
  const firstOf = new Map<string, A.SpinalItem>();
  for (const item of stmt.items) {
    if (item.kind === 'tie') continue; // ties may repeat
    const first = firstOf.get(item.kind);
    if (first) report.error('SPN042', item.range, `'${item.kind}' is given twice in this spinal block; the first is on line ${first.range.start.line}`, 'keep one');
    else firstOf.set(item.kind, item);
  }
  const get = <K extends A.SpinalItem['kind']>(k: K) => firstOf.get(k) as Extract<A.SpinalItem, { kind: K }> | undefined;
  const widthItem = get('width');
  const layersItem = get('layers');
  const split = get('split');
  const spinalKw = { start: stmt.range.start, end: { ...stmt.range.start, offset: stmt.range.start.offset + 6, column: stmt.range.start.column + 6 } };
  if (!widthItem) report.error('SPN040', spinalKw, "spinal block has no 'width'", "add 'width N': the neurons of each sub-layer");
  if (!layersItem) report.error('SPN041', spinalKw, "spinal block has no 'layers'", "add 'layers N': the number of sub-layers");
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
    report.error('SPN044', split!.range, `an interleaved split deals features out in turn, so its ratios must be equal, got ${rs.join(':')}`, `use ${rs.map(() => '1').join(':')} interleaved, or drop 'interleaved'`);
    return undefined;
  }
  const tieItems = stmt.items.filter((i): i is A.TieItem => i.kind === 'tie');
  const ties = checkTies(tieItems, layers, width, features === undefined ? undefined : splitSizes(features, rs), values, report);
  if (ties === undefined) return undefined;
  if (features !== undefined) {
    const sizes = splitSizes(features, rs);
    const empty = sizes.indexOf(0);
    if (empty >= 0) {
      report.error('SPN043', split?.range ?? spinalKw, `row ${empty + 1} of ${rs.length} would be empty: ${features} features split ${rs.join(':')} gives rows of ${sizes.join(', ')}`, `use at most ${features} rows, or a larger layer before the block`);
      return undefined;
    }
    lintRows(sizes, layers, split, layersItem!, report);
  }
  const activationItem = get('activation');
  if (activationItem && isSoftmax(activationItem.activation.name)) warnSoftmax(activationItem.activation, `spinal block ${index}`, report);
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
      report.error('SPN045', item.range, `sub-layer ${outside} is out of range: the block has ${layers} sub-layer${layers === 1 ? '' : 's'}`, `tie sub-layers 1 to ${layers}`);
      ok = false;
    } else if (first > last) {
      report.error('SPN045', item.range, `the range ${first}..${last} is empty`, `write the lower sub-layer first: tie ${last}..${first} to ${owner}`);
      ok = false;
    } else if (owner >= first && owner <= last) {
      report.error('SPN045', item.range, `sub-layer ${owner} cannot be tied to itself`, `tie the other sub-layers to ${owner}`);
      ok = false;
    } else {
      const again = Array.from({ length: last - first + 1 }, (_, i) => first + i).find((j) => tiedBy.has(j));
      if (again !== undefined) {
        report.error('SPN045', item.range, `sub-layer ${again} is tied twice; the first tie is on line ${tiedBy.get(again)!.range.start.line}`, 'tie each sub-layer once');
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
      report.error('SPN045', item.owner.range, `sub-layer ${owner} is itself tied to sub-layer ${root}, so it has no weights of its own`, `tie to ${root} instead`);
      ok = false;
      continue;
    }
    if (sizes !== undefined) {
      const inputs = (j: number) => sizes[(j - 1) % sizes.length] + (j === 1 ? 0 : width);
      const wrong = Array.from({ length: last - first + 1 }, (_, i) => first + i).find((j) => inputs(j) !== inputs(owner));
      if (wrong !== undefined) {
        const reads = (j: number) => `sub-layer ${j} reads ${inputs(j)} feature${inputs(j) === 1 ? '' : 's'} (${j === 1 ? `row 1 alone` : `row ${((j - 1) % sizes.length) + 1} and sub-layer ${j - 1}'s ${width}`})`;
        report.error('SPN046', item.range, `tied sub-layers need weights of one shape: ${reads(wrong)}, ${reads(owner)}`,
          wrong === 1 || owner === 1 ? 'sub-layer 1 reads its row alone; tie it only to a sub-layer whose row is smaller by the width' : 'tie sub-layers whose rows have the same size');
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
    const which = layers + 1 === sizes.length ? `row ${sizes.length}` : `rows ${layers + 1} to ${sizes.length}`;
    const verb = layers + 1 === sizes.length ? 'feeds' : 'feed';
    report.warning('SPN060', layersItem.range,
      `${layers} sub-layer${layers === 1 ? '' : 's'} read only the first ${layers} of ${sizes.length} rows: ${which} (${unread} feature${unread === 1 ? '' : 's'}) ${verb} nothing`,
      `use 'layers ${sizes.length}' or more, or split into ${layers} row${layers === 1 ? '' : 's'}`);
  }
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  if (split && large > MAX_ROW_RATIO * small) {
    report.warning('SPN062', split.range,
      `rows of very unequal size: ${sizes.join(', ')} features (the largest is ${(large / small).toFixed(1)} times the smallest)`,
      `sub-layers reading the small rows see little of the input; use ratios within ${MAX_ROW_RATIO}:1 of each other`);
  }
}

/** Softmax or log_softmax anywhere but the output layer (SPN061). */
function warnSoftmax(activation: A.ActivationRef, where: string, report: Reporter): void {
  const name = activation.name;
  const effect = name === 'softmax' ? 'its outputs sum to 1' : 'its outputs are log-probabilities, all at most 0';
  report.warning('SPN061', activation.range,
    `${name} on ${where}, before the output layer: ${effect}, which squeezes what the next layer sees`,
    `use relu (or another activation) here; ${name} belongs on 'output', or in the loss`);
}
