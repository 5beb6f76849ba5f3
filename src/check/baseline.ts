// The dense baseline of a model (LANGUAGE.md, "Counting"): every spinal block replaced by
// the conventional layer it stands for, one dense layer of L * w neurons on its whole input.
import type { LayerSpec, ModelSpec } from './spec.js';

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
      if (layer.dropout !== undefined) layers.push({ kind: 'dropout', p: layer.dropout });
      const units = layer.width * layer.layers;
      layers.push({ kind: 'dense', index: ++dense, units, activation: layer.batchnorm ? 'linear' : layer.activation });
      if (layer.batchnorm) layers.push({ kind: 'batchnorm', index: ++batchnorm });
    } else {
      layers.push(layer);
    }
  }
  return { ...spec, name: `${spec.name}_dense`, layers };
}
