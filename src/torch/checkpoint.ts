// A torch.save checkpoint (the zip format of PyTorch 1.6 and later): `<archive>/data.pkl`, the
// pickled object, whose tensors point by persistent id at storages `<archive>/data/<key>`, and
// `<archive>/byteorder`. The state_dict is the pickled object itself or, in a training
// checkpoint, one of its top-level values. Only what is asked for is read from the storages.
import { closeSync, openSync, readSync } from 'node:fs';
import { TorchError } from './errors.js';
import { STORAGE_DTYPES } from './dtypes.js';
import { PyDict, PyGlobal, PyTuple, StorageRef, TensorRef, unpickle, type PickleValue } from './pickle.js';
import { ZipArchive } from './zip.js';
import { toFloat32 } from '../weights/dtype.js';
import { label } from '../tensor/errors.js';
import { option } from '../diagnostics/option.js';

/** The largest data.pkl read: its tensors' data lives in other entries, so real ones are small. */
export const MAX_PICKLE_BYTES = 64 << 20;

/** Elements of one tensor taken as weights: what a Float32Array holds. */
const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

export const CONVERT_HINT =
  "load it with torch and save it again: torch.save(torch.load('in.pt'), 'out.pt') on a little-endian machine with PyTorch 1.6 or later, " +
  "or write safetensors: safetensors.torch.save_file(torch.load('in.pt'), 'out.safetensors')";

export interface CheckpointTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** The safetensors name of its dtype: F32, F16, I64, ... */
  readonly dtype: string;
  readonly ref: TensorRef;
}

export type FileKind = 'zip' | 'legacy-torch' | 'other';

/** What the first bytes say a file is: a zip archive, a pre-1.6 torch.save pickle, or else. */
export function sniff(path: string): FileKind {
  const head = new Uint8Array(4);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (n >= 2 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return 'legacy-torch';
  return 'other';
}

export class TorchCheckpoint {
  private constructor(
    private readonly archive: ZipArchive,
    private readonly prefix: string,
    readonly tensors: readonly CheckpointTensor[],
    /** The top-level key the state_dict was found under; undefined when it is the whole file. */
    readonly key: string | undefined,
    /** Values of the state_dict that are not tensors, by name. */
    readonly skipped: readonly string[],
  ) {}

  static async open(path: string, options: { key?: string } = {}): Promise<TorchCheckpoint> {
    const kind = sniff(path);
    if (kind === 'legacy-torch') throw new TorchError(`the file is in the legacy torch.save format of PyTorch before 1.6, which spinal does not read; ${CONVERT_HINT}`);
    if (kind !== 'zip') throw new TorchError('not a zip archive, so not a torch.save checkpoint');
    const archive = await ZipArchive.open(path);
    try {
      const prefix = archivePrefix(archive);
      await checkByteOrder(archive, prefix);
      const root = await readPickle(archive, prefix);
      const { dict, key } = findStateDict(root, options.key);
      const tensors: CheckpointTensor[] = [];
      const skipped: string[] = [];
      for (const [name, value] of dict.entries) {
        if (typeof name !== 'string') continue;
        if (value instanceof TensorRef) tensors.push(checkTensor(archive, prefix, name, value));
        else skipped.push(name);
      }
      return new TorchCheckpoint(archive, prefix, tensors, key, skipped);
    } catch (e) {
      archive.close();
      throw e;
    }
  }

  close(): void {
    this.archive.close();
  }

  /** The tensor's values, row-major, as float32; a non-float dtype is refused naming it. */
  async float32(t: CheckpointTensor): Promise<Float32Array> {
    const { ref } = t;
    const size = ref.storage.dtype.bytes;
    const count = elementCount(t.name, ref.shape);
    if (count === 0) return toFloat32(t.name, t.dtype, new Uint8Array(0));
    const last = lastIndex(ref);
    const raw = await this.archive.read(storageEntry(this.prefix, ref.storage), ref.offset * size, (last + 1) * size);
    const bytes = new Uint8Array(count * size);
    let i = 0;
    forEachIndex(ref.shape, ref.strides, (at) => {
      const from = (at - ref.offset) * size;
      bytes.set(raw.subarray(from, from + size), i * size);
      i++;
    }, ref.offset);
    return toFloat32(t.name, t.dtype, bytes);
  }
}

function archivePrefix(archive: ZipArchive): string {
  const first = archive.entries.keys().next().value;
  const slash = first === undefined ? -1 : first.indexOf('/');
  if (first === undefined || slash <= 0) throw new TorchError('the archive has no folder of records, so it is not a torch.save checkpoint');
  const prefix = first.slice(0, slash + 1);
  if (!archive.entries.has(`${prefix}data.pkl`)) {
    const script = archive.entries.has(`${prefix}constants.pkl`) ? ' (it looks like a TorchScript archive from torch.jit.save; save model.state_dict() with torch.save instead)' : '';
    throw new TorchError(`the archive has no entry '${prefix}data.pkl', so it is not a torch.save checkpoint${script}`);
  }
  return prefix;
}

async function checkByteOrder(archive: ZipArchive, prefix: string): Promise<void> {
  const entry = archive.entries.get(`${prefix}byteorder`);
  if (!entry) return; // archives before PyTorch 1.10 have none, and are little-endian
  if (entry.uncompressedSize > 16) throw new TorchError(`entry '${prefix}byteorder' is ${entry.uncompressedSize} bytes long`);
  const order = new TextDecoder().decode(await archive.read(`${prefix}byteorder`, 0, entry.uncompressedSize));
  if (order === 'little') return;
  if (order === 'big') throw new TorchError(`the checkpoint was saved on a big-endian machine, which spinal does not read; ${CONVERT_HINT}`);
  throw new TorchError(`entry '${prefix}byteorder' says ${label(order)}, neither 'little' nor 'big'`);
}

async function readPickle(archive: ZipArchive, prefix: string): Promise<PickleValue> {
  const name = `${prefix}data.pkl`;
  const size = archive.entries.get(name)!.uncompressedSize;
  if (size > MAX_PICKLE_BYTES) {
    throw new TorchError(`entry '${name}' expands to ${size} bytes, more than the ${MAX_PICKLE_BYTES} spinal reads for a pickle; the archive is corrupt or hostile`);
  }
  const bytes = await archive.read(name, 0, size);
  const storages = new Map<string, StorageRef>();
  return unpickle(bytes, (pid) => persistentStorage(pid, storages));
}

/** `('storage', torch.FloatStorage, key, location, numel)`: one storage per key. */
function persistentStorage(pid: PickleValue, storages: Map<string, StorageRef>): StorageRef {
  if (!(pid instanceof PyTuple) || pid.items.length !== 5 || pid.items[0] !== 'storage') {
    throw new TorchError("a persistent id is not of torch.save's form ('storage', type, key, location, numel)");
  }
  const [, type, key, location, numel] = pid.items;
  const dtype = type instanceof PyGlobal && type.module === 'torch' ? STORAGE_DTYPES.get(type.name) : undefined;
  if (!dtype) throw new TorchError('a persistent id names no torch storage type');
  if (typeof key !== 'string' || !/^[\w.-]{1,64}$/.test(key) || typeof location !== 'string') {
    throw new TorchError('a persistent id has a malformed storage key or location');
  }
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw new TorchError(`storage '${key}' has a size of ${String(numel)}, which overflows`);
  const known = storages.get(key);
  if (known) {
    if (known.dtype !== dtype || known.numel !== numel) throw new TorchError(`storage '${key}' is declared twice with different types or sizes`);
    return known;
  }
  const ref = new StorageRef(key, dtype, numel, location);
  storages.set(key, ref);
  return ref;
}

/** A dict whose keys are strings and at least one of whose values is a tensor. */
function isStateDict(v: PickleValue | undefined): v is PyDict {
  if (!(v instanceof PyDict)) return false;
  let tensors = 0;
  for (const [k, value] of v.entries) {
    if (typeof k !== 'string') return false;
    if (value instanceof TensorRef) tensors++;
  }
  return tensors > 0;
}

function findStateDict(root: PickleValue, key: string | undefined): { dict: PyDict; key: string | undefined } {
  if (key !== undefined) {
    if (!(root instanceof PyDict)) throw new TorchError(`${option('key')} ${label(key)}: the checkpoint holds ${kindOf(root)}, not a dict`);
    const value = root.entries.get(key);
    if (value === undefined && !root.entries.has(key)) throw new TorchError(`${option('key')} ${label(key)}: the checkpoint has no such key; its keys are ${keyList(root)}`);
    if (!isStateDict(value)) throw new TorchError(`${option('key')} ${label(key)} holds ${kindOf(value ?? null)}, not a state_dict (a dict of tensors)`);
    return { dict: value, key };
  }
  if (isStateDict(root)) return { dict: root, key: undefined };
  if (!(root instanceof PyDict)) throw new TorchError(`the checkpoint holds ${kindOf(root)}, not a state_dict`);
  const found = [...root.entries].filter(([k, v]) => typeof k === 'string' && isStateDict(v)) as [string, PyDict][];
  if (found.length === 1) return { dict: found[0][1], key: found[0][0] };
  if (found.length === 0) throw new TorchError(`no state_dict in the checkpoint: none of its keys (${keyList(root)}) holds a dict of tensors`);
  throw new TorchError(`the checkpoint holds several state_dicts (${found.map(([k]) => label(k)).join(', ')}); choose one with ${option('key')}`);
}

function keyList(dict: PyDict): string {
  const keys = [...dict.entries.keys()].map((k) => (typeof k === 'string' ? label(k) : String(k)));
  return keys.length === 0 ? 'none' : keys.slice(0, 20).join(', ') + (keys.length > 20 ? `, and ${keys.length - 20} more` : '');
}

function kindOf(v: PickleValue): string {
  if (v === null) return 'None';
  if (v instanceof PyDict) return 'a dict without tensors';
  if (v instanceof TensorRef) return 'a single tensor';
  if (Array.isArray(v) || (typeof v === 'object' && v !== null && 'items' in v)) return 'a sequence';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

function storageEntry(prefix: string, storage: StorageRef): string {
  return `${prefix}data/${storage.key}`;
}

/** Checks a tensor against its storage's declared size and the archive entry's real size. */
function checkTensor(archive: ZipArchive, prefix: string, name: string, ref: TensorRef): CheckpointTensor {
  const count = elementCount(name, ref.shape);
  const { storage } = ref;
  const entryName = storageEntry(prefix, storage);
  const entry = archive.entries.get(entryName);
  if (!entry) throw new TorchError(`tensor ${label(name)} reads storage '${storage.key}', but the archive has no entry '${entryName}'`);
  const needed = storage.numel * storage.dtype.bytes;
  if (!Number.isSafeInteger(needed) || entry.uncompressedSize < needed) {
    throw new TorchError(`storage '${entryName}' holds ${entry.uncompressedSize} bytes, shorter than the ${storage.numel} elements of ${storage.dtype.bytes} bytes it declares`);
  }
  if (count > 0) {
    const last = lastIndex(ref);
    if (last >= storage.numel) {
      throw new TorchError(`tensor ${label(name)} reads element ${last} of storage '${storage.key}', which holds ${storage.numel}: the storage is shorter than its tensor`);
    }
  }
  return { name, shape: ref.shape, dtype: storage.dtype.name, ref };
}

/** The number of elements, refused when it overflows what one tensor can hold here. */
function elementCount(name: string, shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) throw new TorchError(`tensor ${label(name)} has shape [${shape.join(', ')}], whose size overflows`);
  }
  return n;
}

/** The storage index of a tensor's last element (the tensor has at least one). */
function lastIndex(ref: TensorRef): number {
  let last = ref.offset;
  for (let d = 0; d < ref.shape.length; d++) last += (ref.shape[d] - 1) * ref.strides[d];
  if (!Number.isSafeInteger(last)) throw new TorchError("a tensor's strides overflow");
  return last;
}

/** Calls `visit` with the storage index of every element, in row-major order. */
function forEachIndex(shape: readonly number[], strides: readonly number[], visit: (at: number) => void, offset = 0): void {
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let at = 0;
  for (;;) {
    visit(offset + at);
    let d = rank - 1;
    for (; d >= 0; d--) {
      index[d]++;
      at += strides[d];
      if (index[d] < shape[d]) break;
      at -= strides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}
