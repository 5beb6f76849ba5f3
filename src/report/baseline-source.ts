// A model's dense baseline (check/baseline.ts) as .spinal source text, so that it compiles and
// trains through the same job as any model the user wrote.
import type { SourceFile } from '../diagnostics/diagnostic.js';
import { UNNAMED_INPUT, type FlowSpec, type LayerSpec, type ModelSpec } from '../check/spec.js';
import { denseBaseline } from '../check/baseline.js';

/** The baseline cannot be written as a model (and so cannot be trained). */
export class BaselineSourceError extends Error {
  override readonly name = 'BaselineSourceError';
}

/**
 * A spinal block with batchnorm applies its activation after the batchnorm; a `dense` statement
 * applies its own before any batchnorm that follows, so the language has no way to write that
 * baseline layer, and the counted baseline (a linear layer, then batchnorm) would train without
 * its activation.
 */
function checkWritable(spec: ModelSpec): void {
  const block = spec.layers.find((l) => l.kind === 'spinal' && l.batchnorm && l.activation !== 'linear');
  if (block?.kind === 'spinal') {
    throw new BaselineSourceError(
      `the dense baseline of '${spec.name}' applies ${block.activation} after a batchnorm (from spinal block ${block.index}), which a .spinal model cannot state; train that baseline as a model of your own`,
    );
  }
}

function statement(layer: LayerSpec): string {
  switch (layer.kind) {
    case 'dense': return `dense ${layer.units} ${layer.activation}`;
    case 'dropout': return `dropout ${layer.p}`;
    case 'batchnorm': return 'batchnorm';
    case 'spinal': throw new Error('a dense baseline has no spinal block');
  }
}

/** `name = ` for a value the source named, `from a, b` for reads it wrote out. */
function flow(layer: FlowSpec, text: string): string {
  const named = /^[A-Za-z_][A-Za-z0-9_]*$/.test(layer.value) ? `${layer.value} = ` : '';
  return `${named}${text}${layer.from ? ` from ${layer.reads.join(', ')}` : ''}`;
}

export function baselineSource(spec: ModelSpec): SourceFile {
  checkWritable(spec);
  const baseline = denseBaseline(spec);
  const lines = [
    `# The dense baseline of ${spec.name}${Object.keys(spec.params).length ? ` (${Object.entries(spec.params).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`,
    `model ${baseline.name} {`,
    ...baseline.inputs.map((i) => `  ${i.name === UNNAMED_INPUT ? '' : `${i.name} = `}input ${i.size}`),
    ...baseline.layers.map((l) => `  ${flow(l, statement(l))}`),
    `  ${flow(baseline.output, `output ${baseline.output.units} ${baseline.output.activation}`)}`,
    '}',
  ];
  return { path: `<dense baseline of ${spec.name}>`, text: `${lines.join('\n')}\n` };
}
