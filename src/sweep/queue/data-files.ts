// The data files of a distributed sweep. A job names each file by its absolute path and the
// SHA-256 of its bytes. With a shared file system the worker reads the same path and checks the
// hash; with --upload-data the sweep stores each file once in Redis under its hash (at most
// UPLOAD_CAP_BYTES in all) and a worker downloads it into its cache before taking jobs.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DataRequest, TrainJob } from '../../train/job.js';
import { readDataFile } from '../../data/files.js';
import { dataPaths, mapDataPaths } from '../../data/request.js';
import type { DataFile, FileSource } from './protocol.js';
import { option } from '../../diagnostics/option.js';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The job with every data path made absolute, as a worker with another working folder needs it. */
export function absoluteJob(job: TrainJob): TrainJob {
  const abs = (d: DataRequest): DataRequest => mapDataPaths(d, (path) => resolve(path));
  return { ...job, data: abs(job.data), validation: job.validation.kind === 'data' ? { kind: 'data', data: abs(job.validation.data) } : job.validation };
}

/** Every file a job reads (features, each input's, labels, validation), once each. */
export function jobPaths(job: TrainJob): string[] {
  return [...new Set([...dataPaths(job.data), ...(job.validation.kind === 'data' ? dataPaths(job.validation.data) : [])])];
}

/** Hashes each file as the sweep's machine reads it; a file it cannot read is a DataError naming it. */
export function describeFiles(paths: readonly string[], source: FileSource): DataFile[] {
  return paths.map((path) => {
    const bytes = readDataFile(path);
    return { path, sha256: sha256(bytes), bytes: bytes.length, source };
  });
}

/** Where a worker keeps a downloaded file: under its hash, with the original name (its extension picks the reader). */
export function cachedPath(cache: string, file: Pick<DataFile, 'path' | 'sha256'>): string {
  return join(cache, file.sha256, basename(file.path));
}

/** Writes `bytes` as the cached copy of `file`, after checking their hash; atomic, so a reader never sees half a file. */
export function storeCached(cache: string, file: DataFile, bytes: Uint8Array): string {
  const got = sha256(bytes);
  if (got !== file.sha256) throw new Error(`the uploaded copy of '${file.path}' has SHA-256 ${got}, not ${file.sha256}`);
  const path = cachedPath(cache, file);
  mkdirSync(join(cache, file.sha256), { recursive: true });
  const temporary = `${path}.${process.pid}.partial`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
  return path;
}

export function isCached(cache: string, file: DataFile): boolean {
  try {
    return statSync(cachedPath(cache, file)).size === file.bytes;
  } catch {
    return false;
  }
}

/** Why this worker cannot use `file`, or undefined when it finds the very bytes the sweep hashed. */
export function checkLocalFile(file: DataFile, local: string, worker: string): string | undefined {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(local);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return file.source === 'upload'
      ? `worker ${worker} has no copy of the uploaded '${basename(file.path)}' (${why}): it was not found in Redis; start the sweep again to upload it`
      : `worker ${worker} cannot read '${file.path}' (${why}): a worker reads the data at the same path (a shared file system), or start the sweep with ${option('upload')}`;
  }
  const got = sha256(bytes);
  if (got === file.sha256) return undefined;
  return `worker ${worker} reads other data at '${file.path}' (SHA-256 ${got.slice(0, 12)}..., the sweep's is ${file.sha256.slice(0, 12)}...): give the workers the same file, or start the sweep with ${option('upload')}`;
}
