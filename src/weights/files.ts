// Weights files on disk. Reading reports an unreadable file as a WeightsError naming it;
// writing goes to a temporary file in the same folder, then a rename, so a reader (or a crash)
// never sees a half-written file, and a failed write leaves the old file as it was.
import { closeSync, fsyncSync, lstatSync, openSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WeightsError } from '../tensor/errors.js';
import { readSafetensors, type ReadOptions } from './safetensors.js';
import { HEADER_LENGTH_BYTES, MAX_HEADER_BYTES } from './safetensors-layout.js';
import type { Weights } from '../tensor/tensor.js';
import { CappedReader, MAX_READ_BYTES, TooLargeError, concat } from '../fs/read.js';
import { errnoCode, fsProblem } from '../fs/problem.js';

/**
 * The bytes of a safetensors file, whatever kind of file it is. A regular file is read whole
 * (at most MAX_READ_BYTES); a pipe or a device, which has no size, only as far as its header
 * says the file extends, and one byte more to tell trailing data: `/dev/zero` is refused after
 * 8 bytes (a header length of 0), never read without end.
 */
export function readBinaryFile(path: string): Uint8Array {
  try {
    const reader = new CappedReader(path, MAX_READ_BYTES);
    try {
      return reader.size !== undefined ? reader.rest() : readStream(reader);
    } finally {
      reader.close();
    }
  } catch (e) {
    if (e instanceof WeightsError) throw e;
    if (e instanceof TooLargeError) {
      throw new WeightsError(`cannot read '${path}': it ${e.bytes === undefined ? 'holds more' : `is ${e.bytes} bytes, more`} than the ${MAX_READ_BYTES} bytes spinal reads`);
    }
    throw new WeightsError(`cannot read '${path}': ${describe(e, path)}`);
  }
}

function readStream(reader: CappedReader): Uint8Array {
  const head = reader.take(HEADER_LENGTH_BYTES);
  if (head.length < HEADER_LENGTH_BYTES) return head;
  const declared = new DataView(head.buffer, head.byteOffset, HEADER_LENGTH_BYTES).getBigUint64(0, true);
  // Past the limit the length alone is refused, before anything more is read.
  if (declared > BigInt(MAX_HEADER_BYTES)) return head;
  const header = reader.take(Number(declared));
  if (header.length < Number(declared)) return concat([head, header]);
  const room = MAX_READ_BYTES - head.length - header.length;
  const data = reader.take(Math.min(declaredDataEnd(header) + 1, room));
  return concat([head, header, data]);
}

/** Where the last tensor of a header ends, as far as the header can be read; 0 if it cannot. */
function declaredDataEnd(header: Uint8Array): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header));
  } catch {
    return 0;
  }
  if (typeof parsed !== 'object' || parsed === null) return 0;
  let end = 0;
  for (const [name, entry] of Object.entries(parsed)) {
    const offsets = name === '__metadata__' ? undefined : (entry as { data_offsets?: unknown } | null)?.data_offsets;
    if (Array.isArray(offsets) && Number.isSafeInteger(offsets[1])) end = Math.max(end, offsets[1] as number);
  }
  return end;
}

/** A spinal weights file; its errors are prefixed with the path. */
export function readWeightsFile(path: string, options: ReadOptions = {}): Weights {
  const bytes = readBinaryFile(path);
  try {
    return readSafetensors(bytes, options);
  } catch (e) {
    if (e instanceof WeightsError) throw new WeightsError(`'${path}': ${e.message}`, e.problems);
    throw e;
  }
}

/**
 * Writes `path` whole or not at all: a temporary file beside it, flushed, then renamed over it.
 * Only a regular file is replaced: a symbolic link, a device (`/dev/null`), a named pipe or a
 * socket at `path` is refused, since the rename would put a file in its place (and a link is
 * not followed, so that no link can send the write somewhere else).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const folder = dirname(path);
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw new WeightsError(`cannot write '${path}': it is a directory`);
    if (st?.isSymbolicLink()) {
      throw new WeightsError(`cannot write '${path}': it is a symbolic link (to '${readlinkSync(path)}'); spinal replaces only regular files and does not follow links: write to the file it points to, or remove the link`);
    }
    if (st && !st.isFile()) throw new WeightsError(`cannot write '${path}': it is ${kindOf(st)}; spinal replaces only regular files`);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new WeightsError(`cannot write '${path}': the folder '${folder}' does not exist`);
  } catch (e) {
    if (e instanceof WeightsError) throw e;
    throw new WeightsError(`cannot write '${path}': ${describe(e, path)}`);
  }
  const stem = Buffer.byteLength(basename(path)) <= 200 ? basename(path) : 'spinal';
  const temporary = join(folder, `.${stem}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx');
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, WRITE_CHUNK));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (e) {
    try { unlinkSync(temporary); } catch { /* it was never created, or is gone already */ }
    throw new WeightsError(`cannot write '${path}': ${describe(e, path)}`);
  }
}

/** One write call takes at most 2 GiB - 1 bytes in Node; files are written in pieces of 1 GiB. */
const WRITE_CHUNK = 2 ** 30;

function kindOf(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function describe(e: unknown, path: string): string {
  const code = errnoCode(e);
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return fsProblem(e, path);
}
