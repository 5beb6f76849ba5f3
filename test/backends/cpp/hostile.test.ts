// The generated C++ under AddressSanitizer and UndefinedBehaviorSanitizer: hostile weights
// files are refused with a message naming the problem (and the tensor), never a crash, an
// out-of-bounds read or undefined behaviour; random mutations of a good file likewise; and
// predict itself runs clean on a batch. The compiler's own reader refuses the same files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorSpecs } from '../../../src/ir/tensors.js';
import { optimize } from '../../../src/passes/optimize.js';
import { readSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import { checkWeights } from '../../../src/weights/validate.js';
import { checkBatchnorms } from '../../../src/ir/materialize.js';
import { hostileCases } from '../../support/hostile-weights.js';
import { buildDriver, loadWithDriver, SANITIZE_FLAGS } from '../../../src/backends/cpp/toolchain.js';
import { onlyModel } from '../../support/front.js';
import { randomWeights } from '../../support/random-weights.js';
import { scratch } from '../../support/scratch.js';
import { errorOf, optimizedSamples, TOLERANCE, withWeights } from './helpers.js';

const graph = optimize(onlyModel('model h { input 6 batchnorm spinal { split 1:2 width 3 layers 2 batchnorm } output 2 }').graph);
const specs = tensorSpecs(graph);
const good = writeSafetensors(randomWeights(graph, 3));
const enc = new TextEncoder();

/** The good file's header as an object, and its data section. */
function parts(): { header: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>; data: Uint8Array } {
  const length = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + length))), data: good.subarray(8 + length) };
}

/** A file from header text and data, the declared header length as given or exact. */
function file(headerText: string | Uint8Array, data: Uint8Array = parts().data, declared?: bigint): Uint8Array {
  const header = typeof headerText === 'string' ? enc.encode(headerText) : headerText;
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** The good file with its header object changed by `edit`. */
function edited(edit: (h: ReturnType<typeof parts>['header']) => void, data?: Uint8Array): Uint8Array {
  const { header, data: d } = parts();
  edit(header);
  return file(JSON.stringify(header), data ?? d);
}

/** The good file with one float of a tensor replaced. */
function withValue(tensor: string, value: number): Uint8Array {
  const { header, data } = parts();
  const copy = data.slice();
  new DataView(copy.buffer).setFloat32(header[tensor].data_offsets[0], value, true);
  return file(JSON.stringify(header), copy);
}

const W = 'spinal1.sub1.weight';
const VAR = 'spinal1.sub1.bn.running_var';

/** [case, file, phrases the C++ message must contain, whether the compiler's reader refuses it too]. */
const cases: [string, () => Uint8Array, string[], boolean][] = [
  ['an empty file', () => new Uint8Array(0), ['0 bytes long, too short'], true],
  ['a 5-byte file', () => new Uint8Array(5), ['too short'], true],
  ['a header length beyond the file', () => file('{}', new Uint8Array(0), 1000n), ['header length 1000 runs past the end of the file'], true],
  ['a header length of 2^63', () => file('{}', new Uint8Array(0), 2n ** 63n), ['is more than the limit of 100000000 bytes'], true],
  ['a header length of 1', () => file('{', new Uint8Array(8), 1n), ['too small to hold a JSON object'], true],
  ['a header that is not UTF-8', () => file(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), ['not valid UTF-8'], true],
  ['a byte-order mark before the JSON', () => file(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])), ['not a JSON object'], true],
  ['a header cut in the middle', () => file('{"output.bias": {"dtype": "F32", "sha'), ['not valid safetensors JSON'], true],
  ['a JSON array for a header', () => file('[]'), ['not a JSON object'], true],
  ['text after the JSON object', () => file(`${JSON.stringify(parts().header)} x`), ['unexpected text after'], true],
  ['a truncated file', () => good.subarray(0, good.length - 10), ['run past the end of the data section'], true],
  ['offsets beyond the data', () => edited((h) => { h[W].data_offsets = [0, 1 << 20]; }), [`'${W}'`, 'run past the end of the data section'], true],
  ['offsets that end before they begin', () => edited((h) => { h[W].data_offsets = [64, 0]; }), [`'${W}'`, 'end before they begin'], true],
  ['overlapping tensors', () => edited((h) => { const [b, e] = h['output.weight'].data_offsets; h['output.weight'].data_offsets = [h['output.bias'].data_offsets[0], h['output.bias'].data_offsets[0] + e - b]; }), ['overlap', "'output.weight'"], true],
  ['an F16 tensor', () => edited((h) => { h['output.bias'].dtype = 'F16'; h['output.bias'].shape = [4]; }), ["'output.bias' has dtype F16", 'F32'], true],
  ['an unknown dtype', () => edited((h) => { h[W].dtype = 'F33'; }), [`'${W}'`, "unknown dtype 'F33'"], true],
  ['a shape the model does not have', () => edited((h) => { h[W].shape = [h[W].shape[1], h[W].shape[0]]; }), [`'${W}': expected shape [3, 2], found [2, 3]`], true],
  ['a shape its bytes do not hold', () => edited((h) => { h[W].shape = [3, 3]; }), [`'${W}'`, 'needs 36 bytes', 'hold 24'], true],
  ['a missing tensor', () => writeSafetensors(new Map([...randomWeights(graph, 3)].filter(([name]) => name !== VAR))), [`missing tensor '${VAR}' (shape [3])`], true],
  ['an unexpected tensor', () => edited((h) => { h['spinal1.sub9.weight'] = { ...h[W] }; h['spinal1.sub9.weight'].data_offsets = [0, 0]; h['spinal1.sub9.weight'].shape = [0]; }), ["unexpected tensor 'spinal1.sub9.weight'"], true],
  ['a tensor listed twice', () => { const t = JSON.stringify(parts().header); return file(t.replace('{', `{"${W}":${JSON.stringify(parts().header[W])},`)); }, [`'${W}' is listed twice`], true],
  ['a key listed twice in an entry', () => { const t = JSON.stringify(parts().header); return file(t.replace(`"${W}":{`, `"${W}":{"dtype":"F32",`)); }, [`'${W}' has the key 'dtype' twice`], true],
  ['a NaN weight', () => withValue(W, NaN), [`'${W}' holds NaN at index 0`], true],
  ['an infinite weight', () => withValue(W, -Infinity), [`'${W}' holds -Infinity at index 0`], true],
  ['a running variance below -eps', () => withValue(VAR, -1), [`'${VAR}'`, 'running variance'], true],
  ['a negative dimension', () => edited((h) => { h[W].shape = [-3, 2]; }), [`'${W}'`, 'non-negative integers'], true],
  ['a dimension of 2^64', () => file(JSON.stringify(parts().header).replace(/"shape":\[3,2\]/, '"shape":[18446744073709551616,2]')), [`'${W}'`, 'above 2^53'], true],
  ['a dimension written 3.0', () => file(JSON.stringify(parts().header).replace(/"shape":\[3,2\]/, '"shape":[3.0,2]')), [`'${W}'`, 'whole numbers'], true],
  ['deeply nested extra data', () => file(JSON.stringify(parts().header).replace(`"${W}":{`, `"${W}":{"x":${'['.repeat(100000)}${']'.repeat(100000)},`)), ['nested too deeply'], false],
  ['metadata that is not strings', () => file(JSON.stringify({ __metadata__: { a: 1 }, ...parts().header })), ['__metadata__ must be an object of strings'], true],
  ['a long name with control characters', () => edited((h) => { h[`\u001b[31m${'x'.repeat(5000)}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] }; }), ['unexpected tensor', "'\\x1b[31mxxx", '...'], true],
];

const dir = scratch('cpp-hostile');
let bin = '';
const samples = withWeights(dir, [...optimizedSamples().filter((g) => ['mnist_vgg5_spinal', 'three_rows_interleaved', 'mnist_arch2'].includes(g.name)), graph]);
beforeAll(async () => {
  bin = await buildDriver(dir, samples.map((m) => ({ graph: m.graph })), { flags: [...SANITIZE_FLAGS] });
}, 300_000);

const H = samples.length - 1;

describe('hostile weights files (C++ loader under ASan and UBSan)', () => {
  it('accepts the good file', async () => {
    writeFileSync(join(dir, 'good.safetensors'), good);
    expect(await loadWithDriver(bin, H, [join(dir, 'good.safetensors')])).toEqual([{ ok: true, message: '' }]);
  });

  it.each(cases.map(([name, make, phrases, ts], i) => [name, i, make, phrases, ts] as const))('refuses %s', async (_name, i, make, phrases, ts) => {
    const bytes = make();
    const path = join(dir, `case${i}.safetensors`);
    writeFileSync(path, bytes);
    const [result] = await loadWithDriver(bin, H, [path]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^spinal: weights: /);
    for (const phrase of phrases) expect(result.message).toContain(phrase);
    if (ts) {
      expect(() => {
        const weights = readSafetensors(bytes);
        checkWeights(weights, specs);
        checkBatchnorms(graph, weights);
      }).toThrow();
    }
  });

  it.each(hostileCases(randomWeights(graph, 3)).map((c, i) => [c.title, i, c] as const))('refuses the shared hostile file: %s', async (_title, i, c) => {
    const path = join(dir, `shared${i}.safetensors`);
    writeFileSync(path, c.bytes);
    const [result] = await loadWithDriver(bin, H, [path]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^spinal: weights: /);
    if (c.tensor) expect(result.message).toContain(`'${c.tensor}'`);
    if (c.phrase) expect(result.message).toContain(c.phrase);
  });

  it('refuses a folder, and reads a device that never ends only as far as a header says', async () => {
    const results = await loadWithDriver(bin, H, [dir, '/dev/zero']);
    expect(results[0]).toEqual({ ok: false, message: `spinal: weights: cannot read '${dir}': it is a directory` });
    expect(results[1]).toEqual({ ok: false, message: 'spinal: weights: the header length 0 is too small to hold a JSON object' });
  });

  it('refuses or accepts 400 random mutations of a good file, never crashing', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(good.length - 1), value: fc.nat(255) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(good.length - 1) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(good.length - 1), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('header' as const), at: fc.nat(200), char: fc.constantFrom(...'{}[]",:0123456789-.eE \\u'.split('')) }),
    );
    const mutants = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 4 }), { numRuns: 400, seed: 8 }).map((ms) => {
      let bytes = good.slice();
      for (const m of ms) {
        if (m.kind === 'flip') bytes[m.at % bytes.length] = m.value;
        else if (m.kind === 'cut') bytes = bytes.slice(0, m.at);
        else if (m.kind === 'insert') bytes = Uint8Array.from([...bytes.slice(0, m.at), ...m.bytes, ...bytes.slice(m.at)]);
        else if (bytes.length > 8 + m.at) bytes[8 + m.at] = m.char.charCodeAt(0);
        if (bytes.length === 0) break;
      }
      return bytes;
    });
    const paths = mutants.map((bytes, i) => {
      const path = join(dir, `mutant${i}.safetensors`);
      writeFileSync(path, bytes);
      return path;
    });
    const results = await loadWithDriver(bin, H, paths);
    for (const r of results) if (!r.ok) expect(r.message).toMatch(/^spinal: weights: /);
    expect(results.filter((r) => !r.ok).length).toBeGreaterThan(200);
  }, 120_000);
});

describe('predict under ASan and UBSan', () => {
  it.each(samples.map((m, i) => [m.graph.name, i] as const))('%s runs clean at batch 1 and 130, on 2 threads', async (_name, i) => {
    for (const batch of [1, 130]) expect(await errorOf(bin, i, samples[i], batch, { capacity: 50, threads: 2 })).toBeLessThanOrEqual(TOLERANCE);
  }, 60_000);
});
