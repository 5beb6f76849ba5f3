// `spinal graph`'s work: the picture of one model in the chosen language, to stdout or a file.
import type { Io } from '../io.js';
import type { GraphOptions } from '../graph.js';
import { UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom, rewrites } from '../options.js';
import { optimize } from '../../passes/optimize.js';
import { picture } from '../../graph/picture.js';
import { toDot } from '../../graph/dot.js';
import { toMermaid } from '../../graph/mermaid.js';
import { writeFileAtomic } from '../../weights/files.js';
import { WeightsError } from '../../weights/errors.js';

export async function graph(file: string, options: GraphOptions, io: Io): Promise<void> {
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const p = picture(optimize(model.graph, { passes: rewrites(options.passes) }));
  const text = options.format === 'mermaid' ? toMermaid(p) : options.format === 'dot' ? toDot(p) : await (await import('../../graph/svg.js')).dotToSvg(toDot(p));
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
}
