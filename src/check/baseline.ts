// The dense baseline of a model (LANGUAGE.md, "Counting"): every spinal block replaced by
// the conventional layer it stands for, one dense layer of L * w neurons on its whole input.
// Each block is replaced where it stands, reading what it read, so a head with several
// branches keeps its branches.
import type { FlowSpec, LayerSettings, LayerSpec, ModelSpec } from './spec.js';

export function denseBaseline(spec: ModelSpec): ModelSpec {
  const layers: LayerSpec[] = [];
  let dense = 0;
  let batchnorm = 0;
  for (const layer of spec.layers) {
    if (layer.kind === 'dense') {
      layers.push({ ...layer, index: ++dense });
    } else if (layer.kind === 'batchnorm') {
      layers.push({ ...layer, index: ++batchnorm });
    } else if (layer.kind === 'spinal') {
      // The statements standing for the block form a chain: each reads the one before, the
      // first reads what the block read, the last takes the block's value.
      const steps: LayerSettings[] = [];
      if (layer.dropout !== undefined) steps.push({ kind: 'dropout', p: layer.dropout });
      steps.push({ kind: 'dense', index: ++dense, units: layer.width * layer.layers, activation: layer.batchnorm ? 'linear' : layer.activation });
      if (layer.batchnorm) steps.push({ kind: 'batchnorm', index: ++batchnorm });
      steps.forEach((step, k) => {
        const last = k === steps.length - 1;
        const flow: FlowSpec = {
          value: last ? layer.value : `${layer.value}.${k + 1}`,
          reads: k === 0 ? layer.reads : [`${layer.value}.${k}`],
          from: k === 0 && layer.from,
        };
        layers.push({ ...step, ...flow } as LayerSpec);
      });
    } else {
      layers.push(layer);
    }
  }
  return { ...spec, name: `${spec.name}_dense`, layers };
}
