// The helpers every generated module carries, as ts-morph structures: the safetensors reader
// with its checks, the load-time batchnorm folding (the arithmetic of src/ir/materialize.ts,
// ported), the upload of folded matrices, and gelu. The module stays self-contained: it
// imports nothing but @tensorflow/tfjs-core.
import { StructureKind, type FunctionDeclarationStructure, type InterfaceDeclarationStructure } from 'ts-morph';

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

function iface(name: string, docs: string, properties: [string, string][]): InterfaceDeclarationStructure {
  return {
    kind: StructureKind.Interface,
    name,
    docs: [docs],
    properties: properties.map(([n, type]) => ({ name: n, type, isReadonly: true })),
  };
}

export function runtimeTypes(options: { folds: boolean }): InterfaceDeclarationStructure[] {
  return RUNTIME_TYPES.filter((t) => options.folds || t.name !== 'BatchnormSpec');
}

const RUNTIME_TYPES: readonly InterfaceDeclarationStructure[] = [
  iface('TensorSpec', 'A tensor the weights file must hold: its canonical name and PyTorch shape.', [['name', 'string'], ['shape', 'readonly number[]']]),
  iface('BatchnormSpec', "A batchnorm's tensors in the weights file; it is folded into a Linear at load time.", [
    ['gamma', 'string'], ['beta', 'string'], ['mean', 'string'], ['variance', 'string'], ['eps', 'number'],
  ]),
  iface('Linear', "A Linear's weight ([units, inFeatures], row-major) and bias, in float64 while batchnorms are folded in.", [
    ['units', 'number'], ['inFeatures', 'number'], ['weight', 'Float64Array'], ['bias', 'Float64Array'],
  ]),
  iface('DenseParams', 'A dense layer ready to run: one [count, units] matrix per input part, and the bias.', [
    ['parts', 'readonly tf.Tensor2D[]'], ['bias', 'tf.Tensor1D'],
  ]),
];

const readWeights = fn(
  'readWeights',
  'Parses a safetensors file and checks every tensor in `specs`: present once, float32, the expected\nshape, its bytes inside the file and apart from the others, its values finite. Refuses anything\nelse, naming the tensor.',
  [['bytes', 'Uint8Array'], ['specs', 'readonly TensorSpec[]']],
  'Map<string, Float32Array>',
  [
    "if (bytes.length < 8) fail(`the file has ${bytes.length} bytes, fewer than the 8 of its header length`);",
    'const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);',
    'const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;',
    '// The limit of the safetensors format, checked first as its reference reader does.',
    "if (headerLength > MAX_HEADER_BYTES) fail(`the header length ${headerLength} is more than the limit of ${MAX_HEADER_BYTES} bytes`);",
    "if (headerLength > bytes.length - 8) fail(`the header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);",
    'let text = \'\';',
    'try {',
    "  text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));",
    '} catch {',
    "  fail('the header is not valid UTF-8');",
    '}',
    'let header: unknown;',
    'try {',
    '  header = JSON.parse(text);',
    '} catch {',
    "  fail('the header is not valid JSON');",
    '}',
    "if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object');",
    'const entries = header as Record<string, unknown>;',
    '// JSON.parse keeps the last of two entries of one name; which one the file meant is unknowable.',
    'const named = new Set(specs.map((s) => s.name));',
    'const seen = new Set<string>();',
    'for (const key of topLevelKeys(text)) {',
    "  if (named.has(key) && seen.has(key)) fail(`tensor '${key}' is listed twice`);",
    "  seen.add(key);",
    "}",
    "const miswritten = miswrittenCount(text);",
    "if (miswritten !== undefined) fail(miswritten);",
    "// The tensors, the model's and any other, must cover the data section exactly: in order of",
    "// their offsets each begins where the one before ends, and the last ends with the file.",
    "const dataBytes = bytes.length - 8 - headerLength;",
    "const spans: [number, number, string][] = [];",
    "for (const [name, value] of Object.entries(entries)) {",
    "  if (name === '__metadata__') continue;",
    "  const offsets = typeof value === 'object' && value !== null ? (value as { data_offsets?: unknown }).data_offsets : undefined;",
    "  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1] || offsets[1] > dataBytes) {",
    "    fail(`tensor '${name}': its data_offsets ${JSON.stringify(offsets)} do not lie inside the file's data section of ${dataBytes} bytes`);",
    "  }",
    "  spans.push([offsets[0] as number, offsets[1] as number, name]);",
    "}",
    "spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);",
    "let covered = 0;",
    "let before = '';",
    "for (const [begin, end, name] of spans) {",
    "  // Two tensors on the same bytes are a corrupt or crafted file: writing one would change the other.",
    "  if (begin < covered) fail(`tensors '${before}' and '${name}' overlap in the file`);",
    "  if (begin > covered) fail(`tensor '${name}': bytes ${covered} to ${begin} of the data section, before it, belong to no tensor`);",
    "  covered = end;",
    "  before = name;",
    "}",
    "if (covered !== dataBytes) fail(`the data section has ${dataBytes} bytes, but its tensors end at byte ${covered}: the last ${dataBytes - covered} belong to no tensor`);",
    '// Other tensors are ignored: a canonical file also holds those of a sub-layer the optimizer',
    "// removed because nothing reads it. `spinal build --weights` and `spinal verify` check them all.",
    'const dataStart = 8 + headerLength;',
    'const tensors = new Map<string, Float32Array>();',
    'for (const spec of specs) {',
    '  const entry = entries[spec.name] as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | undefined;',
    "  const want = `[${spec.shape.join(', ')}]`;",
    "  if (typeof entry !== 'object' || entry === null) fail(`missing tensor '${spec.name}' (expected shape ${want})`);",
    '  const shape = entry.shape;',
    "  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor '${spec.name}': expected shape ${want}, found ${JSON.stringify(shape)}`);",
    "  if (shape.length !== spec.shape.length || shape.some((d, i) => d !== spec.shape[i])) fail(`tensor '${spec.name}': expected shape ${want}, found [${shape.join(', ')}]`);",
    "  if (entry.dtype !== 'F32') fail(`tensor '${spec.name}': expected dtype F32, found ${JSON.stringify(entry.dtype)}`);",
    '  const offsets = entry.data_offsets;',
    '  const count = spec.shape.reduce((a, d) => a * d, 1);',
    '  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)',
    '    || offsets[1] - offsets[0] !== 4 * count || dataStart + offsets[1] > bytes.length) {',
    "    fail(`tensor '${spec.name}': its data_offsets ${JSON.stringify(offsets)} do not hold ${count} float32 values inside the file`);",
    '  }',
    '  const at = dataStart + (offsets[0] as number);',
    '  const data = new Float32Array(count);',
    '  for (let i = 0; i < count; i++) {',
    '    data[i] = view.getFloat32(at + 4 * i, true);',
    "    if (!Number.isFinite(data[i])) fail(`tensor '${spec.name}' holds ${data[i]} at index ${i}; weights must be finite numbers`);",
    '  }',
    '  tensors.set(spec.name, data);',
    '}',
    'return tensors;',
  ],
);

const topLevelKeys = fn(
  'topLevelKeys',
  "The keys of a JSON object's text in order, repeats included (JSON.parse drops them). `text` has\nbeen parsed already, so it is valid JSON.",
  [['text', 'string']],
  'string[]',
  [
    'const keys: string[] = [];',
    'let depth = 0;',
    'let expectKey = false;',
    'for (let i = 0; i < text.length; i++) {',
    '  const c = text[i];',
    '  if (c === \'"\') {',
    '    let end = i + 1;',
    "    while (text[end] !== '\"') end += text[end] === '\\\\' ? 2 : 1;",
    '    if (depth === 1 && expectKey) keys.push(JSON.parse(text.slice(i, end + 1)) as string);',
    '    expectKey = false;',
    '    i = end;',
    "  } else if (c === '{' || c === '[') {",
    '    depth++;',
    "    expectKey = c === '{';",
    "  } else if (c === '}' || c === ']') {",
    '    depth--;',
    "  } else if (c === ',') {",
    '    expectKey = true;',
    '  }',
    '}',
    'return keys;',
  ],
);

const miswrittenCount = fn(
  'miswrittenCount',
  "The first size or offset of a tensor entry not written as digits (`3.0`, `3e0`, `-0`), as a\nmessage. JSON.parse reads `3.0` as 3, so only the text tells. `text` is valid JSON.",
  [['text', 'string']],
  'string | undefined',
  [
    "const keys: (string | undefined)[] = [];",
    "const objects: boolean[] = [];",
    "let key: string | undefined;",
    "for (let i = 0; i < text.length; i++) {",
    "  const c = text[i];",
    "  if (c === '\"') {",
    "    let end = i + 1;",
    "    while (text[end] !== '\"') end += text[end] === '\\\\' ? 2 : 1;",
    "    let next = end + 1;",
    "    while (next < text.length && ' \\t\\n\\r'.includes(text[next])) next++;",
    "    if (objects[objects.length - 1] && text[next] === ':') key = JSON.parse(text.slice(i, end + 1)) as string;",
    "    i = end;",
    "  } else if (c === '{' || c === '[') {",
    "    keys.push(key);",
    "    objects.push(c === '{');",
    "    key = undefined;",
    "  } else if (c === '}' || c === ']') {",
    "    keys.pop();",
    "    objects.pop();",
    "  } else if (c === '-' || (c >= '0' && c <= '9')) {",
    "    let end = i;",
    "    while (end < text.length && '-+.eE0123456789'.includes(text[end])) end++;",
    "    const number = text.slice(i, end);",
    "    const [tensor, field] = [keys[1], keys[2]];",
    "    if (keys.length === 3 && !objects[2] && (field === 'shape' || field === 'data_offsets') && tensor !== undefined && tensor !== '__metadata__' && !/^[0-9]+$/.test(number)) {",
    "      const rule = number.startsWith('-') ? 'non-negative integers' : 'whole numbers written without a fraction or exponent';",
    "      return `tensor '${tensor}': ${field} must hold ${rule}, found ${number}`;",
    "    }",
    "    i = end - 1;",
    "  }",
    "}",
    "return undefined;",
  ],
);

const failFn = fn('fail', 'Every refusal of a weights file goes through here, so each one reads the same way.', [['message', 'string']], 'never', [
  'throw new Error(`weights: ${message}`);',
]);

const linear = fn(
  'linear',
  "A Linear's stored weight and bias, copied to float64 for folding.",
  [['file', 'ReadonlyMap<string, Float32Array>'], ['weight', 'string'], ['bias', 'string'], ['units', 'number'], ['inFeatures', 'number']],
  'Linear',
  ['return { units, inFeatures, weight: Float64Array.from(file.get(weight)!), bias: Float64Array.from(file.get(bias)!) };'],
);

const batchnorm = fn(
  'batchnorm',
  "A batchnorm as a per-feature affine map: scale = gamma / sqrt(var + eps), shift = beta - mean * scale.",
  [['file', 'ReadonlyMap<string, Float32Array>'], ['bn', 'BatchnormSpec']],
  '{ scale: Float64Array; shift: Float64Array }',
  [
    'const gamma = file.get(bn.gamma)!;',
    'const beta = file.get(bn.beta)!;',
    'const mean = file.get(bn.mean)!;',
    'const variance = file.get(bn.variance)!;',
    'const scale = new Float64Array(gamma.length);',
    'const shift = new Float64Array(gamma.length);',
    'for (let f = 0; f < gamma.length; f++) {',
    "  if (!(variance[f] + bn.eps > 0)) fail(`tensor '${bn.variance}' holds ${variance[f]} at index ${f}: a running variance must be greater than -eps (${bn.eps})`);",
    '  scale[f] = gamma[f] / Math.sqrt(variance[f] + bn.eps);',
    '  shift[f] = beta[f] - mean[f] * scale[f];',
    '}',
    'return { scale, shift };',
  ],
);

const foldBefore = fn(
  'foldBefore',
  'Folds a batchnorm that runs before the Linear: its columns `column .. column + count - 1` read\nfeatures `feature, feature + stride, ...` of the batchnorm.',
  [['layer', 'Linear'], ['bn', '{ scale: Float64Array; shift: Float64Array }'], ['column', 'number'], ['count', 'number'], ['feature', 'number'], ['stride', 'number']],
  'void',
  [
    'for (let o = 0; o < layer.units; o++) {',
    '  for (let i = 0; i < count; i++) {',
    '    const c = o * layer.inFeatures + column + i;',
    '    const f = feature + i * stride;',
    '    layer.bias[o] += layer.weight[c] * bn.shift[f];',
    '    layer.weight[c] *= bn.scale[f];',
    '  }',
    '}',
  ],
);

const foldAfter = fn(
  'foldAfter',
  'Folds a batchnorm that runs after the Linear, on its outputs.',
  [['layer', 'Linear'], ['bn', '{ scale: Float64Array; shift: Float64Array }']],
  'void',
  [
    'for (let o = 0; o < layer.units; o++) {',
    '  for (let c = 0; c < layer.inFeatures; c++) layer.weight[o * layer.inFeatures + c] *= bn.scale[o];',
    '  layer.bias[o] = layer.bias[o] * bn.scale[o] + bn.shift[o];',
    '}',
  ],
);

const upload = fn(
  'upload',
  'The folded Linear as float32 tensors: for each input part [column, count], the block\nW[:, column .. column + count - 1] transposed to [count, units], so that x_part · block is its share.',
  [['layer', 'Linear'], ['parts', 'readonly (readonly [number, number])[]']],
  'DenseParams',
  [
    'const matrices = parts.map(([column, count]) => {',
    '  const block = new Float32Array(count * layer.units);',
    '  for (let i = 0; i < count; i++) {',
    '    for (let o = 0; o < layer.units; o++) block[i * layer.units + o] = layer.weight[o * layer.inFeatures + column + i];',
    '  }',
    '  return tf.tensor2d(block, [count, layer.units]);',
    '});',
    'return { parts: matrices, bias: tf.tensor1d(Float32Array.from(layer.bias)) };',
  ],
);

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

/** The helpers a module needs: folding code only where a batchnorm is folded, gelu and relu only where used. */
export function runtimeFunctions(options: { gelu: boolean; relu: boolean; foldBefore: boolean; foldAfter: boolean }): FunctionDeclarationStructure[] {
  return [
    readWeights, topLevelKeys, miswrittenCount, failFn, linear,
    ...(options.foldBefore || options.foldAfter ? [batchnorm] : []),
    ...(options.foldBefore ? [foldBefore] : []),
    ...(options.foldAfter ? [foldAfter] : []),
    upload,
    ...(options.gelu ? [gelu] : []),
    ...(options.relu ? [relu] : []),
  ];
}
