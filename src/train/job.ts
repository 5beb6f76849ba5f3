// One training run as a self-contained, serializable job: what `spinal train` runs once and a
// training sweep runs per (model or grid point, seed), in this process or in a worker.
import type { SourceFile } from '../diagnostics/diagnostic.js';

export type Optimizer = 'adam' | 'sgd';
export type Loss = 'cross-entropy' | 'mse';
export type Backend = 'wasm' | 'cpu';

export interface TrainSettings {
  readonly epochs: number;
  readonly batch: number;
  readonly optimizer: Optimizer;
  /** Default 1e-3 for adam, 1e-2 for sgd. */
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly seed: bigint;
  readonly loss: Loss;
  readonly backend: Backend;
}

/** Where the data come from, as the user named them (`mnist`, a .npy/.csv/.safetensors path). */
export interface DataRequest {
  readonly data: string;
  readonly labels?: string;
  readonly labelColumn?: string;
}

/** Validation: a separate set, a fraction held out of the training data, or none (fraction 0). */
export type ValidationRequest = { readonly kind: 'data'; readonly data: DataRequest } | { readonly kind: 'split'; readonly fraction: number };

export interface TrainJob {
  readonly sources: readonly SourceFile[];
  readonly model: string;
  /** Parameter overrides (`--set`, a sweep's grid point). */
  readonly set?: Readonly<Record<string, number>>;
  readonly data: DataRequest;
  readonly validation: ValidationRequest;
  readonly settings: TrainSettings;
  /** A weights file to start from; without it, the seeded initialization of `spinal init`. */
  readonly init?: string;
}

export interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number | null;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

export interface TrainResult {
  readonly model: string;
  readonly seed: string;
  readonly epochs: readonly EpochMetrics[];
  /** The last epoch's metrics. */
  readonly final: EpochMetrics;
  /** SHA-256 (hex) of the training data as read. */
  readonly dataHash: string;
  readonly stopped: boolean;
}
