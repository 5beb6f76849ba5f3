// `spinal graph`'s work: the picture of one model in the chosen language, to stdout or a file.
import type { Io } from '../io.js';
import type { GraphOptions } from '../graph.js';
import { UsageError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom, rewrites } from '../options.js';
import { optimize } from '../../passes/optimize.js';
import { picture } from '../../picture/picture.js';
import { toDot } from '../../picture/dot.js';
import { toMermaid } from '../../picture/mermaid.js';
import { checkPictureDestination, isPng, writePicture } from '../picture-file.js';

export async function graph(file: string, options: GraphOptions, io: Io): Promise<void> {
  const out = options.out ?? '-';
  checkPictureDestination('--out', out);
  if (isPng(out) && options.format !== 'svg') throw new UsageError(`--out ${out}: a PNG is drawn from the SVG; drop --format ${options.format}`);
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const p = picture(optimize(model.graph, { passes: rewrites(options.passes) }));
  const text = options.format === 'mermaid' ? toMermaid(p) : options.format === 'dot' ? toDot(p) : await (await import('../../picture/svg.js')).dotToSvg(toDot(p));
  await writePicture(out, text, io);
}
