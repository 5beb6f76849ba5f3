// Verify target `onnx`: the exported model written to disk and run by ONNX Runtime (the
// onnxruntime-node package's bundled CPU binary), as a deployment would load it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyInput, VerifyTarget } from './target.js';
import { readSafetensors } from '../weights/safetensors.js';
import { onnxBackend } from '../backends/onnx/index.js';
import { INPUT_NAME, OUTPUT_NAME } from '../backends/onnx/export.js';

export const onnxTarget: VerifyTarget = {
  name: 'onnx',
  async run({ graph, weightsBytes, x, batch, workDir }: VerifyInput): Promise<Float32Array> {
    const ort = await import('onnxruntime-node');
    const [file] = await onnxBackend.emit(graph, { weights: readSafetensors(weightsBytes) });
    const path = join(workDir, file.path);
    writeFileSync(path, file.contents);
    const session = await ort.InferenceSession.create(path);
    try {
      const result = await session.run({ [INPUT_NAME]: new ort.Tensor('float32', x, [batch, graph.inputSize]) });
      return Float32Array.from(result[OUTPUT_NAME].data as Float32Array);
    } finally {
      await session.release();
    }
  },
};
