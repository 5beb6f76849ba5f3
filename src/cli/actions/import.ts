// `spinal import`'s work: a PyTorch state_dict mapped to canonical names, checked, written atomically.
import type { Io } from '../io.js';
import type { ImportOptions } from '../import.js';
import { UserError } from '../errors.js';
import { compileFiles, pickModel } from '../load.js';
import { checkOptionsFrom } from '../options.js';
import { summary } from './init.js';
import { tensorSpecs } from '../../ir/tensors.js';
import { WeightsError, label } from '../../weights/errors.js';
import { readBinaryFile, writeFileAtomic } from '../../weights/files.js';
import { importTorchWeights, type TorchImport } from '../../weights/torch-import.js';
import { checkWeights } from '../../weights/validate.js';
import { writeSafetensors } from '../../weights/safetensors.js';

/** Names listed in a warning before "and N more". */
const MAX_LISTED = 20;

export function importWeights(file: string, options: ImportOptions, io: Io): void {
  const [compiled] = compileFiles([file], io, checkOptionsFrom(options));
  const model = pickModel(compiled, options.model);
  const source = options.fromTorch;
  const imported = asUserError(source, () =>
    importTorchWeights(readBinaryFile(source), { prefix: options.prefix, allowNonFinite: options.allowNonFinite }));
  reportUnmapped(imported, source, io, options.strict ?? false);
  asUserError(source, () => checkWeights(imported.weights, tensorSpecs(model.graph), model.spec.name));
  asUserError(undefined, () => writeFileAtomic(options.out, writeSafetensors(imported.weights, { model: model.spec.name }, options)));
  const notes = [
    imported.prefix ? `prefix '${imported.prefix}'` : 'no prefix',
    ...conversions(imported),
    ...(imported.ignored.length ? [`${imported.ignored.length} num_batches_tracked ignored`] : []),
  ];
  io.err(`wrote '${options.out}': ${summary(imported.weights)} of model '${model.spec.name}' from '${source}' (${notes.join(', ')})\n`);
}

function reportUnmapped(imported: TorchImport, source: string, io: Io, strict: boolean): void {
  const names = imported.unmapped;
  if (names.length === 0) return;
  const shown = names.slice(0, MAX_LISTED).map((n) => `  ${label(n)}\n`).join('');
  const more = names.length > MAX_LISTED ? `  and ${names.length - MAX_LISTED} more\n` : '';
  const text = `${names.length} tensor${names.length === 1 ? '' : 's'} of '${source}' map${names.length === 1 ? 's' : ''} to no canonical name:\n${shown}${more}`;
  if (strict) throw new UserError(`${text.trimEnd()}\n(remove --strict to skip them)`);
  io.err(`warning: ${text}`);
}

function conversions(imported: TorchImport): string[] {
  const byDtype = new Map<string, number>();
  for (const dtype of imported.converted.values()) byDtype.set(dtype, (byDtype.get(dtype) ?? 0) + 1);
  return [...byDtype].sort().map(([dtype, n]) => `${n} tensor${n === 1 ? '' : 's'} converted from ${dtype} to F32`);
}

/** Runs `work`, turning a WeightsError into a user error (exit 1) about `path`. */
function asUserError<T>(path: string | undefined, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof WeightsError)) throw e;
    const located = path === undefined || e.message.startsWith(`cannot read '${path}'`) ? e.message : `'${path}': ${e.message}`;
    throw new UserError(located);
  }
}
