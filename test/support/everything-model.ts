// One model that uses every kind of layer and activation a generated module must type-check
// with: standalone batchnorm, dense layers, split, interleaved and batchnorm blocks, softmax out.
import type { RandomModel } from './random-model.js';

export const everythingModel: RandomModel = {
  name: 'everything_1',
  text: `model everything_1 {
  input 20
  batchnorm
  dense 9 tanh
  spinal { split 1:2; width 3; layers 3; activation gelu; batchnorm }
  spinal { split 1:1:1 interleaved; width 2; layers 4; activation leaky_relu; dropout 0.2 }
  dense 5 sigmoid
  spinal { split 2:1; width 2; layers 2; activation linear }
  output 3 softmax
}`,
};
