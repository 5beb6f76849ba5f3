// The compiler in a web worker: each edit is compiled here, off the page's thread, into the
// diagnostics, the comparison table, the picture and the generated code; a run gets initialized
// weights, a seeded batch and the interpreter's outputs.
import { compile } from '../../src/compile.js';
import { optimize } from '../../src/passes/optimize.js';
import { modelReport } from '../../src/report/model-report.js';
import { picture } from '../../src/picture/picture.js';
import { toDot } from '../../src/picture/dot.js';
import { initWeights } from '../../src/weights/init.js';
import { Random } from '../../src/weights/prng.js';
import { interpret, splitInputs } from '../../src/ir/interpret.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import type { Graph } from '../../src/ir/graph.js';
import type { AnalyzeRequest, Analysis, PageDiagnostic, Request, Response, RunRequest } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: Response, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

type Graphviz = { dot(source: string, format: 'svg'): string };
let graphviz: Promise<Graphviz> | undefined;
const loadGraphviz = (): Promise<Graphviz> => (graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load()));
const loadEmitters = () => import('./emit.js');

async function analyze(req: AnalyzeRequest): Promise<Analysis> {
  const compiled = compile({ path: 'playground.spinal', text: req.text });
  const diagnostics: PageDiagnostic[] = compiled.diagnostics.map((d) => ({
    from: d.range.start.offset,
    to: Math.max(d.range.end.offset, d.range.start.offset),
    severity: d.severity,
    code: d.code,
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
  }));
  const models = compiled.models.map(modelReport);
  const chosen = compiled.models.find((m) => m.spec.name === req.model) ?? compiled.models[0];
  if (!chosen) return { kind: 'analysis', id: req.id, diagnostics, models };
  const optimized = optimize(chosen.graph);
  const [viz, emitters] = await Promise.all([loadGraphviz(), loadEmitters()]);
  return {
    kind: 'analysis', id: req.id, diagnostics, models, selected: chosen.spec.name,
    svg: viz.dot(toDot(picture(optimized)), 'svg'),
    code: emitters.generatedCode(optimized),
  };
}

async function run(req: RunRequest): Promise<Response> {
  const compiled = compile({ path: 'playground.spinal', text: req.text });
  const model = compiled.models.find((m) => m.spec.name === req.model);
  if (!model) return { kind: 'failure', id: req.id, message: `model '${req.model}' does not compile` };
  const graph: Graph = model.graph;
  const weights = initWeights(graph, req.seed);
  const random = Random.fromSeed(BigInt(req.seed));
  // Random inputs, each uniform in [-1, 1]: a packed batch, every input's features side by side.
  const x = Float32Array.from({ length: graph.inputSize * req.batch }, () => random.uniform(-1, 1));
  const parts = splitInputs(graph, x, req.batch);
  const inputs = graph.inputs.map((i) => ({ name: i.name, size: i.size, x: Float32Array.from(parts.get(i.node)!) }));
  const expected = interpret(graph, weights, x, req.batch);
  const bytes = writeSafetensors(weights, { model: graph.name });
  const { runnableModules } = await loadEmitters();
  const modules = runnableModules(optimize(graph));
  return {
    kind: 'run-inputs', id: req.id, model: req.model, inputSize: graph.inputSize, outputSize: graph.outputSize, batch: req.batch,
    x, inputs, expected, weights: bytes, tfjsModule: modules.tfjs, wgslModule: modules.wgsl,
  };
}

scope.onmessage = (e) => {
  const req = e.data;
  const work = req.kind === 'analyze' ? analyze(req) : run(req);
  work.then(
    (res) => scope.postMessage(res, res.kind === 'run-inputs' ? [res.x.buffer, ...res.inputs.map((i) => i.x.buffer), res.expected.buffer, res.weights.buffer] : []),
    (err: unknown) => scope.postMessage({ kind: 'failure', id: req.id, message: err instanceof Error ? err.message : String(err) }),
  );
};
