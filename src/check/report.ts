// The checker's diagnostics as they are found: each worded by the catalogue, each reported once.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Code, WarningCode } from '../diagnostics/catalogue.js';
import { diagnostic, type Args, type Choice } from '../diagnostics/wording.js';

type Range = Diagnostic['range'];
export type ErrorCode = Exclude<Code, WarningCode>;

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  /** Errors found so far, repeats included: a variant re-finds the errors of its base's body. */
  private found = 0;

  error<C extends ErrorCode>(code: C, range: Range, args: Args = {}, choice: Choice<C> = {}): void {
    this.found++;
    this.add(diagnostic(code, range, args, choice));
  }

  /** A lint warning: reported once, and it keeps the model (it does not count as an error). */
  warning<C extends WarningCode>(code: C, range: Range, args: Args = {}, choice: Choice<C> = {}): void {
    this.add(diagnostic(code, range, args, choice));
  }

  get count(): number {
    return this.found;
  }

  private add(d: Diagnostic): void {
    const key = `${d.code}@${d.range.start.offset}-${d.range.end.offset}:${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(d);
  }
}
