// Tensor names of the SpinalNet paper's official PyTorch code, mapped onto canonical names.
//
// The official scripts name their heads in six ways (FAMILIES): each has modules for the
// sub-layers in order and one for the output layer; the MNIST Arch2 scripts have three blocks
// (each its own module names) and a hidden Linear before the output. A module is a plain
// nn.Linear (`fc1.weight`) or an nn.Sequential (`fc_spinal_layer2.1.weight`) that may hold a
// Dropout, the Linear, a BatchNorm1d and an activation. Which index is the Linear and which the
// BatchNorm is read from the tensors, never assumed: the Linear is the submodule with a 2-D
// weight, the BatchNorm the one with a 1-D weight or running statistics, and it must sit right
// after the Linear (spinal computes act(BN(W x)); a BatchNorm elsewhere is left unmapped). A
// head may live under any prefix (`module.`, `fc.`, `classifier.`, `model.`); the prefix and the
// family are found from the output module's name and the sub-layer modules beside it. A name
// map (--map) can name any tensor the families do not.
import { WeightsError, formatShape, label } from '../tensor/errors.js';
import { option } from '../diagnostics/option.js';

export interface SourceTensor {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A naming scheme of the official code. */
export interface Family {
  readonly id: string;
  /** How the module names read, for messages and docs. */
  readonly names: string;
  /** Where the official code uses it. */
  readonly scripts: string;
  /** How the head cuts its input: consecutive rows, or features dealt out in turn. */
  readonly rows: 'consecutive' | 'interleaved';
  /** Spinal blocks the family names: `spinal1` .. `spinal{blocks}`. */
  readonly blocks: number;
  readonly output: string;
  /**
   * The canonical module (`spinal1.sub3`, `dense1`) a module name other than the output stands
   * for, if it is one of this family's.
   */
  layer(module: string): string | undefined;
  /** The output module's name alone is too common to tell the family without sub-layers. */
  readonly needsSubLayers: boolean;
  /** Its sub-layer names are distinctive enough to tell the family without the output module. */
  readonly subLayersAnchor: boolean;
  /** Module names only this family has: when given, a head of this family has one of them. */
  distinctive?(module: string): boolean;
}

/** `fc1` .. `fcN` style: the number in the name is the sub-layer (plus `shift`) of block `block`. */
const numbered = (re: RegExp, shift = 0, block = 1) => (m: string) => {
  const r = re.exec(m);
  return r ? `spinal${block}.sub${Number(r[1]) + shift}` : undefined;
};
/** `fc1`, `fc1_1` .. `fc1_N` style: the bare stem is sub-layer 1, `{stem}_k` sub-layer k + 1. */
const stemmed = (stem: string, block = 1) => {
  const rest = numbered(new RegExp(`^${stem}_([1-9]\\d*)$`), 1, block);
  return (m: string) => (m === stem ? `spinal${block}.sub1` : rest(m));
};
const mnistSub = stemmed('fc1');

/**
 * MNIST/Arch2_MNIST.py: three blocks, on the pixels (`fcp2`, rows of 392), on the features after
 * the first convolution (`fcp`, rows of 720) and after the second (`fc1`, rows of 160), in the
 * order the script concatenates their outputs for `fc2`, then `fc3`.
 */
const ARCH2_BLOCKS = [stemmed('fcp2', 1), stemmed('fcp', 2), stemmed('fc1', 3)];
const arch2Layer = (m: string) => (m === 'fc2' ? 'dense1' : ARCH2_BLOCKS.map((block) => block(m)).find((l) => l !== undefined));

export const FAMILIES: readonly Family[] = [
  {
    id: 'spinal-vgg', names: 'fc_spinal_layer{k}, fc_out',
    scripts: 'CIFAR-10/VGG_default_and_SpinalFC_CIFAR10.py, MNIST_VGG/, the CNN and transfer-learning scripts',
    rows: 'consecutive', blocks: 1, output: 'fc_out', layer: numbered(/^fc_spinal_layer([1-9]\d*)$/), needsSubLayers: false, subLayersAnchor: true,
  },
  {
    id: 'mnist', names: 'fc1, fc1_1 .. fc1_N, fc2', scripts: 'MNIST/SpinalNet_MNIST.py',
    rows: 'consecutive', blocks: 1, output: 'fc2', layer: mnistSub, needsSubLayers: true, subLayersAnchor: false,
  },
  {
    id: 'resnet', names: 'fc1, fc1_1 .. fc1_3, fc_layer', scripts: 'CIFAR-10/ResNet_default_and_SpinalFC_CIFAR10.py, CIFAR-100/ResNet_Default_and_SpinalFC_CIFAR100.py',
    rows: 'interleaved', blocks: 1, output: 'fc_layer', layer: mnistSub, needsSubLayers: true, subLayersAnchor: false,
  },
  {
    id: 'customizable', names: 'fc1 .. fcN, fcx', scripts: 'Customizable Model/spinalnettorch.py',
    rows: 'consecutive', blocks: 1, output: 'fcx', layer: numbered(/^fc([1-9]\d*)$/), needsSubLayers: false, subLayersAnchor: false,
  },
  {
    id: 'notebook', names: 'layer1 .. layerN, _out', scripts: 'Jupyter Notebooks/transfer-learning-on-fashion-mnist-dataset.ipynb',
    rows: 'consecutive', blocks: 1, output: '_out', layer: numbered(/^layer([1-9]\d*)$/), needsSubLayers: true, subLayersAnchor: false,
  },
  {
    id: 'arch2', names: 'fcp2, fcp2_1 .. fcp2_9; fcp, fcp_1 .. fcp_7; fc1, fc1_1 .. fc1_7; fc2, fc3',
    scripts: 'MNIST/Arch2_MNIST.py and the Arch2 scripts beside it',
    rows: 'consecutive', blocks: 3, output: 'fc3', layer: arch2Layer, needsSubLayers: true, subLayersAnchor: false,
    distinctive: (m) => m.startsWith('fcp') && arch2Layer(m) !== undefined,
  },
];

/** `--map`: source names, or regular expressions over them, to canonical names (null: skip). */
export interface NameMap {
  readonly exact: ReadonlyMap<string, string | null>;
  readonly patterns: readonly { readonly source: string; readonly regex: RegExp; readonly target: string | null }[];
}

export interface TorchNameMap {
  /** The prefix the head's names carry, e.g. `fc.`; empty when none or when only --map named tensors. */
  readonly prefix: string;
  /** The official naming scheme found, if any. */
  readonly family: Family | undefined;
  /** Source name to canonical name. */
  readonly mapping: ReadonlyMap<string, string>;
  /** Source names mapped by --map rather than by a family. */
  readonly mapped: ReadonlySet<string>;
  /** Known but not needed at inference (`num_batches_tracked`), or skipped by --map. */
  readonly ignored: readonly string[];
  /** Everything else, for the caller to report. */
  readonly unmapped: readonly string[];
  /** Set by setAsideTied: source tensors of modules standing for tied sub-layers, not imported. */
  readonly tied?: readonly string[];
  /** Set by placeBlocks: the model's block (`spinal{i}`) of each of the family's blocks, in the script's order. */
  readonly blocks?: readonly number[];
}

export interface MapOptions {
  readonly prefix?: string;
  readonly map?: NameMap;
}

const INDEX = /^(0|[1-9]\d*)$/;
const BATCHNORM_ONLY = new Set(['running_mean', 'running_var', 'num_batches_tracked']);

interface Candidate {
  readonly prefix: string;
  readonly family: Family;
  /** Tensors the family names under the prefix. */
  covered: number;
  subLayers: number;
  /** Whether a module only this family names is among them (see Family.distinctive). */
  marked: boolean;
}

export function mapTorchNames(tensors: readonly SourceTensor[], options: MapOptions = {}): TorchNameMap {
  const mapping = new Map<string, string>();
  const mapped = new Set<string>();
  const ignored: string[] = [];
  const rest: SourceTensor[] = [];
  for (const t of tensors) {
    const target = options.map ? lookUp(options.map, t.name) : undefined;
    if (target === undefined) rest.push(t);
    else if (target === null) ignored.push(t.name);
    else {
      mapping.set(t.name, target);
      mapped.add(t.name);
    }
  }
  const chosen = options.prefix === undefined ? undefined : normalizePrefix(options.prefix);
  if (chosen !== undefined && !tensors.some((t) => t.name.startsWith(chosen))) throw new WeightsError(`no tensor name starts with the prefix ${label(chosen)}`);
  const found = findFamily(rest, chosen, options.map !== undefined);
  const unmapped: string[] = [];
  if (!found) {
    unmapped.push(...rest.map((t) => t.name));
  } else {
    const modules = new Map<string, Map<string, Submodule>>();
    for (const t of rest) {
      const parsed = t.name.startsWith(found.prefix) ? parseName(t.name.slice(found.prefix.length), found.family) : undefined;
      if (!parsed) {
        unmapped.push(t.name);
        continue;
      }
      const subs = modules.get(parsed.module) ?? new Map<string, Submodule>();
      modules.set(parsed.module, subs);
      const key = String(parsed.index);
      const sub = subs.get(key) ?? { index: parsed.index, parts: [] };
      subs.set(key, sub);
      sub.parts.push({ name: t.name, param: parsed.param, shape: t.shape });
    }
    for (const [module, subs] of modules) {
      mapModule(found.prefix + module, found.family.layer(module) ?? 'output', [...subs.values()], { mapping, ignored, unmapped });
    }
  }
  checkNoCollision(mapping, tensors);
  return { prefix: found?.prefix ?? '', family: found?.family, mapping, mapped, ignored: ignored.sort(), unmapped: unmapped.sort() };
}

function lookUp(map: NameMap, name: string): string | null | undefined {
  if (map.exact.has(name)) return map.exact.get(name);
  for (const p of map.patterns) {
    if (p.regex.test(name)) return p.target === null ? null : name.replace(p.regex, p.target);
  }
  return undefined;
}

/** Splits `rest` (the name past the prefix) into module, Sequential index and parameter. */
function parseName(rest: string, family: Family): { module: string; index: number | undefined; param: string } | undefined {
  const parts = rest.split('.');
  const module = parts[0];
  if (module !== family.output && family.layer(module) === undefined) return undefined;
  if (parts.length === 2) return { module, index: undefined, param: parts[1] };
  if (parts.length === 3 && INDEX.test(parts[1])) return { module, index: Number(parts[1]), param: parts[2] };
  return undefined;
}

/**
 * The prefix and family of the head: every (prefix, family) whose output module appears in a
 * name, kept when it has sub-layers (or its output name is distinctive) and, for a family with
 * module names of its own (Arch2's `fcp*`), one of those, the one naming the most tensors winning
 * under each prefix. Several prefixes, or a tie, are refused.
 */
function findFamily(tensors: readonly SourceTensor[], prefix: string | undefined, quiet: boolean): { prefix: string; family: Family } | undefined {
  const candidates = new Map<string, Candidate>();
  for (const t of tensors) {
    const parts = t.name.split('.');
    for (let i = 0; i < parts.length; i++) {
      for (const family of FAMILIES) {
        const anchor = parts[i] === family.output || (family.subLayersAnchor && family.layer(parts[i]) !== undefined);
        if (!anchor || !validTail(parts.slice(i + 1))) continue;
        const p = parts.slice(0, i).map((x) => `${x}.`).join('');
        if (!candidates.has(`${p}\n${family.id}`)) candidates.set(`${p}\n${family.id}`, { prefix: p, family, covered: 0, subLayers: 0, marked: false });
      }
    }
  }
  for (const c of candidates.values()) {
    const subs = new Set<string>();
    for (const t of tensors) {
      if (!t.name.startsWith(c.prefix)) continue;
      const parsed = parseName(t.name.slice(c.prefix.length), c.family);
      if (!parsed) continue;
      c.covered++;
      if (parsed.module !== c.family.output) subs.add(parsed.module);
    }
    c.subLayers = subs.size;
    c.marked = [...subs].some((m) => c.family.distinctive?.(m) ?? true);
  }
  const viable = [...candidates.values()].filter((c) => (c.subLayers > 0 || !c.family.needsSubLayers) && (c.marked || !c.family.distinctive) && (prefix === undefined || c.prefix === prefix));
  if (viable.length === 0) {
    if (quiet) return undefined;
    if (prefix !== undefined) throw new WeightsError(`no tensor under the prefix ${label(prefix)} is named like the official SpinalNet code (${familyList()})`);
    throw new WeightsError(`no tensor is named like the official SpinalNet code (${familyList()}); name them with ${option('map')}`);
  }
  const prefixes = [...new Set(viable.map((c) => c.prefix))].sort();
  if (prefixes.length > 1) {
    throw new WeightsError(`the SpinalNet head appears under several prefixes (${prefixes.map((p) => label(p)).join(', ')}); choose one with ${option('prefix')}`);
  }
  const best = Math.max(...viable.map((c) => c.covered));
  const top = viable.filter((c) => c.covered === best);
  if (top.length > 1) {
    throw new WeightsError(`the names fit several official schemes equally (${top.map((c) => c.family.names).join('; ')}); name the tensors with ${option('map')}`);
  }
  return top[0];
}

function validTail(tail: readonly string[]): boolean {
  return tail.length === 1 || (tail.length === 2 && INDEX.test(tail[0]));
}

function familyList(): string {
  return FAMILIES.map((f) => f.names).join('; ');
}

interface Part {
  readonly name: string;
  readonly param: string;
  readonly shape: readonly number[];
}

/** The tensors of one submodule: `fc_spinal_layer2.1.*` or, without a Sequential, `fc_out.*`. */
interface Submodule {
  readonly index: number | undefined;
  readonly parts: Part[];
}

interface Sink {
  readonly mapping: Map<string, string>;
  readonly ignored: string[];
  readonly unmapped: string[];
}

function isBatchnorm(s: Submodule): boolean {
  return s.parts.some((p) => BATCHNORM_ONLY.has(p.param) || (p.param === 'weight' && p.shape.length === 1));
}

function isLinear(s: Submodule): boolean {
  return !isBatchnorm(s) && s.parts.some((p) => p.param === 'weight' && p.shape.length === 2);
}

function mapModule(fullName: string, base: string, subs: readonly Submodule[], sink: Sink): void {
  // Without a 2-D weight (a file holding a bias alone), the one other submodule is the Linear.
  const linears = subs.some(isLinear) ? subs.filter(isLinear) : subs.filter((s) => !isBatchnorm(s));
  if (linears.length > 1) throw ambiguous(fullName, 'Linear', linears);
  const linear = linears[0];
  const after = (s: Submodule) => s.index !== undefined && linear?.index !== undefined && s.index === linear.index + 1;
  // A block's sub-layer has its batchnorm (`spinal1.sub2.bn`); a dense or output layer has none.
  const batchnorms = base.startsWith('spinal') ? subs.filter((s) => isBatchnorm(s) && after(s)) : [];
  for (const sub of subs) {
    const role = sub === linear ? 'linear' : sub === batchnorms[0] ? 'batchnorm' : undefined;
    for (const part of sub.parts) {
      const target = role && canonicalParam(base, role, part.param);
      if (target === 'ignore') sink.ignored.push(part.name);
      else if (target) sink.mapping.set(part.name, target);
      else sink.unmapped.push(part.name);
    }
  }
}

function canonicalParam(base: string, role: 'linear' | 'batchnorm', param: string): string | 'ignore' | undefined {
  if (role === 'linear') return param === 'weight' || param === 'bias' ? `${base}.${param}` : undefined;
  if (param === 'num_batches_tracked') return 'ignore';
  return ['weight', 'bias', 'running_mean', 'running_var'].includes(param) ? `${base}.bn.${param}` : undefined;
}

function ambiguous(module: string, kind: string, subs: readonly Submodule[]): WeightsError {
  const tensors = subs.flatMap((s) => s.parts.map((p) => `${label(p.name)} ${formatShape(p.shape)}`)).join(', ');
  return new WeightsError(`module ${label(module)} has a ${kind} at more than one position (${tensors}); the official layout has one: name the right ones with ${option('map')}`);
}

function checkNoCollision(mapping: ReadonlyMap<string, string>, tensors: readonly SourceTensor[]): void {
  const bySource = new Map(tensors.map((t) => [t.name, t]));
  const byTarget = new Map<string, string[]>();
  for (const [source, target] of mapping) byTarget.set(target, [...byTarget.get(target) ?? [], source]);
  for (const [target, sources] of byTarget) {
    if (sources.length < 2) continue;
    const list = sources.sort().map((s) => `${label(s)} ${formatShape(bySource.get(s)!.shape)}`).join(', ');
    throw new WeightsError(`several tensors map to ${label(target)}: ${list}; keep one with ${option('map')}`);
  }
}

/** `fc` and `fc.` name the same prefix. */
export function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}

/** Entries a name map may hold. */
const MAX_MAP_ENTRIES = 100_000;

/**
 * A name map from JSON: `{"source name": "spinal name", "/regular expression/": "spinal name
 * with $1", "ignored name": null}`. A key written between slashes is a regular expression
 * (JavaScript syntax), tried in file order after every exact name.
 */
export function parseNameMap(text: string): NameMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WeightsError(`not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WeightsError('a name map is a JSON object: {"source name or /regex/": "spinal name", ...}');
  }
  const entries = Object.entries(parsed);
  if (entries.length > MAX_MAP_ENTRIES) throw new WeightsError(`a name map of ${entries.length} entries is more than the ${MAX_MAP_ENTRIES} spinal reads`);
  const exact = new Map<string, string | null>();
  const patterns: { source: string; regex: RegExp; target: string | null }[] = [];
  for (const [source, target] of entries) {
    if (target !== null && (typeof target !== 'string' || target === '')) {
      throw new WeightsError(`the name map gives ${label(source)} a value that is neither a tensor name nor null`);
    }
    const re = /^\/(.+)\/$/.exec(source);
    if (!re) {
      exact.set(source, target);
      continue;
    }
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${re[1]})$`, 'u');
    } catch (e) {
      throw new WeightsError(`the name map's key ${label(source)} is not a valid regular expression: ${(e as Error).message}`);
    }
    patterns.push({ source, regex, target });
  }
  return { exact, patterns };
}

/** The one prefix under which the file's head modules live. */
export function detectPrefix(names: readonly string[]): string {
  return findFamily(names.map((name) => ({ name, shape: [] })), undefined, false)!.prefix;
}
