// The tfjs-specific helpers a generated module carries, as ts-morph structures: the upload of
// folded matrices, gelu and relu. The weights loader and the folding come verbatim from
// ../runtime/safetensors-loader.ts. The module stays self-contained: it imports nothing but
// @tensorflow/tfjs-core.
import { StructureKind, type FunctionDeclarationStructure } from 'ts-morph';

function fn(name: string, docs: string, parameters: [string, string][], returnType: string, statements: string[]): FunctionDeclarationStructure {
  return {
    kind: StructureKind.Function,
    name,
    docs: [docs],
    parameters: parameters.map(([n, type]) => ({ name: n, type })),
    returnType,
    // One writer for the whole body: ts-morph would put blank lines between string statements.
    statements: (w) => {
      for (const line of statements) w.writeLine(line);
    },
  };
}

const upload: FunctionDeclarationStructure = {
  ...fn(
  'upload',
  'The Linear with its batchnorms folded in, as float32 tensors: for each input part [column, count],\nthe block W[:, column .. column + count - 1] transposed to [count, units], so that x_part · block is its share.',
  [['spec', 'LinearSpec'], ['file', 'ReadonlyMap<string, Float32Array>'], ['parts', 'P']],
  '{ readonly parts: { readonly [K in keyof P]: tf.Tensor2D }; readonly bias: tf.Tensor1D }',
  [
    'const { units, inFeatures } = spec;',
    'const layer = foldLinear(spec, (name) => file.get(name) ?? new Float32Array(0));',
    'const matrices = parts.map(([column, count]) => {',
    '  const block = new Float32Array(count * units);',
    '  for (let i = 0; i < count; i++) {',
    '    for (let o = 0; o < units; o++) block[i * units + o] = layer.weight[o * inFeatures + column + i] ?? 0;',
    '  }',
    '  return tf.tensor2d(block, [count, units]);',
    '});',
    '// One matrix per part: the tuple type lets predict index the parts without a check.',
    'return { parts: matrices as { readonly [K in keyof P]: tf.Tensor2D }, bias: tf.tensor1d(Float32Array.from(layer.bias)) };',
  ],
  ),
  // `const`: a literal list of parts is typed as a tuple.
  typeParameters: [{ name: 'P', constraint: 'readonly (readonly [number, number])[]', isConst: true }],
};

const gelu = fn(
  'gelu',
  'Exact gelu, 0.5 x (1 + erf(x / sqrt 2)), as PyTorch defines it; tfjs has no gelu op.',
  [['x', 'tf.Tensor2D']],
  'tf.Tensor2D',
  ['return tf.tidy(() => tf.mul<tf.Tensor2D>(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));'],
);

const relu = fn(
  'relu',
  'max(x, 0) with NaN kept, as PyTorch has it: tf.relu on the wasm backend turns NaN into 0.',
  [['x', 'tf.Tensor2D']],
  'tf.Tensor2D',
  ['return tf.tidy(() => tf.where(tf.less(x, 0), tf.zerosLike(x), x));'],
);

/** The helpers a module needs besides its loader: gelu and relu only where used. */
export function runtimeFunctions(options: { gelu: boolean; relu: boolean }): FunctionDeclarationStructure[] {
  return [upload, ...(options.gelu ? [gelu] : []), ...(options.relu ? [relu] : [])];
}
