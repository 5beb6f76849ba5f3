// `spinal import FILE --from-torch IN --out OUT`: a state_dict of the paper's official PyTorch
// code (saved with safetensors.torch.save_file) to a spinal weights file with canonical names.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';

export interface ImportOptions extends CompileFlags {
  readonly model?: string;
  readonly fromTorch: string;
  readonly out: string;
  readonly prefix?: string;
  readonly strict?: boolean;
  readonly allowNonFinite?: boolean;
}

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
    .action(async (file: string, options: ImportOptions) => (await import('./actions/import.js')).importWeights(file, options, io));
}
