// The C++ backend: one header `<model>.hpp` per model (templates/cpp/model.hpp.hbs), with the
// shared runtime (templates/cpp/runtime.hpp) inside it under a guard. Everything the template
// receives is a number or text made safe here (names.ts): a model's name is escaped where it
// would not be a plain C++ identifier, and comments carry compiler-made text only.
import { createHash } from 'node:crypto';
import type { Activation, BatchnormParams, DenseNode, Graph } from '../../ir/graph.js';
import { tensorSpecs } from '../../ir/tensors.js';
import { LEAKY_RELU_SLOPE } from '../../ir/activations.js';
import { count } from '../../passes/count.js';
import type { TensorSpec, Weights } from '../../tensor/tensor.js';
import { checkWeights } from '../../weights/validate.js';
import { checkFinite } from '../../weights/finite.js';
import { WeightsError } from '../../tensor/errors.js';
import { BackendInputError } from '../backend.js';
import { fileStem } from '../file-stem.js';
import { int } from '../../report/format.js';
import { template, templateText } from '../templates.js';
import { VERSION } from '../../package-root.js';
import { commentText, cppIdentifier, cppInputName, cppString } from './names.js';
import { doubleLiteral, floatLiteral } from './literals.js';
import { planExecution, type Buffer, type Plan, type Step, type View } from './plan.js';

const RUNTIME_SOURCE = templateText('cpp', 'runtime.hpp');
const RUNTIME_HASH = createHash('sha256').update(RUNTIME_SOURCE).digest('hex').slice(0, 12);
/**
 * The runtime's namespace. `_v` is no escape of cppIdentifier and the name ends in `_`, so no
 * model's namespace can be this one.
 */
export const RUNTIME_NAMESPACE = `runtime_v${RUNTIME_HASH}_`;
/** templates/cpp/runtime.hpp as every header carries it: verbatim, its namespace named. */
export const RUNTIME = RUNTIME_SOURCE.replace(/SPINAL_RT/g, RUNTIME_NAMESPACE).replace('SPINAL_LEAKY_SLOPE', floatLiteral(LEAKY_RELU_SLOPE)).trimEnd();

export interface CppOptions {
  /** Canonical weights to compile into the header (Model::embedded()). */
  readonly weights?: Weights;
}

/**
 * The header's file name (`<stem>.hpp`, by the one file-stem rule of every backend:
 * ../file-stem.ts) and the model's C++ namespace (`spinal::<namespace>`).
 */
export function cppNames(graph: Graph): { file: string; namespace: string } {
  const namespace = cppIdentifier(graph.name);
  return { file: `${fileStem(graph.name)}.hpp`, namespace };
}

/**
 * A multi-input model's inputs as the header names them: `predict`'s parameters (and the members
 * of detail::Inputs) in declaration order, each with its size constant. A single-input model has
 * none: it reads `x`, `kInputs` features a row.
 */
interface CppInput {
  readonly name: string;
  readonly size: number;
  readonly constant: string;
}

function cppInputs(graph: Graph): CppInput[] | undefined {
  if (graph.inputs.length === 1) return undefined;
  return graph.inputs.map((i) => {
    const name = cppInputName(i.name);
    return { name, size: i.size, constant: `kInput_${name}` };
  });
}

/** The header's constants for the sizes of a model's inputs, in the order predict takes them. */
export function inputSizeConstants(graph: Graph): string[] {
  return cppInputs(graph)?.map((i) => i.constant) ?? ['kInputs'];
}

/** The execution plan with the C++ names of the inputs its buffers may live in. */
interface Layout extends Plan {
  readonly inputs: readonly CppInput[] | undefined;
}

export function emitCpp(graph: Graph, options: CppOptions = {}): string {
  const inputs = cppInputs(graph);
  const plan: Layout = { ...planExecution(graph), inputs };
  const specs = tensorSpecs(graph);
  const index = new Map(specs.map((s, i) => [s.name, i]));
  const layers = layerFunctions(plan);
  const { namespace, file } = cppNames(graph);
  const counts = count(graph);
  const tables = weightTables(layers, index);
  const params = Object.entries(graph.params).map(([k, v]) => `${k}=${v}`).join(', ');
  return template('cpp', 'model.hpp.hbs')({
    file,
    title: commentText(`${graph.name}${params ? ` (${params})` : ''}`),
    version: VERSION,
    ns: namespace,
    nameLiteral: cppString(graph.name),
    inputs: graph.inputSize,
    multi: inputs,
    inputsText: inputs && commentText(inputs.map((i) => `${i.name} ${i.size}`).join(', ')),
    outputs: graph.outputSize,
    macs: counts.macs.toString(),
    macsText: int(counts.macs),
    parametersText: int(counts.deployedParameters),
    wide: counts.macs > 0xffffffffn || tables.parameterFloatsBound > 0xffffffff,
    summary: summary(layers),
    runtimeGuard: `SPINAL_RUNTIME_${RUNTIME_HASH.toUpperCase()}`,
    runtime: RUNTIME,
    rtNs: RUNTIME_NAMESPACE,
    tensors: specs.map((s) => `{${cppString(s.name)}, ${s.shape.length}, {${s.shape[0]}, ${s.shape[1] ?? 0}}}`),
    tensorCount: specs.length,
    ...tables,
    arenaFloats: plan.arenaFloats,
    layers: layers.map((l) => ({ fn: l.fn, comments: l.comments, body: l.body, usesWeights: l.steps.some((s) => s.kind === 'dense' || s.kind === 'batchnorm'), usesInputs: readsInputs(l.steps, plan) })),
    readsInputs: readsInputs(plan.steps, plan),
    embedded: options.weights ? embeddedTensors(options.weights, specs, graph.name) : undefined,
  });
}

// ---- layers -----------------------------------------------------------------------------------

interface LayerFunction {
  readonly fn: string;
  readonly steps: readonly Step[];
  readonly comments: readonly string[];
  readonly body: readonly CallView[];
}

/** One function per node that computes something, named after it, in the order they run. */
function layerFunctions(plan: Layout): LayerFunction[] {
  const groups: Step[][] = [];
  for (const step of plan.steps) {
    const last = groups[groups.length - 1];
    if (last && last[0].node === step.node) last.push(step);
    else groups.push([step]);
  }
  const used = new Set<string>();
  return groups.map((steps) => {
    const base = cppIdentifier(steps[0].node.id.replace(/[^A-Za-z0-9_]/g, '_'));
    let fn = base;
    for (let k = 2; used.has(fn); k++) fn = `${base}${k}`;
    used.add(fn);
    return { fn, steps, comments: describe(steps, plan), body: steps.map((s) => call(s, fn, plan)) };
  });
}

const ACT: Record<Activation, string> = {
  linear: 'rt::Act::linear', relu: 'rt::Act::relu', leaky_relu: 'rt::Act::leaky_relu', tanh: 'rt::Act::tanh',
  sigmoid: 'rt::Act::sigmoid', gelu: 'rt::Act::gelu', softmax: 'rt::Act::softmax', log_softmax: 'rt::Act::log_softmax',
};

/**
 * What the template writes for a step (model.hpp.hbs owns the statements): a dense layer over
 * its operands, or an elementwise pass (a batchnorm's scale and shift, an activation, a copy).
 */
type CallView =
  | { readonly dense: true; readonly operands: readonly string[]; readonly inFeatures: number; readonly units: number; readonly weights: string; readonly act: string; readonly out: string }
  | { readonly dense: false; readonly src: string; readonly scale: string; readonly shift: string; readonly act: string; readonly out: string };

function call(step: Step, fn: string, plan: Layout): CallView {
  const out = output(step.out, plan);
  switch (step.kind) {
    case 'dense': {
      const n = step.node;
      return { dense: true, operands: step.operands.map((v) => operand(v, plan)), inFeatures: n.inFeatures, units: n.shape[0], weights: weightsOffset(fn), act: ACT[n.activation], out };
    }
    case 'batchnorm':
      return { dense: false, src: operand(step.src, plan), scale: `w + ${affineOffset(fn)}`, shift: `w + ${affineOffset(fn)} + ${step.node.params.features}`, act: ACT.linear, out };
    case 'activation':
      return { dense: false, src: operand(step.src, plan), scale: 'nullptr', shift: 'nullptr', act: ACT[step.node.activation], out };
    case 'copy':
      return { dense: false, src: operand(step.src, plan), scale: 'nullptr', shift: 'nullptr', act: ACT.linear, out };
  }
}

function weightsOffset(fn: string): string {
  return `kWeights_${fn}`;
}

function affineOffset(fn: string): string {
  return `kAffine_${fn}`;
}

/**
 * Whether a layer function reads one of a multi-input model's inputs (`x.<input>`): only those
 * take the layer function's Inputs parameter. A single-input model's layers read `f.x`.
 */
function readsInputs(steps: readonly Step[], plan: Layout): boolean {
  const reads = steps.flatMap((s) => (s.kind === 'dense' ? s.operands : [s.src]));
  return plan.inputs !== undefined && reads.some((v) => plan.buffers.get(v.buffer)!.home.kind === 'x');
}

/** The start of a buffer's rows in this call, and its leading dimension. */
function base(buffer: Buffer, inputs: readonly CppInput[] | undefined): { pointer: string; ld: string } {
  switch (buffer.home.kind) {
    case 'x': {
      if (!inputs) return { pointer: 'f.x', ld: 'kInputs' };
      const input = inputs[buffer.home.input];
      return { pointer: `x.${input.name}`, ld: input.constant };
    }
    case 'y': return { pointer: 'f.y', ld: 'kOutputs' };
    case 'arena': return { pointer: `f.at(${buffer.home.offset})`, ld: String(buffer.width) };
  }
}

function pointer(v: View, plan: Layout): { at: string; ld: string } {
  const b = base(plan.buffers.get(v.buffer)!, plan.inputs);
  return { at: v.column === 0 ? b.pointer : `${b.pointer} + ${v.column}`, ld: b.ld };
}

function operand(v: View, plan: Layout): string {
  const p = pointer(v, plan);
  return `{${p.at}, ${p.ld}, ${v.stride}, ${v.count}}`;
}

function output(v: View, plan: Layout): string {
  const p = pointer(v, plan);
  return `{${p.at}, ${p.ld}}`;
}

// ---- comments ---------------------------------------------------------------------------------

function bufferName(id: string, plan: Layout): string {
  const home = plan.buffers.get(id)!.home;
  if (home.kind === 'x' && plan.inputs) return plan.inputs[home.input].name;
  return home.kind === 'arena' ? id : home.kind;
}

function viewText(v: View, plan: Layout): string {
  const end = v.column + (v.count - 1) * v.stride + 1;
  return `${bufferName(v.buffer, plan)}[${v.column}:${end}${v.stride === 1 ? '' : `:${v.stride}`}]`;
}

function describe(steps: readonly Step[], plan: Layout): string[] {
  const first = steps[0];
  const lines: string[] = [];
  switch (first.kind) {
    case 'dense': {
      const n = first.node;
      lines.push(`${n.id}: dense ${n.inFeatures} -> ${n.shape[0]}, ${n.activation}; ${int(BigInt(n.inFeatures) * BigInt(n.shape[0]))} MACs per sample`);
      lines.push(`  reads ${first.operands.map((v) => viewText(v, plan)).join(', ')}; writes ${viewText(first.out, plan)}`);
      const folded = [...n.foldIn.map((f) => `${f.bn.gamma.replace(/\.weight$/, '')} (before)`), ...n.foldOut.map((b) => `${b.gamma.replace(/\.weight$/, '')} (after)`)];
      if (folded.length) lines.push(`  batchnorm folded into the weights at load time: ${folded.join(', ')}`);
      break;
    }
    case 'batchnorm':
      lines.push(`${first.node.id}: batchnorm over ${first.node.params.features} features (scale and shift computed at load time)`);
      lines.push(`  reads ${viewText(first.src, plan)}; writes ${viewText(first.out, plan)}`);
      break;
    case 'activation':
      lines.push(`${first.node.id}: ${first.node.activation}`);
      lines.push(`  reads ${viewText(first.src, plan)}; writes ${viewText(first.out, plan)}`);
      break;
    case 'copy':
      lines.push(`${first.node.id}: copies ${steps.flatMap((s) => (s.kind === 'copy' ? [`${viewText(s.src, plan)} -> ${viewText(s.out, plan)}`] : [])).join(', ')}`);
      break;
  }
  return lines.map(commentText);
}

function summary(layers: readonly LayerFunction[]): string[] {
  const rows = layers.map((l) => {
    const s = l.steps[0];
    if (s.kind === 'dense') {
      const n = s.node;
      return [n.id, `dense ${n.inFeatures} -> ${n.shape[0]} ${n.activation}`, int(BigInt(n.inFeatures) * BigInt(n.shape[0]))];
    }
    return [s.node.id, s.kind === 'activation' ? s.node.activation : s.kind, '0'];
  });
  const width = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const macsWidth = Math.max(...rows.map((r) => r[2].length));
  return rows.map((r) => commentText(`${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2].padStart(macsWidth)}`));
}

// ---- weight tables ----------------------------------------------------------------------------

/** The widest panel of any SIMD path (AVX-512), for an upper bound of the packed size. */
const MAX_PANEL = 16;

/**
 * An upper bound of rt::packed_floats(units, in) for every panel width up to MAX_PANEL: the
 * panels with their biases, and the row-major copy a narrow layer (at most half a panel of units)
 * keeps besides them.
 */
export function packedFloatsBound(units: number, inFeatures: number): number {
  const panels = Math.ceil(units / MAX_PANEL) * MAX_PANEL * (inFeatures + 1);
  return panels + (units <= MAX_PANEL / 2 ? units * inFeatures : 0);
}

function weightTables(layers: readonly LayerFunction[], index: ReadonlyMap<string, number>) {
  const offsets: { name: string; value: string }[] = [];
  const folds: { type: string; name: string; entries: string[] }[] = [];
  const denses: string[] = [];
  const affines: string[] = [];
  let end = '0';
  let floats = 0;
  const bn = (p: BatchnormParams) =>
    `{${index.get(p.gamma)}, ${index.get(p.beta)}, ${index.get(p.mean)}, ${index.get(p.variance)}, ${p.features}, ${doubleLiteral(p.eps)}}`;
  for (const layer of layers) {
    const step = layer.steps[0];
    if (step.kind === 'dense') {
      const n: DenseNode = step.node;
      const name = weightsOffset(layer.fn);
      offsets.push({ name, value: end });
      end = `${name} + rt::packed_floats(${n.shape[0]}, ${n.inFeatures})`;
      floats += packedFloatsBound(n.shape[0], n.inFeatures);
      let foldIn = 'nullptr';
      let foldOut = 'nullptr';
      if (n.foldIn.length) {
        foldIn = `kFoldIn_${layer.fn}`;
        folds.push({ type: 'rt::FoldIn', name: foldIn, entries: n.foldIn.map((f) => `{${f.column}, ${f.count}, ${f.feature}, ${f.stride}, ${bn(f.bn)}}`) });
      }
      if (n.foldOut.length) {
        foldOut = `kFoldOut_${layer.fn}`;
        folds.push({ type: 'rt::BatchnormRef', name: foldOut, entries: n.foldOut.map(bn) });
      }
      denses.push(`{${index.get(n.weight)}, ${index.get(n.bias)}, ${n.shape[0]}, ${n.inFeatures}, ${foldIn}, ${n.foldIn.length}, ${foldOut}, ${n.foldOut.length}, ${name}}`);
    } else if (step.kind === 'batchnorm') {
      const name = affineOffset(layer.fn);
      offsets.push({ name, value: end });
      end = `${name} + ${2 * step.node.params.features}`;
      floats += 2 * step.node.params.features;
      affines.push(`{${bn(step.node.params)}, ${name}}`);
    }
  }
  return { offsets, folds, denses, affines, parameterFloats: end, parameterFloatsBound: floats };
}

// ---- embedded weights -------------------------------------------------------------------------

const PER_LINE = 8;
/** Above this many numbers a header takes minutes to compile: load such weights from a file. */
export const MAX_EMBEDDED_FLOATS = 16 * 1024 * 1024;

function embeddedTensors(weights: Weights, specs: readonly TensorSpec[], model: string) {
  try {
    checkWeights(weights, specs, model);
    for (const spec of specs) checkFinite(spec.name, weights.get(spec.name)!.data);
  } catch (e) {
    throw e instanceof WeightsError ? new BackendInputError(e.message) : e;
  }
  const total = specs.reduce((a, s) => a + weights.get(s.name)!.data.length, 0);
  if (total > MAX_EMBEDDED_FLOATS) {
    throw new BackendInputError(
      `model '${model}' has ${total} weights, more than the ${MAX_EMBEDDED_FLOATS} the cpp target compiles into a header; ` +
        'build without --weights and load the file with Model::load',
    );
  }
  return specs.map((spec, i) => {
    const data = weights.get(spec.name)!.data;
    const lines: string[] = [];
    for (let i = 0; i < data.length; i += PER_LINE) {
      lines.push(Array.from(data.subarray(i, i + PER_LINE), floatLiteral).join(', ') + ',');
    }
    return { name: `tensor${i}_${spec.name.replace(/[^A-Za-z0-9]/g, '_')}`, count: data.length, lines };
  });
}
