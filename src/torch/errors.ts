// The error a PyTorch checkpoint can raise: malformed, hostile, or in a form spinal does not
// read. It is a WeightsError, so the command line reports it like any bad weights file (exit 1).
import { WeightsError } from '../tensor/errors.js';

export class TorchError extends WeightsError {}
