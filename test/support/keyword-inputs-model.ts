// A model whose several inputs are named like JavaScript keywords, the generated tfjs module's own
// names (x, tf, inputs, Inputs, batch) and Object.prototype's properties: its module must still
// type-check and take each as a key like any other.
import type { RandomModel } from './random-model.js';

export const keywordInputsModel: RandomModel = {
  name: 'kw',
  text: `model kw {
  delete = input 4
  class = input 2
  tf = input 1
  x = input 1
  inputs = input 1
  Inputs = input 1
  batch = input 1
  constructor = input 1
  __proto__ = input 1
  a = spinal from delete { split 1:1; width 2; layers 2 }
  output 2 from a, class, tf, x, inputs, Inputs, batch, constructor, __proto__
}
`,
};
