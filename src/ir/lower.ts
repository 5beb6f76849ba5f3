// Lowering: a checked ModelSpec to the unoptimized graph, one node per operation of the language.
import { evaluationOrder, inputWidth, type ModelSpec, type SpinalSpec } from '../check/spec.js';
import { rowStarts, splitSizes } from '../check/rows.js';
import { BATCHNORM_EPS, type Activation, type BatchnormParams, type DenseNode, type Graph, type GraphInput, type IrNode } from './graph.js';

export function batchnormParams(prefix: string, features: number): BatchnormParams {
  return {
    gamma: `${prefix}.weight`,
    beta: `${prefix}.bias`,
    mean: `${prefix}.running_mean`,
    variance: `${prefix}.running_var`,
    eps: BATCHNORM_EPS,
    features,
  };
}

class GraphBuilder {
  readonly nodes: IrNode[] = [];
  private dropouts = 0;

  add<N extends IrNode>(node: N): N {
    this.nodes.push(node);
    return node;
  }

  /** `params`: the layer whose weight and bias it uses, itself unless tied. */
  dense(id: string, inputs: readonly IrNode[], units: number, activation: Activation, params = id): DenseNode {
    const sizes = inputs.map((n) => n.shape[0]);
    const input = this.concat(`${id}.in`, inputs, id);
    return this.add({
      id, op: 'dense', inputs: [input.id], shape: [units], layer: id,
      weight: `${params}.weight`, bias: `${params}.bias`, inFeatures: sizes.reduce((a, b) => a + b, 0),
      columns: [0], activation, foldOut: [], foldIn: [],
    });
  }

  /** A concat node for several inputs; a single input is used as it is. */
  concat(id: string, inputs: readonly IrNode[], layer: string): IrNode {
    if (inputs.length === 1) return inputs[0];
    const size = inputs.reduce((a, n) => a + n.shape[0], 0);
    return this.add({ id, op: 'concat', inputs: inputs.map((n) => n.id), shape: [size], layer });
  }

  /** A standalone dropout statement (`dropout{i}`) over the concatenation of `inputs`, or one inside the layer `within`. */
  dropout(inputs: readonly IrNode[], p: number, within?: { id: string; layer: string }): IrNode {
    // Standalone dropouts are numbered among themselves, like dense and batchnorm statements.
    const id = within?.id ?? `dropout${++this.dropouts}`;
    const x = this.concat(`${id}.in`, inputs, id);
    return this.add({ id, op: 'dropout', inputs: [x.id], shape: x.shape, layer: within?.layer ?? id, p });
  }

  batchnorm(x: IrNode, id: string, layer: string): IrNode {
    return this.add({ id, op: 'batchnorm', inputs: [x.id], shape: x.shape, layer, params: batchnormParams(id, x.shape[0]) });
  }

  activation(x: IrNode, activation: Activation, id: string, layer: string): IrNode {
    if (activation === 'linear') return x;
    return this.add({ id, op: 'activation', inputs: [x.id], shape: x.shape, layer, activation });
  }
}

export function lower(spec: ModelSpec): Graph {
  const g = new GraphBuilder();
  const single = spec.inputs.length === 1;
  const inputs: GraphInput[] = spec.inputs.map((i) => ({ name: i.name, size: i.size, node: single ? 'input' : `input.${i.name}` }));
  const values = new Map<string, IrNode>();
  spec.inputs.forEach((i, k) => {
    const id = inputs[k].node;
    values.set(i.name, g.add({ id, op: 'input', inputs: [], shape: [i.size], layer: id }));
  });
  // A layer reading several values reads their concatenation.
  const read = (reads: readonly string[]): IrNode[] => reads.map((r) => values.get(r)!);
  for (const layer of evaluationOrder(spec.layers)) {
    let x: IrNode;
    switch (layer.kind) {
      case 'dense':
        x = g.dense(`dense${layer.index}`, read(layer.reads), layer.units, layer.activation);
        break;
      case 'dropout':
        x = g.dropout(read(layer.reads), layer.p);
        break;
      case 'batchnorm': {
        const id = `batchnorm${layer.index}`;
        x = g.batchnorm(g.concat(`${id}.in`, read(layer.reads), id), id, id);
        break;
      }
      case 'spinal': {
        const id = `spinal${layer.index}`;
        x = lowerSpinal(g, g.concat(`${id}.in`, read(layer.reads), id), layer);
        break;
      }
    }
    values.set(layer.value, x);
  }
  const out = g.dense('output', read(spec.output.reads), spec.output.units, spec.output.activation);
  g.add({ id: 'result', op: 'output', inputs: [out.id], shape: out.shape, layer: 'output' });
  return { name: spec.name, params: spec.params, inputs, inputSize: inputWidth(spec), outputSize: spec.output.units, nodes: g.nodes };
}

function lowerSpinal(g: GraphBuilder, x: IrNode, block: SpinalSpec): IrNode {
  const name = `spinal${block.index}`;
  const k = block.ratios.length;
  const sizes = splitSizes(x.shape[0], block.ratios);
  const starts = rowStarts(sizes);
  const rows = sizes.map((count, r) =>
    g.add({
      id: `${name}.row${r + 1}`, op: 'slice', inputs: [x.id], shape: [count], layer: name,
      start: block.interleaved ? r : starts[r],
      stride: block.interleaved ? k : 1,
    }),
  );
  const outputs: IrNode[] = [];
  for (let j = 1; j <= block.layers; j++) {
    const sub = `${name}.sub${j}`;
    const row = rows[(j - 1) % k];
    let input = g.concat(`${sub}.in`, j === 1 ? [row] : [row, outputs[j - 2]], sub);
    if (block.dropout !== undefined) input = g.dropout([input], block.dropout, { id: `${sub}.dropout`, layer: sub });
    // A tied sub-layer reads its owner's weight and bias; its batchnorm stays its own.
    const params = `${name}.sub${block.ties?.[j] ?? j}`;
    let h: IrNode;
    if (block.batchnorm) {
      const linear = g.dense(sub, [input], block.width, 'linear', params);
      h = g.activation(g.batchnorm(linear, `${sub}.bn`, sub), block.activation, `${sub}.act`, sub);
    } else {
      h = g.dense(sub, [input], block.width, block.activation, params);
    }
    outputs.push(h);
  }
  return g.concat(`${name}.out`, outputs, name);
}
