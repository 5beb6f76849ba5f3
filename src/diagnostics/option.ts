// How a library message names an option of its API: the option's name in backticks (`map`,
// `lr` 0.01), in one form that every caller can recognize. The command line says it in its own
// terms, as a flag (src/cli/flags.ts); library messages never name a flag.

/** An option of the API, as a message names it. */
export function option(name: string): string {
  return `\`${name}\``;
}
