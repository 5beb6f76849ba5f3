// `spinal lsp`: the language server, over standard input and output.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { LSP_PACKAGES, requirePackages } from '../optional-packages.js';

export function registerLsp(program: Command, io: Io): void {
  program
    .command('lsp')
    .description('run the language server over stdio (diagnostics, hover, completion, rename, formatting, code lenses) for editors')
    .option('--stdio', 'talk over standard input and output (the only transport, and the default)')
    .action(async () => {
      requirePackages('lsp', LSP_PACKAGES);
      return (await import('./actions/lsp.js')).lsp(io);
    });
}
