// Hostile input: random bytes and random damage to valid files never end in anything but a
// WeightsError (no RangeError from an out-of-bounds read, no TypeError, no hang).
// SPINAL_FUZZ_RUNS raises the number of cases for long runs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readSafetensors, writeSafetensors } from '../../src/weights/safetensors.js';
import { importTorchWeights } from '../../src/weights/torch-import.js';
import { WeightsError } from '../../src/tensor/errors.js';

const RUNS = Number(process.env.SPINAL_FUZZ_RUNS ?? 1500);

function onlyWeightsErrors(read: (bytes: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    read(bytes);
  } catch (e) {
    if (!(e instanceof WeightsError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const valid = writeSafetensors(new Map([
  ['fc_spinal_layer1.1.weight', { shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 7) }],
  ['fc_spinal_layer1.1.bias', { shape: [3], data: Float32Array.of(1, -1, 0.5) }],
  ['fc_out.1.weight', { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) }],
  ['fc_out.1.bias', { shape: [2], data: Float32Array.of(0, 0) }],
]), { format: 'pt' });
const headerEnd = 8 + Number(new DataView(valid.buffer).getBigUint64(0, true));

/** Bytes likely to matter in a JSON header. */
const jsonByte = fc.constantFrom(...'{}[]":,0123456789-.eE FIU\\'.split('').map((c) => c.charCodeAt(0)), 0x00, 0x80, 0xff);

type Mutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; value: number }
  | { kind: 'delete'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(valid.length - 1), value: fc.oneof(fc.nat(255), jsonByte) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(headerEnd - 1), value: jsonByte }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(valid.length) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(headerEnd), value: jsonByte }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(headerEnd - 1) }),
);

function mutate(file: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Array.from(file);
  for (const m of mutations) {
    const at = Math.min(m.at, bytes.length);
    if (m.kind === 'set' && at < bytes.length) bytes[at] = m.value;
    else if (m.kind === 'truncate') bytes = bytes.slice(0, at);
    else if (m.kind === 'insert') bytes.splice(at, 0, m.value);
    else if (m.kind === 'delete') bytes.splice(at, 1);
  }
  return Uint8Array.from(bytes);
}

function withHeaderLength(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length < 8) return bytes;
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(0, BigInt(length), true);
  return copy;
}

describe('fuzzing the safetensors reader', () => {
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => onlyWeightsErrors(readSafetensors, bytes)), { numRuns: RUNS });
  });

  it('random bytes after a header length that fits', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 2, maxLength: 200 }), fc.nat(), (tail, n) => {
      const file = new Uint8Array(8 + tail.length);
      file.set(tail, 8);
      onlyWeightsErrors(readSafetensors, withHeaderLength(file, n % (tail.length + 1)));
    }), { numRuns: RUNS });
  });

  it('random damage to a valid file', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (mutations, resync) => {
      let bytes = mutate(valid, mutations);
      // Half of the time the declared header length follows the insertions and deletions, so
      // that the damage reaches the JSON and the offsets rather than stopping at the length.
      if (resync) bytes = withHeaderLength(bytes, headerEnd - 8 + (bytes.length - valid.length));
      onlyWeightsErrors(readSafetensors, bytes);
      onlyWeightsErrors((b) => importTorchWeights(b, { prefix: '' }), bytes);
    }), { numRuns: RUNS });
  });

  it('random headers of valid JSON', () => {
    const value = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.boolean(),
        fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('dtype', 'shape', 'data_offsets', 'x'), tie('value'), { maxKeys: 4 })),
    })).value;
    const entry = fc.record({
      dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'I64', 'BOOL', 'toString'), value),
      shape: fc.oneof(fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 3 }), value),
      data_offsets: fc.oneof(fc.array(fc.integer({ min: -4, max: 80 }), { maxLength: 3 }), value),
    }, { requiredKeys: [] });
    const header = fc.dictionary(fc.oneof(fc.constantFrom('__metadata__', '__proto__', 'fc_out.1.weight'), fc.string()), fc.oneof(entry, value), { maxKeys: 5 });
    fc.assert(fc.property(header, fc.uint8Array({ maxLength: 80 }), (h, data) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const file = new Uint8Array(8 + json.length + data.length);
      file.set(json, 8);
      file.set(data, 8 + json.length);
      const bytes = withHeaderLength(file, json.length);
      onlyWeightsErrors(readSafetensors, bytes);
      onlyWeightsErrors((b) => importTorchWeights(b, { prefix: '' }), bytes);
    }), { numRuns: RUNS });
  });
});
