// `spinal graph FILE --format dot|svg|mermaid`: the network as a picture.
import { Option, type Command } from 'commander';
import type { Io } from './io.js';
import { UserError } from './errors.js';
import { compileFiles, pickModel } from './load.js';
import { checkOptionsFrom, withCompileFlags, type CompileFlags, parsePasses } from './options.js';
import { optimize } from '../passes/optimize.js';
import { picture } from '../graph/picture.js';
import { toDot } from '../graph/dot.js';
import { toMermaid } from '../graph/mermaid.js';
import { dotToSvg } from '../graph/svg.js';
import { writeFileAtomic } from '../weights/files.js';
import { WeightsError } from '../weights/errors.js';

type Format = 'dot' | 'svg' | 'mermaid';

interface GraphOptions extends CompileFlags {
  readonly model?: string;
  readonly format: Format;
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
    .option('--passes <list>', "'all' (as deployed), 'none' (as written), or a comma-separated list of passes", parsePasses, parsePasses('all'))
    .option('--out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExample:\n  spinal graph samples/three_rows.spinal --model three_rows --format svg --out three_rows.svg'))
    .action(async (file: string, options: GraphOptions) => {
      const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
      const model = pickModel(compiled, options.model);
      const p = picture(optimize(model.graph, { passes: options.passes }));
      const text = options.format === 'mermaid' ? toMermaid(p) : options.format === 'dot' ? toDot(p) : await dotToSvg(toDot(p));
      if (options.out === undefined) {
        io.out(text);
        return;
      }
      try {
        writeFileAtomic(options.out, new TextEncoder().encode(text));
      } catch (e) {
        throw e instanceof WeightsError ? new UserError(e.message) : e;
      }
      io.err(`wrote '${options.out}'\n`);
    });
}
