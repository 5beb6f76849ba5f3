// A dataset in memory, ready for training: float32 features, and class indices or float32
// regression targets, both row-major. A model with several inputs has its samples packed: a row
// holds each input's features side by side, in the model's order of inputs, as the interpreter
// and training read one batch.
import { datasetHash } from './hash.js';

/** One input of a model: its name and features per sample. */
export interface DataInput {
  readonly name: string;
  readonly size: number;
}

/** The name of a model's single unnamed input (check/spec.ts UNNAMED_INPUT). */
const SINGLE_INPUT = 'input';

export interface Dataset {
  /** What the user named: 'mnist', 'mnist:test', or a path ('x.npy + y.npy' for separate labels). */
  readonly source: string;
  /** Samples. */
  readonly n: number;
  /** Features per sample, over all inputs. */
  readonly features: number;
  /** The inputs a row holds side by side, in order; their sizes add up to `features`. */
  readonly inputs: readonly DataInput[];
  /** Row-major [n, features]. */
  readonly x: Float32Array;
  /** Classification: class indices [n]. Regression: row-major targets [n, targets]. */
  readonly y: Int32Array | Float32Array;
  /** SHA-256 (hex) of the numbers, whatever format they came from (see hash.ts). */
  readonly hash: string;
}

export type Task = { readonly kind: 'classification'; readonly classes: number } | { readonly kind: 'regression'; readonly targets: number };

/** What the model reads and predicts; `model` names it in messages. */
export interface Expectation {
  /** Features per sample, over all inputs. */
  readonly features: number;
  /** The model's inputs in order (a graph's `inputs`); absent: one input of `features`. */
  readonly inputs?: readonly DataInput[];
  readonly task: Task;
  readonly model?: string;
}

/** The inputs a model expects: its own list, or its one input. */
export function expectedInputs(expect: Pick<Expectation, 'features' | 'inputs'>): readonly DataInput[] {
  return expect.inputs ?? [{ name: SINGLE_INPUT, size: expect.features }];
}

export function makeDataset(source: string, features: number, x: Float32Array, y: Int32Array | Float32Array, inputs?: readonly DataInput[]): Dataset {
  const n = features === 0 ? 0 : x.length / features;
  const layout = inputs ?? [{ name: SINGLE_INPUT, size: features }];
  return { source, n, features, inputs: layout, x, y, hash: datasetHash(n, features, x, y, layout) };
}

/** The samples at `indices`, in that order (repeats allowed); its hash is of its own numbers. */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const x = new Float32Array(indices.length * ds.features);
  const width = ds.y.length / Math.max(ds.n, 1);
  const y = ds.y instanceof Int32Array ? new Int32Array(indices.length * width) : new Float32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i];
    if (!Number.isInteger(row) || row < 0 || row >= ds.n) {
      throw new RangeError(`subset of ${ds.source}: index ${row} at position ${i} is not a sample (0 to ${ds.n - 1})`);
    }
    x.set(ds.x.subarray(row * ds.features, (row + 1) * ds.features), i * ds.features);
    y.set(ds.y.subarray(row * width, (row + 1) * width), i * width);
  }
  return makeDataset(ds.source, ds.features, x, y, ds.inputs);
}
