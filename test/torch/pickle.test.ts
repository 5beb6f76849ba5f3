// The restricted unpickler on pickles written byte by byte here, opcode by opcode as Python's
// pickle module defines them (Lib/pickletools.py documents each one).
import { describe, expect, it } from 'vitest';
import { ALLOWED_GLOBALS, PyDict, PyGlobal, PyList, PyTuple, StorageRef, TensorRef, unpickle, type PickleValue } from '../../src/torch/pickle.js';
import { STORAGE_DTYPES } from '../../src/torch/dtypes.js';
import { TorchError } from '../../src/torch/errors.js';

const enc = (s: string) => [...new TextEncoder().encode(s)];
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const P2 = [0x80, 0x02];
const unicode = (s: string) => [0x58, ...u32(enc(s).length), ...enc(s)];
const global = (module: string, name: string) => [0x63, ...enc(`${module}\n${name}\n`)];
const bytes = (...parts: number[][]) => new Uint8Array(parts.flat());

const noStorage = () => {
  throw new Error('no persistent id expected');
};

function refusal(body: Uint8Array): string {
  try {
    unpickle(body, () => new StorageRef('0', STORAGE_DTYPES.get('FloatStorage')!, 6, 'cpu'));
  } catch (e) {
    expect(e).toBeInstanceOf(TorchError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('what the unpickler builds', () => {
  it('reads a dict of plain values: ints of every width, floats, strings, bytes, None, booleans, tuples, lists', () => {
    const body = bytes(P2, [0x7d, 0x94, 0x28], // EMPTY_DICT MEMOIZE MARK
      unicode('a'), [0x4b, 7], // BININT1
      unicode('b'), [0x4d, 0x34, 0x12], // BININT2
      unicode('c'), [0x4a, ...u32(-5 >>> 0)], // BININT
      unicode('d'), [0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x80], // LONG1: -2^71 as 9 bytes... a bigint
      unicode('e'), [0x47, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], // BINFLOAT pi
      unicode('f'), [0x4e], unicode('g'), [0x88], unicode('h'), [0x89],
      unicode('i'), [0x4b, 1, 0x4b, 2, 0x86], // TUPLE2
      unicode('j'), [0x5d, 0x28, 0x4b, 1, 0x4b, 2, 0x65], // EMPTY_LIST MARK .. APPENDS
      unicode('k'), [0x43, 2, 0xde, 0xad], // SHORT_BINBYTES
      unicode('l'), [0x8c, 2, ...enc('hi')], // SHORT_BINUNICODE
      [0x75, 0x2e]); // SETITEMS STOP
    const d = unpickle(body, noStorage) as PyDict;
    const get = (k: string) => d.entries.get(k);
    expect(get('a')).toBe(7);
    expect(get('b')).toBe(0x1234);
    expect(get('c')).toBe(-5);
    expect(get('d')).toBe(-(2n ** 71n));
    expect(get('e')).toBe(Math.PI);
    expect([get('f'), get('g'), get('h')]).toEqual([null, true, false]);
    expect((get('i') as PyTuple).items).toEqual([1, 2]);
    expect((get('j') as PyList).items).toEqual([1, 2]);
    expect(Array.from(get('k') as Uint8Array)).toEqual([0xde, 0xad]);
    expect(get('l')).toBe('hi');
  });

  it('builds an OrderedDict with _metadata set by BUILD, and recalls memoized values', () => {
    const body = bytes(P2, global('collections', 'OrderedDict'), [0x71, 0], [0x29, 0x52, 0x71, 1], // REDUCE
      [0x28], unicode('w'), [0x4b, 3], unicode('v'), [0x68, 0], [0x75], // SETITEMS; 'v' = the OrderedDict class
      [0x7d], unicode('_metadata'), [0x7d, 0x73, 0x62, 0x2e]); // {'_metadata': {}} BUILD
    const d = unpickle(body, noStorage) as PyDict;
    expect(d).toBeInstanceOf(PyDict);
    expect(d.entries.get('w')).toBe(3);
    expect(d.entries.get('v')).toBeInstanceOf(PyGlobal); // memo entry 0: the class, as data, never called
    expect((d.state as PyDict).entries.get('_metadata')).toBeInstanceOf(PyDict);
  });

  it('takes LONG_BINPUT and LONG_BINGET indices larger than what is left of the pickle (a big state_dict numbers its memo past that near its end)', () => {
    const body = bytes(P2, [0x7d, 0x72, ...u32(70000)], unicode('x'), [0x6a, ...u32(70000), 0x73, 0x2e]); // EMPTY_DICT LONG_BINPUT 'x' LONG_BINGET SETITEM STOP
    const d = unpickle(body, noStorage) as PyDict;
    expect(d.entries.get('x')).toBe(d);
  });

  it('turns _rebuild_tensor_v2 over a persistent storage into a tensor with its offset, shape and strides', () => {
    const pid = [0x28, ...unicode('storage'), ...global('torch', 'HalfStorage'), ...unicode('0'), ...unicode('cpu'), 0x4b, 12, 0x74];
    const body = bytes(P2, global('torch._utils', '_rebuild_tensor_v2'), [0x28], pid, [0x51], // BINPERSID
      [0x4b, 2], [0x4b, 2, 0x4b, 3, 0x86], [0x4b, 1, 0x4b, 2, 0x86], [0x89], global('collections', 'OrderedDict'), [0x29, 0x52],
      [0x74, 0x52, 0x2e]);
    const seen: PickleValue[] = [];
    const t = unpickle(body, (id) => {
      seen.push(id);
      return new StorageRef('0', STORAGE_DTYPES.get('HalfStorage')!, 12, 'cpu');
    }) as TensorRef;
    expect(t).toBeInstanceOf(TensorRef);
    expect([t.offset, t.shape, t.strides]).toEqual([2, [2, 3], [1, 2]]);
    expect(t.storage.dtype.name).toBe('F16');
    expect((seen[0] as PyTuple).items.slice(2)).toEqual(['0', 'cpu', 12]);
  });

  it('allows exactly the globals of a state_dict: OrderedDict, the tensor and parameter rebuilders, ten storage types', () => {
    expect(ALLOWED_GLOBALS).toContain('collections.OrderedDict');
    expect(ALLOWED_GLOBALS).toContain('torch._utils._rebuild_tensor_v2');
    expect(ALLOWED_GLOBALS).toContain('torch._utils._rebuild_parameter');
    expect(ALLOWED_GLOBALS.filter((g) => g.endsWith('Storage')).sort()).toEqual([
      'torch.BFloat16Storage', 'torch.BoolStorage', 'torch.ByteStorage', 'torch.CharStorage', 'torch.DoubleStorage',
      'torch.FloatStorage', 'torch.HalfStorage', 'torch.IntStorage', 'torch.LongStorage', 'torch.ShortStorage',
    ]);
  });
});

describe('what the unpickler refuses', () => {
  it.each([
    ['os.system', bytes(P2, global('os', 'system'), unicode('id'), [0x85, 0x52, 0x2e])],
    ['posix.system', bytes(P2, global('posix', 'system'), unicode('id'), [0x85, 0x52, 0x2e])],
    ['builtins.eval', bytes([0x80, 0x04], [0x8c, 8], enc('builtins'), [0x8c, 4], enc('eval'), [0x93], unicode('1'), [0x85, 0x52, 0x2e])],
    ['builtins.getattr', bytes(P2, global('builtins', 'getattr'), [0x2e])],
    ['__main__.Net', bytes(P2, global('__main__', 'Net'), [0x29, 0x81, 0x2e])],
    ['torch.nn.modules.linear.Linear', bytes(P2, global('torch.nn.modules.linear', 'Linear'), [0x2e])],
    ['torch._utils._rebuild_from_type_v2', bytes(P2, global('torch._utils', '_rebuild_from_type_v2'), [0x2e])],
    ['numpy.core.multiarray._reconstruct', bytes(P2, global('numpy.core.multiarray', '_reconstruct'), [0x2e])],
  ])('the global %s, naming it', (name, body) => {
    expect(refusal(body)).toContain(`the pickle names the global '${name}', which is refused`);
  });

  it.each([
    ['INST', bytes(P2, [0x28, 0x69], enc('os\nsystem\n'), [0x2e])],
    ['OBJ', bytes(P2, [0x28], global('collections', 'OrderedDict'), [0x6f, 0x2e])],
    ['EXT1', bytes(P2, [0x82, 1, 0x2e])],
    ['EXT2', bytes(P2, [0x83, 1, 0, 0x2e])],
    ['EXT4', bytes(P2, [0x84, 1, 0, 0, 0, 0x2e])],
    ['NEXT_BUFFER', bytes([0x80, 0x05, 0x97, 0x2e])],
    ['READONLY_BUFFER', bytes([0x80, 0x05, 0x4e, 0x98, 0x2e])],
    ['PERSID', bytes(P2, [0x50], enc('0\n'), [0x2e])],
    ['INT', bytes(P2, [0x49], enc('1\n'), [0x2e])],
    ['STRING', bytes(P2, [0x53], enc("'a'\n"), [0x2e])],
    ['GET', bytes(P2, [0x67], enc('0\n'), [0x2e])],
  ])('the opcode %s, naming it', (name, body) => {
    expect(refusal(body)).toMatch(new RegExp(`pickle opcode ${name} \\(0x[0-9a-f]{2}\\) at byte \\d+ is refused`));
  });

  it('calling a storage type, BUILD on a tensor or a list, and a global that is allowed but not callable', () => {
    expect(refusal(bytes(P2, global('torch', 'FloatStorage'), [0x29, 0x52, 0x2e]))).toMatch(/torch\.FloatStorage cannot be called/);
    expect(refusal(bytes(P2, [0x5d, 0x7d, 0x62, 0x2e]))).toMatch(/BUILD on a list is not supported/);
    expect(refusal(bytes(P2, [0x4b, 1, 0x29, 0x52, 0x2e]))).toMatch(/REDUCE calls 1, which is not callable/);
  });

  it('protocols other than 2 to 5, unknown opcodes, truncation, and stack misuse', () => {
    expect(refusal(bytes([0x28, 0x64, 0x2e]))).toMatch(/does not start with a protocol marker/);
    expect(refusal(bytes([0x80, 0x01, 0x2e]))).toMatch(/pickle protocol 1 is not supported/);
    expect(refusal(bytes([0x80, 0x06, 0x2e]))).toMatch(/pickle protocol 6 is not supported/);
    expect(refusal(bytes(P2, [0xff, 0x2e]))).toMatch(/unknown pickle opcode 0xff at byte 2/);
    expect(refusal(bytes(P2, [0x58, 0xff, 0xff, 0xff, 0x7f]))).toMatch(/runs past the end of the pickle/);
    expect(refusal(bytes(P2, [0x4e]))).toMatch(/truncated/);
    expect(refusal(bytes(P2, [0x30, 0x2e]))).toMatch(/pops an empty stack/);
    expect(refusal(bytes(P2, [0x68, 3, 0x2e]))).toMatch(/memo entry 3, which was never stored/);
    expect(refusal(bytes(P2, [0x4e, 0x4e, 0x2e]))).toMatch(/malformed stack/);
    expect(refusal(bytes(P2, [0x74, 0x2e]))).toMatch(/closes a mark it never opened/);
  });

  it('a tensor whose size, stride or offset is not a count, or overflows', () => {
    const tensor = (size: number[], offset: number[]) => bytes(P2, global('torch._utils', '_rebuild_tensor_v2'), [0x28],
      [0x28], unicode('storage'), global('torch', 'FloatStorage'), unicode('0'), unicode('cpu'), [0x4b, 6, 0x74, 0x51],
      offset, size, [0x4b, 1, 0x85], [0x89, 0x4e, 0x74, 0x52, 0x2e]);
    expect(refusal(tensor([0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x85], [0x4b, 0]))).toMatch(/size 18446744073709551616 overflows/);
    expect(refusal(tensor([0x4a, ...u32(-1 >>> 0), 0x85], [0x4b, 0]))).toMatch(/size is -1, not a count/);
    expect(refusal(tensor([0x4b, 2, 0x85], [0x47, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0x01]))).toMatch(/storage offset is 1\.0+2/);
  });
});
