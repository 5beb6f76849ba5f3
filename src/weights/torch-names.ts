// Tensor names of the SpinalNet paper's official PyTorch code, mapped onto canonical names.
//
// The official head is a set of nn.Sequential modules:
//   fc_spinal_layer{k} = Sequential([Dropout,] Linear, [BatchNorm1d,] activation)
//   fc_out             = Sequential([Dropout,] Linear)
// so the Linear sits at index 1 when a Dropout precedes it and at 0 otherwise, and a
// BatchNorm1d right after the Linear (index 2 in the paper's VGG code, which has the Dropout).
// A plain module without the Sequential (`fc_out.weight`) is accepted too. The positions are
// told apart by what a module holds (running statistics or a 1-D weight make a batchnorm), not
// by trusting the index alone; a module at a position the official layout cannot have is left
// unmapped. `fc_spinal_layer{k}` is sub-layer k of the first spinal block.
import { WeightsError, label } from './errors.js';

export interface SourceTensor {
  readonly name: string;
  readonly rank: number;
}

export interface TorchNameMap {
  /** The prefix the head's names carry, e.g. `fc.`; empty when none. */
  readonly prefix: string;
  /** Source name to canonical name. */
  readonly mapping: ReadonlyMap<string, string>;
  /** Known but not needed at inference: `num_batches_tracked`. */
  readonly ignored: readonly string[];
  /** Everything else, for the caller to report. */
  readonly unmapped: readonly string[];
}

const SPINAL_MODULE = /^fc_spinal_layer([1-9]\d*)$/;
const OUTPUT_MODULE = 'fc_out';
const INDEX = /^(0|[1-9]\d*)$/;
const BATCHNORM_ONLY = new Set(['running_mean', 'running_var', 'num_batches_tracked']);

interface Part {
  readonly name: string;
  readonly param: string;
  readonly rank: number;
}

/** The tensors of one submodule: `fc_spinal_layer2.1.*` or, without a Sequential, `fc_out.*`. */
interface Submodule {
  readonly index: number | undefined;
  readonly parts: Part[];
}

export function mapTorchNames(tensors: readonly SourceTensor[], prefix?: string): TorchNameMap {
  const chosen = prefix === undefined ? detectPrefix(tensors.map((t) => t.name)) : normalizePrefix(prefix);
  if (!tensors.some((t) => t.name.startsWith(chosen))) throw new WeightsError(`no tensor name starts with the prefix ${label(chosen)}`);
  const modules = new Map<string, Map<string, Submodule>>();
  const unmapped: string[] = [];
  for (const t of tensors) {
    const parsed = t.name.startsWith(chosen) ? parseName(t.name.slice(chosen.length)) : undefined;
    if (!parsed) {
      unmapped.push(t.name);
      continue;
    }
    const subs = modules.get(parsed.module) ?? new Map<string, Submodule>();
    modules.set(parsed.module, subs);
    const key = String(parsed.index);
    const sub = subs.get(key) ?? { index: parsed.index, parts: [] };
    subs.set(key, sub);
    sub.parts.push({ name: t.name, param: parsed.param, rank: t.rank });
  }
  const mapping = new Map<string, string>();
  const ignored: string[] = [];
  for (const [module, subs] of modules) {
    mapModule(chosen + module, canonicalBase(module), [...subs.values()], { mapping, ignored, unmapped });
  }
  return { prefix: chosen, mapping, ignored: ignored.sort(), unmapped: unmapped.sort() };
}

function parseName(rest: string): { module: string; index: number | undefined; param: string } | undefined {
  const parts = rest.split('.');
  const module = parts[0];
  if (module !== OUTPUT_MODULE && !SPINAL_MODULE.test(module)) return undefined;
  if (parts.length === 2) return { module, index: undefined, param: parts[1] };
  if (parts.length === 3 && INDEX.test(parts[1])) return { module, index: Number(parts[1]), param: parts[2] };
  return undefined;
}

function canonicalBase(module: string): string {
  const spinal = SPINAL_MODULE.exec(module);
  return spinal ? `spinal1.sub${spinal[1]}` : 'output';
}

interface Sink {
  readonly mapping: Map<string, string>;
  readonly ignored: string[];
  readonly unmapped: string[];
}

function mapModule(fullName: string, base: string, subs: readonly Submodule[], sink: Sink): void {
  const isBatchnorm = (s: Submodule) => s.parts.some((p) => BATCHNORM_ONLY.has(p.param) || (p.param === 'weight' && p.rank === 1));
  const linears = subs.filter((s) => !isBatchnorm(s) && (s.index === undefined || s.index <= 1));
  if (linears.length > 1) throw ambiguous(fullName, 'Linear', linears);
  const linear = linears[0];
  const batchnormAt = (s: Submodule) =>
    s.index !== undefined && (linear ? linear.index !== undefined && s.index === linear.index + 1 : s.index === 1 || s.index === 2);
  const batchnorms = base === 'output' ? [] : subs.filter((s) => isBatchnorm(s) && batchnormAt(s));
  if (batchnorms.length > 1) throw ambiguous(fullName, 'BatchNorm1d', batchnorms);
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
  const where = subs.map((s) => label(s.index === undefined ? module : `${module}.${s.index}`)).join(' and ');
  return new WeightsError(`module ${label(module)} has a ${kind} at more than one position (${where}); the official layout has one`);
}

/** The one prefix under which the file's head modules live. */
export function detectPrefix(names: readonly string[]): string {
  const found = new Set<string>();
  for (const name of names) {
    const parts = name.split('.');
    const at = parts.findIndex((p) => p === OUTPUT_MODULE || SPINAL_MODULE.test(p));
    if (at >= 0) found.add(parts.slice(0, at).map((p) => `${p}.`).join(''));
  }
  if (found.size === 1) return [...found][0];
  if (found.size === 0) {
    throw new WeightsError('no tensor is named like the official SpinalNet code (fc_spinal_layer{k}.<index>.weight, fc_out.<index>.weight, ...)');
  }
  const list = [...found].sort().map((p) => label(p)).join(', ');
  throw new WeightsError(`the SpinalNet head appears under several prefixes (${list}); choose one with --prefix`);
}

/** `fc` and `fc.` name the same prefix. */
export function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}
