// `spinal import FILE --from-torch IN --out OUT`: a state_dict of the paper's official PyTorch
// code (saved with safetensors.torch.save_file) to a spinal weights file with canonical names.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { UserError } from './errors.js';
import { compileFiles, pickModel } from './load.js';
import { checkOptionsFrom, withCompileFlags, type CompileFlags } from './options.js';
import { summary } from './init.js';
import { tensorSpecs } from '../ir/tensors.js';
import { WeightsError, label } from '../weights/errors.js';
import { readBinaryFile, writeFileAtomic } from '../weights/files.js';
import { importTorchWeights, type TorchImport } from '../weights/torch-import.js';
import { checkWeights } from '../weights/validate.js';
import { writeSafetensors } from '../weights/safetensors.js';

interface ImportOptions extends CompileFlags {
  readonly model?: string;
  readonly fromTorch: string;
  readonly out: string;
  readonly prefix?: string;
  readonly strict?: boolean;
  readonly allowNonFinite?: boolean;
}

/** Names listed in a warning before "and N more". */
const MAX_LISTED = 20;

export function registerImport(program: Command, io: Io): void {
  withCompileFlags(program
    .command('import')
    .description("convert weights saved by the paper's official PyTorch code to a spinal weights file")
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model the weights are for (required when the file declares several)')
    .requiredOption('--from-torch <path>', 'state_dict saved with safetensors.torch.save_file')
    .requiredOption('--out <path>', 'the weights file to write (.safetensors); replaced atomically')
    .option('--prefix <prefix>', "the prefix of the head's tensor names, e.g. 'fc.' or 'classifier.' (detected when not given)")
    .option('--strict', 'fail when the file holds tensors that map to nothing')
    .option('--allow-non-finite', 'accept NaN and infinite values')
    .addHelpText('after', [
      '',
      'Names mapped: fc_spinal_layer{k}.{0|1}.weight|bias -> spinal1.sub{k}.weight|bias (the Linear),',
      'fc_spinal_layer{k}.{1|2}.weight|bias|running_mean|running_var -> spinal1.sub{k}.bn.* (the',
      'BatchNorm1d after it), fc_out.{0|1}.weight|bias -> output.weight|bias. num_batches_tracked is',
      'ignored; other tensors are listed as unmapped. F64, F16 and BF16 tensors are converted to F32.',
      '',
      'Example:',
      '  spinal import samples/mnist_vgg5.spinal --from-torch vgg5.safetensors --out w.safetensors',
    ].join('\n')))
    .action((file: string, options: ImportOptions) => {
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
    });
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
