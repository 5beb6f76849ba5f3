// The one error a weights file or a weights map can raise: the file is malformed, or the
// tensors do not fit the model. The CLI turns it into a user error (exit 1). It sits beside the
// tensor types so that the interpreter (ir/) raises it without importing weights/.

export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  /** Every problem found, one line each; `message` summarizes them. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}

/**
 * A tensor name from a file, quoted for a message: names come from files we do not trust, so
 * control characters are escaped and very long names cut. The generated loaders' own rule.
 */
export { label } from '../runtime/safetensors-loader.js';

/** A shape as people write it: `[8, 168]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
