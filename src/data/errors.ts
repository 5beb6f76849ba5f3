// The one error reading a dataset can raise. Its message always names the file (or the
// built-in set) and, where it applies, the tensor, row, column or line. The CLI turns it into
// a user error (exit 1).
import { label } from '../tensor/errors.js';

export class DataError extends Error {
  override readonly name = 'DataError';
}

/** A path or a name from a file, quoted for a message (control characters escaped). */
export const quote = label;
