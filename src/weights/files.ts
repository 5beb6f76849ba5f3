// Weights files on disk. Reading reports an unreadable file as a WeightsError naming it;
// writing goes to a temporary file in the same folder, then a rename, so a reader (or a crash)
// never sees a half-written file, and a failed write leaves the old file as it was.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WeightsError } from './errors.js';
import { readSafetensors, type ReadOptions } from './safetensors.js';
import type { Weights } from './tensor.js';

export function readBinaryFile(path: string): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw new WeightsError(`cannot read '${path}': it is a directory`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof WeightsError) throw e;
    throw new WeightsError(`cannot read '${path}': ${describe(e)}`);
  }
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

export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const folder = dirname(path);
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new WeightsError(`cannot write '${path}': it is a directory`);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new WeightsError(`cannot write '${path}': the folder '${folder}' does not exist`);
  } catch (e) {
    if (e instanceof WeightsError) throw e;
    throw new WeightsError(`cannot write '${path}': ${describe(e)}`);
  }
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx');
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (e) {
    try { unlinkSync(temporary); } catch { /* it was never created, or is gone already */ }
    throw new WeightsError(`cannot write '${path}': ${describe(e)}`);
  }
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e as Error).message;
}
