// What a trained weights file says about itself in its safetensors `__metadata__` (strings only):
// enough to know how it was made and to reproduce it.
import type { TrainJob, TrainResult } from './job.js';
import { VERSION } from '../package-root.js';

export function trainingMetadata(job: TrainJob, result: TrainResult): Record<string, string> {
  const s = job.settings;
  const number = (n: number | null) => (n === null ? 'none' : String(n));
  return {
    model: result.model,
    spinal_version: VERSION,
    settings: JSON.stringify({ ...job.set }),
    training: JSON.stringify({
      epochs: s.epochs, batch: s.batch, optimizer: s.optimizer, lr: s.lr, momentum: s.momentum,
      weight_decay: s.weightDecay, loss: s.loss, backend: s.backend, init: job.init ?? 'seeded',
    }),
    seed: result.seed,
    epochs: String(result.epochs.length),
    data: job.data.data,
    data_sha256: result.dataHash,
    train_loss: number(result.final.trainLoss),
    train_accuracy: number(result.final.trainAccuracy),
    val_loss: number(result.final.valLoss),
    val_accuracy: number(result.final.valAccuracy),
  };
}
