// Accumulates the nodes and initializers of one ONNX graph, naming every value uniquely.
import type { AttributeProto, NodeProto, TensorProto } from './proto.js';

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly sharedNames = new Map<string, string>();

  /** `base`, or `base_2`, `base_3`... if taken. */
  name(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  constant(tensor: TensorProto): string {
    const name = this.name(tensor.name ?? 'constant');
    this.initializers.push({ ...tensor, name });
    return name;
  }

  /** A constant every user may share (an axis, 0.5): added once, by its name. */
  shared(tensor: TensorProto): string {
    const name = tensor.name ?? 'constant';
    if (!this.sharedNames.has(name)) this.sharedNames.set(name, this.constant(tensor));
    return this.sharedNames.get(name)!;
  }

  /** Adds a node with one output, named `output` (made unique); returns the output's name. */
  op(opType: string, inputs: readonly string[], output: string, attribute: AttributeProto[] = []): string {
    const name = this.name(output);
    this.nodes.push({ opType, input: [...inputs], output: [name], name, attribute });
    return name;
  }
}
