// What travels through Redis for a distributed sweep: the names of its keys, the job payload
// (one training run: the model source, settings, seed, the spinal version and the hashes of the
// data files) and its strict reading on the worker's side. Payloads are JSON: the seed is a
// decimal string.
import type { DataRequest, TrainJob, TrainSettings, ValidationRequest } from '../../train/job.js';
import type { SourceFile } from '../../diagnostics/diagnostic.js';
import { mapDataPaths } from '../../data/request.js';

/** Every key spinal writes starts with this (BullMQ's prefix too). */
export const PREFIX = 'spinal';
/** Sorted set of the sweeps not known to be finished, scored by their start time (ms). */
export const ACTIVE_SWEEPS = `${PREFIX}:sweeps`;
export const PAYLOAD_FORMAT = 1;
/** Uploaded data files larger than this in all are refused: share the files instead. */
export const UPLOAD_CAP_BYTES = 64 * 2 ** 20;
/** How long an uploaded file stays in Redis after the last sweep that uses it started. */
export const UPLOAD_TTL_SECONDS = 7 * 24 * 3600;

export const queueName = (sweep: string) => `sweep-${sweep}`;
export const sweepKey = (sweep: string) => `${PREFIX}:sweep:${sweep}`;
export const uploadKey = (sha256: string) => `${PREFIX}:data:${sha256}`;
export const runId = (index: number) => `run-${index}`;
export const SWEEP_ID = /^[a-z0-9]{4,32}$/;

/** Where a data file the job names is on the worker: at the same path, or uploaded under its hash. */
export type FileSource = 'path' | 'upload';

export interface DataFile {
  /** The path as the job names it (absolute on the sweep's machine). */
  readonly path: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly bytes: number;
  readonly source: FileSource;
}

/** What the sweep keeps in its hash (field `meta`), for workers and for `--resume`. */
export interface SweepMeta {
  readonly format: number;
  readonly spinal: string;
  readonly created: number;
  readonly total: number;
  /** SHA-256 of every payload in order: a resumed sweep must plan exactly these jobs. */
  readonly plan: string;
  readonly uploads: readonly DataFile[];
}

export interface QueuedRun {
  readonly format: number;
  readonly spinal: string;
  readonly sweep: string;
  readonly index: number;
  readonly label: string;
  readonly sources: readonly SourceFile[];
  readonly model: string;
  readonly set?: Readonly<Record<string, number>>;
  readonly data: DataRequest;
  readonly validation: ValidationRequest;
  readonly settings: Omit<TrainSettings, 'seed'> & { readonly seed: string };
  readonly files: readonly DataFile[];
}

export function encodeRun(sweep: string, index: number, label: string, job: TrainJob, files: readonly DataFile[], spinal: string): QueuedRun {
  if (job.init !== undefined) throw new Error('a queued run starts from seeded weights only');
  return {
    format: PAYLOAD_FORMAT,
    spinal,
    sweep,
    index,
    label,
    sources: job.sources.map((s) => ({ path: s.path, text: s.text })),
    model: job.model,
    ...(job.set ? { set: { ...job.set } } : {}),
    data: job.data,
    validation: job.validation,
    settings: { ...job.settings, seed: job.settings.seed.toString() },
    files,
  };
}

/** A payload that is not a queued run of this format. */
export class MalformedRunError extends Error {
  override readonly name = 'MalformedRunError';
}

/** Reads a payload field by field; anything unexpected is a MalformedRunError naming the field. */
export function decodeRun(value: unknown): QueuedRun {
  const o = record(value, 'the payload');
  if (o.format !== PAYLOAD_FORMAT) throw new MalformedRunError(`payload format ${JSON.stringify(o.format) ?? 'missing'}, expected ${PAYLOAD_FORMAT}`);
  const settings = record(o.settings, 'settings');
  const seed = string(settings.seed, 'settings.seed');
  if (!/^\d{1,20}$/.test(seed) || BigInt(seed) >= 2n ** 64n) throw new MalformedRunError('settings.seed is not a 64-bit unsigned integer');
  const run: QueuedRun = {
    format: PAYLOAD_FORMAT,
    spinal: string(o.spinal, 'spinal'),
    sweep: string(o.sweep, 'sweep'),
    index: integer(o.index, 'index'),
    label: string(o.label, 'label'),
    sources: array(o.sources, 'sources').map((s, i) => {
      const f = record(s, `sources[${i}]`);
      return { path: string(f.path, `sources[${i}].path`), text: string(f.text, `sources[${i}].text`) };
    }),
    model: string(o.model, 'model'),
    ...(o.set === undefined ? {} : { set: numbers(o.set, 'set') }),
    data: dataRequest(o.data, 'data'),
    validation: validation(o.validation),
    settings: {
      epochs: integer(settings.epochs, 'settings.epochs', 1),
      batch: integer(settings.batch, 'settings.batch', 1),
      optimizer: choice(settings.optimizer, 'settings.optimizer', ['adam', 'sgd'] as const),
      lr: finite(settings.lr, 'settings.lr'),
      momentum: finite(settings.momentum, 'settings.momentum'),
      weightDecay: finite(settings.weightDecay, 'settings.weightDecay'),
      seed,
      loss: choice(settings.loss, 'settings.loss', ['cross-entropy', 'mse'] as const),
      backend: choice(settings.backend, 'settings.backend', ['wasm', 'cpu'] as const),
    },
    files: array(o.files, 'files').map((v, i) => {
      const f = record(v, `files[${i}]`);
      const sha256 = string(f.sha256, `files[${i}].sha256`);
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new MalformedRunError(`files[${i}].sha256 is not a SHA-256 in hex`);
      return { path: string(f.path, `files[${i}].path`), sha256, bytes: integer(f.bytes, `files[${i}].bytes`), source: choice(f.source, `files[${i}].source`, ['path', 'upload'] as const) };
    }),
  };
  if (!SWEEP_ID.test(run.sweep)) throw new MalformedRunError('sweep is not a sweep id');
  if (run.sources.length === 0) throw new MalformedRunError('sources is empty');
  return run;
}

/** The TrainJob a queued run stands for, with its data files found at `local(path)`. */
export function trainJobOf(run: QueuedRun, local: (path: string) => string = (p) => p): TrainJob {
  const data = (d: DataRequest): DataRequest => mapDataPaths(d, local);
  return {
    sources: run.sources,
    model: run.model,
    ...(run.set ? { set: run.set } : {}),
    data: data(run.data),
    validation: run.validation.kind === 'data' ? { kind: 'data', data: data(run.validation.data) } : run.validation,
    settings: { ...run.settings, seed: BigInt(run.settings.seed) },
  };
}

function dataRequest(value: unknown, what: string): DataRequest {
  const d = record(value, what);
  return {
    data: string(d.data, `${what}.data`),
    ...(d.labels === undefined ? {} : { labels: string(d.labels, `${what}.labels`) }),
    ...(d.labelColumn === undefined ? {} : { labelColumn: string(d.labelColumn, `${what}.labelColumn`) }),
  };
}

function validation(value: unknown): ValidationRequest {
  const v = record(value, 'validation');
  if (v.kind === 'data') return { kind: 'data', data: dataRequest(v.data, 'validation.data') };
  if (v.kind === 'split') {
    const fraction = finite(v.fraction, 'validation.fraction');
    if (fraction < 0 || fraction >= 1) throw new MalformedRunError('validation.fraction is outside [0, 1)');
    return { kind: 'split', fraction };
  }
  throw new MalformedRunError('validation.kind is neither data nor split');
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedRunError(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedRunError(`${what} is not an array`);
  return value;
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new MalformedRunError(`${what} is not a string`);
  return value;
}

function finite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MalformedRunError(`${what} is not a finite number`);
  return value;
}

function integer(value: unknown, what: string, min = 0): number {
  const n = finite(value, what);
  if (!Number.isSafeInteger(n) || n < min) throw new MalformedRunError(`${what} is not an integer of at least ${min}`);
  return n;
}

function numbers(value: unknown, what: string): Record<string, number> {
  const o = record(value, what);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, finite(v, `${what}.${k}`)]));
}

function choice<T extends string>(value: unknown, what: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) throw new MalformedRunError(`${what} is not one of ${options.join(', ')}`);
  return value as T;
}
