// A restricted unpickler for the `data.pkl` of a torch.save archive. It executes nothing: every
// opcode builds plain data, and the only globals it resolves are the few a state_dict or a
// training checkpoint needs (ALLOWED_GLOBALS), each turned into a data constructor here. Any
// other global, and every opcode that would call into arbitrary code (INST, OBJ, the extension
// registry, out-of-band buffers) or that only text-mode protocol 0 writes, is refused by name.
import { TorchError } from './errors.js';
import { STORAGE_DTYPES, type StorageDtype } from './dtypes.js';

/** A Python tuple. */
export class PyTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A Python list (mutable while unpickling). */
export class PyList {
  readonly items: PickleValue[] = [];
}

/** A Python dict or OrderedDict; keys are compared by value for numbers and strings. */
export class PyDict {
  readonly entries = new Map<PickleValue, PickleValue>();
  /** What BUILD set on it (an OrderedDict's `_metadata`); kept, never interpreted. */
  state: PickleValue = null;
}

/** A set or frozenset. */
export class PySet {
  readonly items: PickleValue[] = [];
}

/** A global the allow-list names, before it is called. */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A storage, as the persistent id of torch.save names it: the archive entry `data/<key>`. */
export class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: StorageDtype,
    /** Elements of `dtype` the storage holds. */
    readonly numel: number,
    readonly location: string,
  ) {}
}

/** A tensor: a view into a storage. Sizes, strides and offset are checked to be safe integers. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
  ) {}
}

export type PickleValue =
  | null | boolean | number | bigint | string | Uint8Array
  | PyTuple | PyList | PyDict | PySet | PyGlobal | StorageRef | TensorRef;

const ORDERED_DICT = 'collections.OrderedDict';
const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';
const REBUILD_PARAMETER = 'torch._utils._rebuild_parameter';
const REBUILD_PARAMETER_WITH_STATE = 'torch._utils._rebuild_parameter_with_state';

/** Every global the unpickler resolves: what a state_dict or a training checkpoint needs. */
export const ALLOWED_GLOBALS: readonly string[] = [
  ORDERED_DICT,
  REBUILD_TENSOR,
  REBUILD_PARAMETER,
  REBUILD_PARAMETER_WITH_STATE,
  ...[...STORAGE_DTYPES.keys()].map((name) => `torch.${name}`),
];
const ALLOWED = new Set(ALLOWED_GLOBALS);

/** Opcodes refused by name: each would run code, or needs data a file alone cannot give. */
const REFUSED_OPCODES = new Map<number, string>([
  [0x69, 'INST'], [0x6f, 'OBJ'], [0x82, 'EXT1'], [0x83, 'EXT2'], [0x84, 'EXT4'],
  [0x97, 'NEXT_BUFFER'], [0x98, 'READONLY_BUFFER'],
  [0x50, 'PERSID'], [0x49, 'INT'], [0x4c, 'LONG'], [0x53, 'STRING'], [0x56, 'UNICODE'],
  [0x46, 'FLOAT'], [0x67, 'GET'], [0x70, 'PUT'],
]);

/** Entries a memo may hold: far more than any checkpoint's pickle, bounded all the same. */
const MAX_MEMO_INDEX = 1 << 26;

class Mark {}
const MARK = new Mark();
type Slot = PickleValue | Mark;

export type PersistentLoad = (pid: PickleValue) => PickleValue;

/** Unpickles `bytes` with `persistentLoad` resolving BINPERSID ids. Refusals are TorchErrors. */
export function unpickle(bytes: Uint8Array, persistentLoad: PersistentLoad): PickleValue {
  return new Machine(bytes, persistentLoad).run();
}

class Machine {
  private pos = 0;
  private stack: Slot[] = [];
  private readonly marks: Slot[][] = [];
  private readonly memo = new Map<number, PickleValue>();
  private readonly view: DataView;
  private readonly text = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly bytes: Uint8Array, private readonly persistentLoad: PersistentLoad) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): PickleValue {
    const first = this.u8();
    if (first !== 0x80) throw new TorchError('the pickle does not start with a protocol marker: only pickle protocols 2 to 5 are read');
    const protocol = this.u8();
    if (protocol < 2 || protocol > 5) throw new TorchError(`pickle protocol ${protocol} is not supported: only protocols 2 to 5 are read`);
    for (;;) {
      const at = this.pos;
      const op = this.u8();
      if (op === 0x2e) return this.finish(); // STOP
      this.step(op, at);
    }
  }

  private finish(): PickleValue {
    if (this.stack.length !== 1 || this.marks.length !== 0) throw new TorchError('the pickle ends with a malformed stack');
    return this.value(this.stack[0]);
  }

  // One opcode. Grouped by what they build; the byte values are pickle's own.
  private step(op: number, at: number): void {
    switch (op) {
      case 0x80: { // PROTO (again, inside a frame)
        const p = this.u8();
        if (p < 2 || p > 5) throw new TorchError(`pickle protocol ${p} is not supported`);
        return;
      }
      case 0x95: this.take(8); return; // FRAME: a length hint only
      case 0x28: this.marks.push(this.stack); this.stack = []; return; // MARK
      case 0x30: this.pop(); return; // POP
      case 0x31: this.popMark(); return; // POP_MARK
      case 0x32: this.push(this.peek()); return; // DUP
      case 0x4e: this.push(null); return; // NONE
      case 0x88: this.push(true); return; // NEWTRUE
      case 0x89: this.push(false); return; // NEWFALSE
      case 0x4a: this.push(this.view.getInt32(this.advance(4), true)); return; // BININT
      case 0x4b: this.push(this.u8()); return; // BININT1
      case 0x4d: this.push(this.view.getUint16(this.advance(2), true)); return; // BININT2
      case 0x8a: this.push(this.long(this.u8())); return; // LONG1
      case 0x8b: this.push(this.long(this.length(4))); return; // LONG4
      case 0x47: this.push(this.view.getFloat64(this.advance(8), false)); return; // BINFLOAT
      case 0x58: this.push(this.string(this.length(4))); return; // BINUNICODE
      case 0x8c: this.push(this.string(this.u8())); return; // SHORT_BINUNICODE
      case 0x8d: this.push(this.string(this.length(8))); return; // BINUNICODE8
      case 0x54: this.push(this.string(this.length(4))); return; // BINSTRING
      case 0x55: this.push(this.string(this.u8())); return; // SHORT_BINSTRING
      case 0x42: this.push(this.take(this.length(4)).slice()); return; // BINBYTES
      case 0x43: this.push(this.take(this.u8()).slice()); return; // SHORT_BINBYTES
      case 0x8e: this.push(this.take(this.length(8)).slice()); return; // BINBYTES8
      case 0x96: this.push(this.take(this.length(8)).slice()); return; // BYTEARRAY8
      case 0x29: this.push(new PyTuple([])); return; // EMPTY_TUPLE
      case 0x74: this.push(new PyTuple(this.popMark())); return; // TUPLE
      case 0x85: this.push(new PyTuple(this.popN(1))); return; // TUPLE1
      case 0x86: this.push(new PyTuple(this.popN(2))); return; // TUPLE2
      case 0x87: this.push(new PyTuple(this.popN(3))); return; // TUPLE3
      case 0x5d: this.push(new PyList()); return; // EMPTY_LIST
      case 0x6c: { // LIST
        const list = new PyList();
        list.items.push(...this.popMark());
        this.push(list);
        return;
      }
      case 0x61: { // APPEND
        const item = this.pop();
        this.list(this.peek()).items.push(item);
        return;
      }
      case 0x65: { // APPENDS
        const items = this.popMark();
        const list = this.list(this.peek());
        for (const item of items) list.items.push(item);
        return;
      }
      case 0x7d: this.push(new PyDict()); return; // EMPTY_DICT
      case 0x64: { // DICT
        const dict = new PyDict();
        this.setItems(dict, this.popMark());
        this.push(dict);
        return;
      }
      case 0x73: { // SETITEM
        const [key, value] = this.popN(2);
        this.dict(this.peek()).entries.set(key, value);
        return;
      }
      case 0x75: this.setItems(this.dict(this.stackBelowMark()), this.popMark()); return; // SETITEMS
      case 0x8f: this.push(new PySet()); return; // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = this.popMark();
        const set = this.peek();
        if (!(set instanceof PySet)) throw new TorchError('ADDITEMS on something that is not a set');
        set.items.push(...items);
        return;
      }
      case 0x91: { // FROZENSET
        const set = new PySet();
        set.items.push(...this.popMark());
        this.push(set);
        return;
      }
      case 0x71: this.memoize(this.u8()); return; // BINPUT
      case 0x72: this.memoize(this.u32()); return; // LONG_BINPUT
      case 0x94: this.memoize(this.memo.size); return; // MEMOIZE
      case 0x68: this.push(this.recall(this.u8())); return; // BINGET
      case 0x6a: this.push(this.recall(this.u32())); return; // LONG_BINGET
      case 0x63: { // GLOBAL: "module\nname\n"
        const module = this.line();
        const name = this.line();
        this.push(this.global(module, name));
        return;
      }
      case 0x93: { // STACK_GLOBAL
        const [module, name] = this.popN(2);
        if (typeof module !== 'string' || typeof name !== 'string') throw new TorchError('STACK_GLOBAL needs two strings');
        this.push(this.global(module, name));
        return;
      }
      case 0x51: this.push(this.persistentLoad(this.pop())); return; // BINPERSID
      case 0x52: { // REDUCE
        const [callable, args] = this.popN(2);
        this.push(this.call(callable, args));
        return;
      }
      case 0x81: { // NEWOBJ
        const [cls, args] = this.popN(2);
        this.push(this.construct(cls, args));
        return;
      }
      case 0x92: { // NEWOBJ_EX
        const [cls, args, kwargs] = this.popN(3);
        if (!(kwargs instanceof PyDict) || kwargs.entries.size > 0) throw new TorchError('NEWOBJ_EX with keyword arguments is not supported');
        this.push(this.construct(cls, args));
        return;
      }
      case 0x62: { // BUILD
        const state = this.pop();
        const target = this.peek();
        if (!(target instanceof PyDict)) throw new TorchError(`BUILD on ${describe(target)} is not supported: only a dict's attributes can be set`);
        target.state = state;
        return;
      }
      default: {
        const name = REFUSED_OPCODES.get(op);
        if (name) throw new TorchError(`pickle opcode ${name} (0x${hex(op)}) at byte ${at} is refused: it is not part of what a state_dict needs`);
        throw new TorchError(`unknown pickle opcode 0x${hex(op)} at byte ${at}`);
      }
    }
  }

  private global(module: string, name: string): PyGlobal {
    const qualified = `${module}.${name}`;
    if (!ALLOWED.has(qualified)) {
      throw new TorchError(`the pickle names the global ${quote(qualified)}, which is refused: only ${ALLOWED_GLOBALS.slice(0, 4).join(', ')} and the torch storage types are allowed`);
    }
    return new PyGlobal(module, name);
  }

  private call(callable: PickleValue, args: PickleValue): PickleValue {
    if (!(callable instanceof PyGlobal)) throw new TorchError(`REDUCE calls ${describe(callable)}, which is not callable`);
    if (!(args instanceof PyTuple)) throw new TorchError(`REDUCE of ${callable.qualified} without an argument tuple`);
    const a = args.items;
    switch (callable.qualified) {
      case ORDERED_DICT: return orderedDict(a);
      case REBUILD_TENSOR: return rebuildTensor(a);
      case REBUILD_PARAMETER:
      case REBUILD_PARAMETER_WITH_STATE:
        if (!(a[0] instanceof TensorRef)) throw new TorchError(`${callable.qualified} needs a tensor as its first argument`);
        return a[0];
      default: throw new TorchError(`${callable.qualified} cannot be called`);
    }
  }

  private construct(cls: PickleValue, args: PickleValue): PickleValue {
    if (!(cls instanceof PyGlobal) || cls.qualified !== ORDERED_DICT) throw new TorchError(`NEWOBJ of ${describe(cls)} is not supported`);
    if (!(args instanceof PyTuple)) throw new TorchError('NEWOBJ without an argument tuple');
    return orderedDict(args.items);
  }

  private setItems(dict: PyDict, items: Slot[]): void {
    if (items.length % 2 !== 0) throw new TorchError('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) dict.entries.set(this.value(items[i]), this.value(items[i + 1]));
  }

  private memoize(index: number): void {
    if (index > MAX_MEMO_INDEX) throw new TorchError(`memo index ${index} is out of range`);
    this.memo.set(index, this.value(this.peek()));
  }

  private recall(index: number): PickleValue {
    if (!this.memo.has(index)) throw new TorchError(`the pickle reads memo entry ${index}, which was never stored`);
    return this.memo.get(index)!;
  }

  private dict(v: Slot): PyDict {
    if (!(v instanceof PyDict)) throw new TorchError(`SETITEM on ${describe(v)}, not a dict`);
    return v;
  }

  private list(v: Slot): PyList {
    if (!(v instanceof PyList)) throw new TorchError(`APPEND on ${describe(v)}, not a list`);
    return v;
  }

  private push(v: PickleValue): void {
    this.stack.push(v);
  }

  private pop(): PickleValue {
    if (this.stack.length === 0) throw new TorchError('the pickle pops an empty stack');
    return this.value(this.stack.pop()!);
  }

  private popN(n: number): PickleValue[] {
    if (this.stack.length < n) throw new TorchError('the pickle pops an empty stack');
    return this.stack.splice(this.stack.length - n, n).map((v) => this.value(v));
  }

  private peek(): PickleValue {
    if (this.stack.length === 0) throw new TorchError('the pickle reads an empty stack');
    return this.value(this.stack[this.stack.length - 1]);
  }

  private popMark(): PickleValue[] {
    const items = this.stack;
    const below = this.marks.pop();
    if (below === undefined) throw new TorchError('the pickle closes a mark it never opened');
    this.stack = below;
    return items.map((v) => this.value(v));
  }

  /** The object SETITEMS adds to: the top of the stack under the innermost mark. */
  private stackBelowMark(): PickleValue {
    const below = this.marks[this.marks.length - 1];
    if (below === undefined || below.length === 0) throw new TorchError('SETITEMS without a dict under its mark');
    return this.value(below[below.length - 1]);
  }

  private value(v: Slot): PickleValue {
    if (v instanceof Mark) throw new TorchError('a mark is used as a value');
    return v;
  }

  private u8(): number {
    return this.view.getUint8(this.advance(1));
  }

  /** A 4-byte index (of the memo), not a length: it may exceed what is left of the pickle. */
  private u32(): number {
    return this.view.getUint32(this.advance(4), true);
  }

  /** A length field of `size` bytes, which must fit in what is left of the pickle. */
  private length(size: 4 | 8): number {
    const n = size === 4 ? this.view.getUint32(this.advance(4), true) : Number(this.view.getBigUint64(this.advance(8), true));
    if (n > this.bytes.length - this.pos) throw new TorchError(`a length of ${n} at byte ${this.pos - size} runs past the end of the pickle`);
    return n;
  }

  private advance(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length) throw new TorchError('the pickle is truncated');
    this.pos += n;
    return at;
  }

  private take(n: number): Uint8Array {
    const at = this.advance(n);
    return this.bytes.subarray(at, at + n);
  }

  private string(n: number): string {
    try {
      return this.text.decode(this.take(n));
    } catch {
      throw new TorchError(`a string at byte ${this.pos - n} is not valid UTF-8`);
    }
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0 || end - this.pos > 256) throw new TorchError('a GLOBAL name is not terminated');
    const s = this.string(end - this.pos);
    this.pos = end + 1;
    return s;
  }

  /** Little-endian two's complement, as a number when safe and a bigint otherwise. */
  private long(n: number): number | bigint {
    if (n > 64) throw new TorchError(`an integer of ${n} bytes is out of range`);
    const b = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
}

function orderedDict(args: readonly PickleValue[]): PyDict {
  const dict = new PyDict();
  if (args.length === 0) return dict;
  const [items] = args;
  if (args.length === 1 && items instanceof PyList) {
    for (const pair of items.items) {
      const kv = pair instanceof PyTuple || pair instanceof PyList ? (pair instanceof PyTuple ? pair.items : pair.items) : undefined;
      if (!kv || kv.length !== 2) throw new TorchError('OrderedDict built from something other than key-value pairs');
      dict.entries.set(kv[0], kv[1]);
    }
    return dict;
  }
  throw new TorchError('OrderedDict called with unsupported arguments');
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`. */
function rebuildTensor(args: readonly PickleValue[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (args.length < 6 || args.length > 7) throw new TorchError(`_rebuild_tensor_v2 takes 6 or 7 arguments, not ${args.length}`);
  if (!(storage instanceof StorageRef)) throw new TorchError('_rebuild_tensor_v2 needs a storage as its first argument');
  const shape = intTuple(size, 'size');
  const strides = intTuple(stride, 'stride');
  if (shape.length !== strides.length) throw new TorchError(`a tensor has ${shape.length} sizes but ${strides.length} strides`);
  return new TensorRef(storage, safeCount(offset, 'storage offset'), shape, strides);
}

function intTuple(v: PickleValue, what: string): number[] {
  if (!(v instanceof PyTuple)) throw new TorchError(`a tensor's ${what} is not a tuple`);
  if (v.items.length > 64) throw new TorchError(`a tensor has ${v.items.length} dimensions`);
  return v.items.map((x) => safeCount(x, what));
}

/** A non-negative safe integer, or a refusal that says the value overflows. */
export function safeCount(v: PickleValue, what: string): number {
  if (typeof v === 'bigint') throw new TorchError(`a tensor's ${what} ${v} overflows`);
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new TorchError(`a tensor's ${what} is ${describe(v)}, not a count`);
  return v;
}

function describe(v: PickleValue | Mark): string {
  if (v === null) return 'None';
  if (v instanceof PyGlobal) return v.qualified;
  if (v instanceof PyDict) return 'a dict';
  if (v instanceof PyList) return 'a list';
  if (v instanceof PyTuple) return 'a tuple';
  if (v instanceof TensorRef) return 'a tensor';
  if (v instanceof StorageRef) return 'a storage';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return 'a value';
}

function quote(s: string): string {
  return `'${s.slice(0, 120).replace(/[\u0000-\u001f\u007f-\u009f']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

function hex(op: number): string {
  return op.toString(16).padStart(2, '0');
}
