// The IR's fused activations as ONNX operators (opset 17). GELU is the exact erf form, written
// out as 0.5 x (1 + erf(x / sqrt 2)) since the Gelu operator only arrived in opset 20.
import type { Activation } from '../../ir/graph.js';
import { LEAKY_RELU_SLOPE } from '../../ir/activations.js';
import type { GraphBuilder } from './builder.js';
import { floatAttribute, floatTensor, intAttribute } from './proto.js';

export function applyActivation(b: GraphBuilder, activation: Activation, x: string, output: string): string {
  switch (activation) {
    case 'linear': return x;
    case 'relu': return b.op('Relu', [x], output);
    case 'tanh': return b.op('Tanh', [x], output);
    case 'sigmoid': return b.op('Sigmoid', [x], output);
    case 'leaky_relu': return b.op('LeakyRelu', [x], output, [floatAttribute('alpha', LEAKY_RELU_SLOPE)]);
    case 'softmax': return b.op('Softmax', [x], output, [intAttribute('axis', -1)]);
    case 'log_softmax': return b.op('LogSoftmax', [x], output, [intAttribute('axis', -1)]);
    case 'gelu': {
      const scaled = b.op('Div', [x, b.shared(floatTensor('sqrt2', [], [Math.SQRT2]))], `${output}.scaled`);
      const erf = b.op('Erf', [scaled], `${output}.erf`);
      const onePlus = b.op('Add', [erf, b.shared(floatTensor('one', [], [1]))], `${output}.one_plus`);
      const half = b.op('Mul', [x, b.shared(floatTensor('half', [], [0.5]))], `${output}.half`);
      return b.op('Mul', [half, onePlus], output);
    }
  }
}
