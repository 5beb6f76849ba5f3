// `spinal graph FILE --format dot|svg|mermaid`: the network as a picture.
import { Option, type Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags, parsePasses } from './options.js';

export interface GraphOptions extends CompileFlags {
  readonly model?: string;
  readonly format: 'dot' | 'svg' | 'mermaid';
  readonly passes: ReturnType<typeof parsePasses>;
  readonly out?: string;
}

export function registerGraph(program: Command, io: Io): void {
  withCompileFlags(program
    .command('graph')
    .description('draw a model: rows, sub-layers, the gradual input and the output layer, with sizes and MACs on the edges')
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model to draw (required when the file declares several)')
    .addOption(new Option('--format <format>', 'dot (Graphviz), svg (rendered) or mermaid').choices(['dot', 'svg', 'mermaid']).default('svg'))
    .option('--passes <list>', "'all' (as deployed), 'none' (as written), or a comma-separated list of passes (plan-memory changes nothing drawn)", parsePasses, parsePasses('all'))
    .option('--out <file>', "write to a file instead of stdout ('-'); a .png name renders the SVG as PNG")
    .addHelpText('after', '\nExample:\n  spinal graph samples/three_rows.spinal --model three_rows --format svg --out three_rows.svg'))
    .action(async (file: string, options: GraphOptions) => (await import('./actions/graph.js')).graph(file, options, io));
}
