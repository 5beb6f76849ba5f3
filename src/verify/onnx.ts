// Verify target `onnx`: the exported model written to disk and run by ONNX Runtime (the
// onnxruntime-node package's bundled CPU binary), as a deployment would load it; a model with
// several inputs gets each one's columns of the packed batch as its own graph input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyInput, VerifyTarget } from './target.js';
import type { Graph } from '../ir/graph.js';
import { readSafetensors } from '../weights/safetensors.js';
import { onnxBackend } from '../backends/onnx/index.js';
import { onnxInputNames, OUTPUT_NAME } from '../backends/onnx/export.js';
import { splitInputs } from '../ir/interpret.js';

export const onnxTarget: VerifyTarget = {
  name: 'onnx',
  async run({ graph, weightsBytes, x, batch, workDir }: VerifyInput): Promise<Float32Array> {
    const ort = await import('onnxruntime-node');
    const [file] = await onnxBackend.emit(graph, { weights: readSafetensors(weightsBytes) });
    const path = join(workDir, file.path);
    writeFileSync(path, file.contents);
    const session = await ort.InferenceSession.create(path);
    try {
      const result = await session.run(feeds(ort, graph, x, batch));
      return Float32Array.from(result[OUTPUT_NAME].data as Float32Array);
    } finally {
      await session.release();
    }
  },
};

/** The packed batch as the graph's inputs: one input is the batch as it is, with no copy (evaluate may pass a whole data set). */
function feeds(ort: typeof import('onnxruntime-node'), graph: Graph, x: Float32Array, batch: number): Record<string, import('onnxruntime-node').Tensor> {
  const names = onnxInputNames(graph);
  if (graph.inputs.length === 1) return { [names[0]]: new ort.Tensor('float32', x, [batch, graph.inputSize]) };
  const parts = splitInputs(graph, x, batch);
  return Object.fromEntries(graph.inputs.map((input, k) => [names[k], new ort.Tensor('float32', Float32Array.from(parts.get(input.node)!), [batch, input.size])]));
}
