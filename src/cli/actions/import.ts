// `spinal import`'s work: a PyTorch state_dict (a .pt/.pth checkpoint or safetensors) mapped to
// canonical names, checked against the model, written atomically; or, with --dry-run, the
// mapping printed as a table and checked, with nothing written.
import type { Io } from '../io.js';
import type { ImportOptions } from '../import.js';
import { UsageError, UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { summary } from './init.js';
import { tensorSpecs } from '../../ir/tensors.js';
import { readCapped, TooLargeError } from '../../fs/read.js';
import { WeightsError, formatShape, label } from '../../tensor/errors.js';
import { writeFileAtomic } from '../../weights/files.js';
import { candidateProblems, loadTorchImport, openTorchSource, placeBlocks, rowLayoutProblem, setAsideTied, type TorchSource } from '../../weights/torch-import.js';
import { mapTorchNames, parseNameMap, type NameMap, type TorchNameMap } from '../../weights/torch-names.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkWeights } from '../../weights/validate.js';
import { checkBatchnorms } from '../../ir/materialize.js';
import { writeSafetensors } from '../../weights/safetensors.js';

/** Names listed in a warning before "and N more". */
const MAX_LISTED = 20;
/** The largest name map read. */
const MAX_MAP_BYTES = 4 << 20;

export async function importWeights(file: string, options: ImportOptions, io: Io): Promise<void> {
  if (!options.dryRun && options.out === undefined) throw new UsageError("required option '--out <path>' not specified (or give --dry-run)");
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const specs = tensorSpecs(model.graph);
  const path = options.fromTorch;
  const map = options.map === undefined ? undefined : readNameMap(options.map);
  const source = await asUserError(path, () => openTorchSource(path, { key: options.key }));
  try {
    const names = await asUserError(path, async () => setAsideTied(placeBlocks(mapTorchNames(source.tensors, { prefix: options.prefix, map }), specs, source.tensors), model.spec));
    if (options.dryRun) io.out(mappingTable(path, source, names));
    const layout = rowLayoutProblem(names.family, model.spec, names.blocks);
    if (layout) throw new UserError(`'${path}': ${layout}`);
    const candidates = candidateProblems(specs, names, source.tensors);
    if (candidates.length > 0) {
      throw new UserError(`'${path}': ${candidates.length} tensor${candidates.length === 1 ? '' : 's'} of model '${model.spec.name}' could come from several or unnamed source tensors; name them with --map FILE.json:\n${candidates.map((c) => `  ${c}`).join('\n')}`);
    }
    reportUnmapped(names, path, io, options.strict ?? false);
    if (options.dryRun) {
      await asUserError(path, async () => checkWeights(shapesOnly(names, source), specs, model.spec.name));
      io.err(`'${path}' fits model '${model.spec.name}'; nothing written (--dry-run)\n`);
      return;
    }
    const imported = await asUserError(path, () => loadTorchImport(source, names, { allowNonFinite: options.allowNonFinite }));
    await asUserError(path, async () => {
      checkWeights(imported.weights, specs, model.spec.name);
      checkBatchnorms(model.graph, imported.weights);
    });
    const out = options.out!;
    await asUserError(undefined, async () => writeFileAtomic(out, writeSafetensors(imported.weights, { model: model.spec.name }, options)));
    const notes = [
      ...(source.key !== undefined ? [`state_dict under key '${source.key}'`] : []),
      imported.prefix ? `prefix '${imported.prefix}'` : 'no prefix',
      ...(imported.mapped.size ? [`${imported.mapped.size} named by --map`] : []),
      ...conversions(imported.converted),
      ...ignoredNotes(imported.ignored),
      ...(imported.tied?.length ? [`${imported.tied.length} of tied sub-layers not imported (the model uses their owners' Linear)`] : []),
    ];
    io.err(`wrote '${out}': ${summary(imported.weights)} of model '${model.spec.name}' from '${path}' (${notes.join(', ')})\n`);
  } finally {
    source.close();
  }
}

function readNameMap(path: string): NameMap {
  let bytes: Uint8Array;
  try {
    bytes = readCapped(path, MAX_MAP_BYTES);
  } catch (e) {
    if (e instanceof TooLargeError) throw new UserError(`cannot read '${path}': a name map is at most ${MAX_MAP_BYTES} bytes`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read '${path}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return parseNameMap(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    if (e instanceof WeightsError) throw new UserError(`'${path}': ${e.message}`);
    if (e instanceof TypeError) throw new UserError(`'${path}': not valid UTF-8`);
    throw e;
  }
}

/** For --dry-run: the mapped tensors' shapes, with zeros, so the model's check needs no data. */
function shapesOnly(names: TorchNameMap, source: TorchSource): Map<string, Tensor> {
  const weights = new Map<string, Tensor>();
  for (const t of source.tensors) {
    const canonical = names.mapping.get(t.name);
    if (canonical !== undefined) weights.set(canonical, { shape: t.shape, data: new Float32Array(t.shape.reduce((a, d) => a * d, 1)) });
  }
  return weights;
}

/** One row a source tensor: name, shape, dtype, and the canonical name or what became of it. */
export function mappingTable(path: string, source: TorchSource, names: TorchNameMap): string {
  const ignored = new Set(names.ignored);
  const tied = new Set(names.tied ?? []);
  const rows = source.tensors.map((t) => [
    plain(t.name),
    formatShape(t.shape),
    t.dtype,
    names.mapping.get(t.name) ?? (ignored.has(t.name) ? '(ignored)' : tied.has(t.name) ? '(tied sub-layer: not imported)' : '(unmapped)'),
    names.mapped.has(t.name) ? '--map' : '',
  ]);
  const header = ['source tensor', 'shape', 'dtype', 'spinal name', 'by'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const what = [
    source.format === 'torch' ? 'torch.save checkpoint' : 'safetensors file',
    ...(source.key !== undefined ? [`state_dict under key '${plain(source.key)}'`] : []),
    names.family ? `official names ${names.family.names} (${names.family.scripts})` : 'no official naming scheme',
    names.prefix ? `prefix '${plain(names.prefix)}'` : 'no prefix',
  ];
  return [`${label(path)}: ${what.join('; ')}`, line(header), ...rows.map(line), ''].join('\n');
}

/** A name from a file, its control characters escaped, without the quotes `label` adds. */
function plain(name: string): string {
  return label(name).slice(1, -1);
}

function reportUnmapped(names: TorchNameMap, source: string, io: Io, strict: boolean): void {
  const unmapped = names.unmapped;
  if (unmapped.length === 0) return;
  const shown = unmapped.slice(0, MAX_LISTED).map((n) => `  ${label(n)}\n`).join('');
  const more = unmapped.length > MAX_LISTED ? `  and ${unmapped.length - MAX_LISTED} more\n` : '';
  const text = `${unmapped.length} tensor${unmapped.length === 1 ? '' : 's'} of '${source}' map${unmapped.length === 1 ? 's' : ''} to no canonical name:\n${shown}${more}`;
  if (strict) throw new UserError(`${text.trimEnd()}\n(remove --strict to skip them)`);
  io.err(`warning: ${text}`);
}

function ignoredNotes(ignored: readonly string[]): string[] {
  const counters = ignored.filter((n) => n.endsWith('.num_batches_tracked')).length;
  const skipped = ignored.length - counters;
  return [...(counters ? [`${counters} num_batches_tracked ignored`] : []), ...(skipped ? [`${skipped} skipped by --map`] : [])];
}

function conversions(converted: ReadonlyMap<string, string>): string[] {
  const byDtype = new Map<string, number>();
  for (const dtype of converted.values()) byDtype.set(dtype, (byDtype.get(dtype) ?? 0) + 1);
  return [...byDtype].sort().map(([dtype, n]) => `${n} tensor${n === 1 ? '' : 's'} converted from ${dtype} to F32`);
}

/** Runs `work`, turning a WeightsError into a user error (exit 1) about `path`. */
async function asUserError<T>(path: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof WeightsError)) throw e;
    const located = path === undefined || e.message.startsWith(`cannot read '${path}'`) ? e.message : `'${path}': ${e.message}`;
    throw new UserError(located);
  }
}

