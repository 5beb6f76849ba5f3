// `spinal ir FILE...`: the typed graph of every model, as text or JSON.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { parsePasses, withCompileFlags, type CompileFlags } from './options.js';
import { PASS_ORDER } from '../passes/names.js';

export interface IrOptions extends CompileFlags {
  readonly json?: boolean;
  readonly passes: ReturnType<typeof parsePasses>;
}

export function registerIr(program: Command, io: Io): void {
  withCompileFlags(program
    .command('ir')
    .description('print the intermediate representation (typed graph) of every model')
    .argument('<files...>', '.spinal files')
    .option('--json', 'print JSON'))
    .option('--passes <list>', `'all' (every rewrite), 'none', or a comma-separated list of ${PASS_ORDER.join(', ')} and plan-memory (prints each model's memory plan)`, parsePasses, parsePasses('all'))
    .action(async (files: string[], options: IrOptions) => (await import('./actions/ir.js')).ir(files, options, io));
}
