// `spinal import FILE --from-torch IN --out OUT`: a state_dict of the paper's official PyTorch
// code (a torch.save checkpoint, .pt or .pth, or safetensors) to a spinal weights file with
// canonical names.
import type { Command } from 'commander';
import type { Io } from './io.js';
import { withCompileFlags, type CompileFlags } from './options.js';

export interface ImportOptions extends CompileFlags {
  readonly model?: string;
  readonly fromTorch: string;
  readonly out?: string;
  readonly prefix?: string;
  readonly key?: string;
  readonly map?: string;
  readonly dryRun?: boolean;
  readonly strict?: boolean;
  readonly allowNonFinite?: boolean;
}

export function registerImport(program: Command, io: Io): void {
  withCompileFlags(program
    .command('import')
    .description("convert weights saved by the paper's official PyTorch code to a spinal weights file")
    .argument('<file>', '.spinal file')
    .option('--model <name>', 'the model the weights are for (required when the file declares several)')
    .requiredOption('--from-torch <path>', 'a torch.save checkpoint (.pt, .pth) or a safetensors file')
    .option('--out <path>', 'the weights file to write (.safetensors); replaced atomically (required unless --dry-run)')
    .option('--prefix <prefix>', "the prefix of the head's tensor names, e.g. 'fc.' or 'classifier.' (detected when not given)")
    .option('--key <name>', "the top-level key of a training checkpoint holding the state_dict, e.g. 'model' (found when only one holds one)")
    .option('--map <file.json>', 'names the official schemes do not cover: {"source name or /regex/": "spinal name" or null}')
    .option('--dry-run', 'print the mapping as a table and check it against the model; write nothing')
    .option('--strict', 'fail when the file holds tensors that map to nothing')
    .option('--allow-non-finite', 'accept NaN and infinite values')
    .addHelpText('after', [
      '',
      "Every naming scheme of the official code is recognised, under any prefix: fc_spinal_layer{k} +",
      'fc_out; fc1, fc1_1 .. fc1_N + fc2 (MNIST); fc1, fc1_1 .. + fc_layer (ResNet, interleaved rows);',
      'fc1 .. fcN + fcx (customizable); layer1 .. layerN + _out. Sub-layer k maps to spinal1.sub{k},',
      "the output module to output; in an nn.Sequential the Linear (2-D weight) and the BatchNorm1d",
      'right after it (running statistics) are found from the tensors. num_batches_tracked is ignored;',
      'other tensors are listed as unmapped. F64, F16 and BF16 tensors are converted to F32.',
      'A .pt file is read without running any of its code (docs/torch.md lists what it may hold).',
      '',
      'Examples:',
      '  spinal import samples/mnist_cnn.spinal --from-torch model.pt --dry-run',
      '  spinal import samples/mnist_vgg5.spinal --from-torch vgg5.pth --key model --out w.safetensors',
    ].join('\n')))
    .action(async (file: string, options: ImportOptions) => (await import('./actions/import.js')).importWeights(file, options, io));
}
