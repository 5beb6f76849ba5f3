// torch.save checkpoints read without torch. The fixtures in test/fixtures/torch were written by
// test/fixtures/torch/make_fixtures.py with Python's own zipfile and pickle, through stub modules
// carrying torch's module and qualified names, in torch.save's layout (see that script); each
// good one has beside it `<name>.expected.safetensors` with the same tensors, contiguous float32.
import { closeSync, openSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TorchCheckpoint, MAX_PICKLE_BYTES } from '../../src/torch/checkpoint.js';
import { TorchError } from '../../src/torch/errors.js';
import { parseLayout } from '../../src/weights/safetensors-layout.js';
import { toFloat32 } from '../../src/weights/dtype.js';
import { readBinaryFile } from '../../src/weights/files.js';
import { SAMPLES_DIR } from '../support/samples.js';
import { scratch } from '../support/scratch.js';

const FIXTURES = join(SAMPLES_DIR, '..', 'test', 'fixtures', 'torch');

/** The expected tensors, in file order: float32 values, or none for the I64 counters. */
function expectedTensors(path: string): Map<string, { shape: readonly number[]; data: Float32Array }> {
  const bytes = readBinaryFile(path);
  const layout = parseLayout(bytes);
  return new Map([...layout.entries].sort((a, b) => a.begin - b.begin).map((e) => [e.name, {
    shape: e.shape,
    data: e.dtype === 'F32' ? toFloat32(e.name, e.dtype, bytes.subarray(e.begin, e.end)) : new Float32Array(0),
  }]));
}

async function refusal(path: string): Promise<string> {
  try {
    (await TorchCheckpoint.open(path)).close();
  } catch (e) {
    expect(e).toBeInstanceOf(TorchError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('reading the checkpoints of the official heads', () => {
  it.each([
    ['mnist_net', undefined, 16, 'F32'],
    ['resnet_checkpoint', 'model', 11, 'F16'],
    ['customizable', 'state_dict', 10, 'F32'],
    ['notebook', undefined, 30, 'BF16'],
    ['vgg_shared', undefined, 10, 'F64'],
  ])('%s: every tensor equals the expected one (state_dict under key %s)', async (name, key, count, dtype) => {
    const checkpoint = await TorchCheckpoint.open(join(FIXTURES, `${name}.pt`));
    const expected = expectedTensors(join(FIXTURES, `${name}.expected.safetensors`));
    try {
      expect(checkpoint.key).toBe(key);
      expect(checkpoint.tensors.map((t) => t.name)).toEqual([...expected.keys()]);
      expect(checkpoint.tensors).toHaveLength(count);
      for (const t of checkpoint.tensors) {
        if (t.dtype === 'I64') continue; // num_batches_tracked: never a weight
        expect(t.dtype).toBe(dtype);
        expect(t.shape, t.name).toEqual(expected.get(t.name)!.shape);
        expect(Array.from(await checkpoint.float32(t)), t.name).toEqual(Array.from(expected.get(t.name)!.data));
      }
    } finally {
      checkpoint.close();
    }
  });

  it('reads views of one shared storage at their offsets, with transposed strides', async () => {
    const checkpoint = await TorchCheckpoint.open(join(FIXTURES, 'vgg_shared.pt'));
    try {
      const storages = new Set(checkpoint.tensors.map((t) => t.ref.storage));
      expect(storages.size).toBe(1);
      const weight = checkpoint.tensors.find((t) => t.name === 'module.fc_spinal_layer1.1.weight')!;
      expect([weight.ref.offset, weight.ref.strides]).toEqual([5, [1, 4]]);
      const out = checkpoint.tensors.find((t) => t.name === 'module.fc_out.1.weight')!;
      expect(out.ref.strides).toEqual([1, 3]); // saved as a Parameter
    } finally {
      checkpoint.close();
    }
  });

  it('refuses a non-float tensor as weights, naming it', async () => {
    const checkpoint = await TorchCheckpoint.open(join(FIXTURES, 'notebook.pt'));
    try {
      const counter = checkpoint.tensors.find((t) => t.name.endsWith('num_batches_tracked'))!;
      await expect(checkpoint.float32(counter)).rejects.toThrow(/tensor 'fc.layer1.2.num_batches_tracked' has dtype I64/);
    } finally {
      checkpoint.close();
    }
  });

  it('finds the state_dict of a training checkpoint, or takes the one --key names', async () => {
    const path = join(FIXTURES, 'resnet_checkpoint.pt');
    const chosen = await TorchCheckpoint.open(path, { key: 'model' });
    chosen.close();
    expect(chosen.key).toBe('model');
    await expect(TorchCheckpoint.open(path, { key: 'optimizer' })).rejects.toThrow(/`key` 'optimizer' holds a dict without tensors, not a state_dict/);
    await expect(TorchCheckpoint.open(path, { key: 'weights' })).rejects.toThrow(/`key` 'weights': the checkpoint has no such key; its keys are 'epoch', 'model', 'optimizer', 'best_accuracy'/);
  });
});

describe('hostile and unreadable checkpoints', () => {
  it.each([
    ['os_system', /the pickle names the global 'os\.system', which is refused/],
    ['builtins_eval', /the pickle names the global 'builtins\.eval', which is refused/],
    ['arbitrary_class', /the pickle names the global '__main__\.Net', which is refused/],
    ['op_inst', /pickle opcode INST \(0x69\) at byte 3 is refused/],
    ['op_obj', /pickle opcode OBJ \(0x6f\) at byte \d+ is refused/],
    ['op_ext1', /pickle opcode EXT1/],
    ['op_ext2', /pickle opcode EXT2/],
    ['op_ext4', /pickle opcode EXT4/],
    ['op_next_buffer', /pickle opcode NEXT_BUFFER/],
    ['op_readonly_buffer', /pickle opcode READONLY_BUFFER/],
    ['op_persid', /pickle opcode PERSID/],
    ['protocol0', /only pickle protocols 2 to 5 are read/],
    ['unknown_opcode', /unknown pickle opcode 0xff/],
    ['truncated_pickle', /runs past the end of the pickle/],
    ['truncated', /not a readable zip archive: .*truncated/],
    ['zip_bomb', /entry 'zip_bomb\/data\.pkl' expands to 3221225472 bytes, more than the 67108864 spinal reads for a pickle/],
    ['missing_pickle', /no entry 'missing_pickle\/data\.pkl', so it is not a torch\.save checkpoint/],
    ['missing_storage', /tensor 'fc_out\.bias' reads storage '1', but the archive has no entry 'missing_storage\/data\/1'/],
    ['storage_shorter', /tensor 'fc_out\.weight' reads element 5 of storage '0', which holds 4: the storage is shorter than its tensor/],
    ['entry_shorter', /storage 'entry_shorter\/data\/0' holds 8 bytes, shorter than the 6 elements of 4 bytes it declares/],
    ['size_overflow', /tensor 'fc_out\.weight' has shape \[1099511627776, 1099511627776\], whose size overflows/],
    ['big_endian', /saved on a big-endian machine, which spinal does not read; load it with torch and save it again/],
    ['legacy', /legacy torch\.save format of PyTorch before 1\.6, which spinal does not read; load it with torch and save it again/],
  ])('%s is refused', async (name, message) => {
    expect(await refusal(join(FIXTURES, 'hostile', `${name}.pt`))).toMatch(message);
  });

  it('the pickle limit is far above any real state_dict pickle', () => {
    expect(MAX_PICKLE_BYTES).toBe(64 * 1024 * 1024);
  });
});

describe('a checkpoint over 2 GiB', () => {
  const dir = scratch('torch-large');
  it('is read from its central directory and the few entries needed, never whole', async () => {
    const path = join(dir, 'large.pt');
    writeLargeCheckpoint(path, 2 ** 31 + 2 ** 20);
    const checkpoint = await TorchCheckpoint.open(path);
    try {
      expect(checkpoint.tensors.map((t) => [t.name, t.shape])).toEqual([['fc_out.weight', [2, 2]]]);
      expect(Array.from(await checkpoint.float32(checkpoint.tensors[0]))).toEqual([1, 2, 3, 4]);
    } finally {
      checkpoint.close();
    }
  });
});

/**
 * A zip64 archive whose first entry is a stored storage of `big` zero bytes that no tensor
 * reads, left as a hole in a sparse file, then data.pkl naming a tensor in a second storage
 * past the 2 GiB mark. yauzl checks no CRC, so the hole needs none.
 */
function writeLargeCheckpoint(path: string, big: number): void {
  const fd = openSync(path, 'w');
  const central: Buffer[] = [];
  let at = 0;
  const put = (b: Buffer) => {
    writeSync(fd, b, 0, b.length, at);
    at += b.length;
  };
  const entry = (name: string, size: number, data?: Buffer) => {
    const offset = at;
    const nameBytes = Buffer.from(name);
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(BigInt(size), 4);
    extra.writeBigUInt64LE(BigInt(size), 12);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt32LE(0xffffffff, 18);
    local.writeUInt32LE(0xffffffff, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(extra.length, 28);
    put(Buffer.concat([local, nameBytes, extra]));
    if (data) put(data);
    else at += size;
    const cextra = Buffer.alloc(28);
    cextra.writeUInt16LE(0x0001, 0);
    cextra.writeUInt16LE(24, 2);
    cextra.writeBigUInt64LE(BigInt(size), 4);
    cextra.writeBigUInt64LE(BigInt(size), 12);
    cextra.writeBigUInt64LE(BigInt(offset), 20);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(45, 4);
    header.writeUInt16LE(45, 6);
    header.writeUInt32LE(0xffffffff, 20);
    header.writeUInt32LE(0xffffffff, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt16LE(cextra.length, 30);
    header.writeUInt32LE(0xffffffff, 42);
    central.push(Buffer.concat([header, nameBytes, cextra]));
  };
  const storage = Buffer.alloc(16);
  [1, 2, 3, 4].forEach((v, i) => storage.writeFloatLE(v, 4 * i));
  // {'fc_out.weight': _rebuild_tensor_v2(storage '1', 0, (2, 2), (2, 1), False, OrderedDict())}
  const pickle = Buffer.from([
    0x80, 0x02, 0x7d, 0x58, 13, 0, 0, 0, ...Buffer.from('fc_out.weight'),
    0x63, ...Buffer.from('torch._utils\n_rebuild_tensor_v2\n'), 0x28,
    0x28, 0x58, 7, 0, 0, 0, ...Buffer.from('storage'), 0x63, ...Buffer.from('torch\nFloatStorage\n'),
    0x58, 1, 0, 0, 0, 0x31, 0x58, 3, 0, 0, 0, ...Buffer.from('cpu'), 0x4b, 4, 0x74, 0x51,
    0x4b, 0, 0x4b, 2, 0x4b, 2, 0x86, 0x4b, 2, 0x4b, 1, 0x86, 0x89,
    0x63, ...Buffer.from('collections\nOrderedDict\n'), 0x29, 0x52, 0x74, 0x52, 0x73, 0x2e,
  ]);
  entry('large/data/0', big);
  entry('large/data.pkl', pickle.length, pickle);
  entry('large/data/1', storage.length, storage);
  const cdStart = at;
  for (const c of central) put(c);
  const cdSize = at - cdStart;
  const eocd64 = Buffer.alloc(56);
  eocd64.writeUInt32LE(0x06064b50, 0);
  eocd64.writeBigUInt64LE(44n, 4);
  eocd64.writeUInt16LE(45, 12);
  eocd64.writeUInt16LE(45, 14);
  eocd64.writeBigUInt64LE(BigInt(central.length), 24);
  eocd64.writeBigUInt64LE(BigInt(central.length), 32);
  eocd64.writeBigUInt64LE(BigInt(cdSize), 40);
  eocd64.writeBigUInt64LE(BigInt(cdStart), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(at), 8);
  locator.writeUInt32LE(1, 16);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0xffff, 8);
  eocd.writeUInt16LE(0xffff, 10);
  eocd.writeUInt32LE(0xffffffff, 12);
  eocd.writeUInt32LE(0xffffffff, 16);
  put(Buffer.concat([eocd64, locator, eocd]));
  ftruncateSync(fd, at);
  closeSync(fd);
}
