// The one error a weights file or a weights map can raise: the file is malformed, or the
// tensors do not fit the model. The CLI turns it into a user error (exit 1).

export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  /** Every problem found, one line each; `message` summarizes them. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}

const MAX_LABEL_CHARS = 120;

/**
 * A tensor name from a file, quoted for a message. Names come from files we do not trust, so
 * control characters are escaped (no terminal escape sequences, no line breaks) and very long
 * names are cut.
 */
export function label(name: string): string {
  const cut = name.length > MAX_LABEL_CHARS ? `${name.slice(0, MAX_LABEL_CHARS)}...` : name;
  const escaped = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029']/g, (c) =>
    c === "'" ? "\\'" : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `'${escaped}'`;
}

/** A shape as people write it: `[8, 168]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
