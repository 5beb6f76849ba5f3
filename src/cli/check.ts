// `spinal check FILE...`: exit 0 when every file is valid, 1 with diagnostics on stderr.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { compileFiles } from './load.js';
import { checkOptionsFrom, withCompileFlags, type CompileFlags } from './options.js';

export function registerCheck(program: Command, io: Io): void {
  withCompileFlags(program
    .command('check')
    .description('check .spinal files and report every error with its location')
    .argument('<files...>', '.spinal files'))
    .action((files: string[], options: CompileFlags) => {
      const compiled = compileFiles(files, io, checkOptionsFrom(options));
      const n = compiled.reduce((a, f) => a + f.models.length, 0);
      io.err(`${files.length} file${files.length === 1 ? '' : 's'} ok, ${n} model${n === 1 ? '' : 's'}\n`);
    });
}
