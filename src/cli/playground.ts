// `spinal playground [--port N]`: the browser playground, served from this machine.
import { InvalidArgumentError, type Command } from 'commander';
import type { Io } from './io.js';

export interface PlaygroundOptions {
  readonly port: number;
  readonly host: string;
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got '${text}'`);
  return n;
}

export function registerPlayground(program: Command, io: Io): void {
  program
    .command('playground')
    .description('serve the playground (editor, live diagnostics, MAC table, network picture, generated code, runs in the page) on localhost')
    .option('--port <n>', 'the port to listen on (0: any free port)', port, 7878)
    .option('--host <address>', 'the address to listen on', '127.0.0.1')
    .addHelpText('after', '\nOpen the address it prints in a browser; Ctrl-C stops it. Nothing is fetched from the network.')
    .action(async (options: PlaygroundOptions) => (await import('./actions/playground.js')).playground(options, io));
}
