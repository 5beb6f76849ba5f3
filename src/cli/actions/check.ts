// `spinal check`'s work: compile every file, print every diagnostic, count the models.
import type { Io } from '../io.js';
import { compileFiles } from '../load.js';
import { checkOptionsFrom, type CompileFlags } from '../options.js';

export function check(files: readonly string[], options: CompileFlags, io: Io): void {
  const compiled = compileFiles(files, io, checkOptionsFrom(options));
  const n = compiled.reduce((a, f) => a + f.models.length, 0);
  io.err(`${files.length} file${files.length === 1 ? '' : 's'} ok, ${n} model${n === 1 ? '' : 's'}\n`);
}
