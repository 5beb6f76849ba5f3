// Fills the catalogue's templates: the one way a diagnostic's message and hint are written.
// A template holds `{name}` placeholders, filled from the arguments, and `{n|one|other}` plurals
// (`one` when the argument n is 1). Any other brace, as in `model name { ... }`, is text.
import { CATALOGUE, PHRASES, severityOf, type Code, type Templates } from './catalogue.js';
import type { Diagnostic } from './diagnostic.js';

export type Args = Readonly<Record<string, string | number | bigint>>;

type Entry<C extends Code> = (typeof CATALOGUE)[C];
type Names<T> = T extends string ? never : Extract<keyof T, string>;
/** The named message variants of a code (none when it has one message). */
export type MessageName<C extends Code> = Names<Entry<C>['message']>;
/** The named hint variants of a code. */
export type HintName<C extends Code> = Entry<C> extends { readonly hint: infer H } ? Names<H> : never;
/** The named parts of a code. */
export type PartName<C extends Code> = Entry<C> extends { readonly parts: infer P } ? Extract<keyof P, string> : never;

/**
 * Which of a code's templates: `message` is required when the code has named messages; `hint`
 * names a hint variant, and defaults to the one named like the message (or to the code's one hint).
 */
export interface Choice<C extends Code> {
  readonly message?: MessageName<C>;
  readonly hint?: HintName<C>;
}

export interface Wording {
  readonly message: string;
  readonly hint?: string;
}

const PLACEHOLDER = /\{(\w+)(?:\|([^{}|]*)\|([^{}|]*))?\}/g;

/** The names a template's placeholders read. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** A template with its placeholders filled; throws on a placeholder without an argument. */
export function fill(template: string, args: Args): string {
  return template.replace(PLACEHOLDER, (_, name: string, one: string | undefined, other: string | undefined) => {
    if (!Object.hasOwn(args, name)) throw new Error(`no argument '${name}' for the template "${template}"`);
    const value = args[name];
    if (one !== undefined) return Number(value) === 1 ? one : other!;
    return String(value);
  });
}

function pick(templates: Templates, variant: string | undefined, what: string): string {
  if (typeof templates === 'string') return templates;
  if (variant === undefined || !Object.hasOwn(templates, variant)) throw new Error(`${what}: no variant '${variant}'`);
  return templates[variant];
}

/** A code's message and hint with the arguments filled in. */
export function wording<C extends Code>(code: C, args: Args = {}, choice: Choice<C> = {}): Wording {
  const entry: { message: Templates; hint?: Templates } = CATALOGUE[code];
  const message = fill(pick(entry.message, choice.message, `${code} message`), args);
  const hints = entry.hint;
  if (hints === undefined) {
    if (choice.hint !== undefined) throw new Error(`${code} has no hint`);
    return { message };
  }
  let hint: string | undefined;
  if (typeof hints === 'string') hint = hints;
  else if (choice.hint !== undefined) hint = pick(hints, choice.hint, `${code} hint`);
  else if (choice.message !== undefined && Object.hasOwn(hints, choice.message)) hint = hints[choice.message];
  return hint === undefined ? { message } : { message, hint: fill(hint, args) };
}

/** One of a code's parts, filled. */
export function part<C extends Code>(code: C, name: PartName<C>, args: Args = {}): string {
  const parts: { readonly [part: string]: string } | undefined = (CATALOGUE[code] as { parts?: Record<string, string> }).parts;
  if (!parts || !Object.hasOwn(parts, name)) throw new Error(`${code} has no part '${name}'`);
  return fill(parts[name], args);
}

/** One of a code's named hints, filled: for a diagnostic whose message was worded elsewhere. */
export function hint<C extends Code>(code: C, name: HintName<C>, args: Args = {}): string {
  const hints: Templates | undefined = (CATALOGUE[code] as { hint?: Templates }).hint;
  if (hints === undefined) throw new Error(`${code} has no hint`);
  return fill(pick(hints, name, `${code} hint`), args);
}

/** A phrase shared by several codes, filled. */
export function phrase(name: keyof typeof PHRASES, args: Args = {}): string {
  return fill(PHRASES[name], args);
}

/** A diagnostic of a code at a range, worded by the catalogue, with the code's severity. */
export function diagnostic<C extends Code>(code: C, range: Diagnostic['range'], args: Args = {}, choice: Choice<C> = {}): Diagnostic {
  const { message, hint } = wording(code, args, choice);
  return { code, severity: severityOf(code), range, message, ...(hint !== undefined ? { hint } : {}) };
}
