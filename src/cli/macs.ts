// `spinal macs FILE...`: exact MACs and parameters per layer, the dense baseline and the ratio.
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { Io } from './io.js';
import { compileFiles } from './load.js';
import { checkOptionsFrom, withCompileFlags, type CompileFlags } from './options.js';
import { modelReport, type ModelReport } from '../report/model-report.js';
import { bytes, int, ratio } from '../report/format.js';

interface MacsOptions extends CompileFlags {
  readonly json?: boolean;
}

export function registerMacs(program: Command, io: Io): void {
  withCompileFlags(program
    .command('macs')
    .description('count multiply-accumulates and parameters of every model, against its dense baseline')
    .argument('<files...>', '.spinal files')
    .option('--json', 'print JSON instead of a table'))
    .action((files: string[], options: MacsOptions) => {
      const compiled = compileFiles(files, io, checkOptionsFrom(options));
      const reports = compiled.flatMap((f) => f.models.map(modelReport));
      io.out(options.json ? `${JSON.stringify({ models: reports }, null, 2)}\n` : reports.map(renderReport).join('\n'));
    });
}

export function renderReport(r: ModelReport): string {
  const table = new Table({
    head: ['layer', 'in -> out', 'MACs', 'parameters'],
    colAligns: ['left', 'right', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  for (const l of r.layers) table.push([l.layer, `${int(l.inFeatures)} -> ${int(l.outFeatures)}`, int(l.macs), int(l.parameters)]);
  table.push(['total', `${int(r.inputs)} -> ${int(r.outputs)}`, int(r.macs), int(r.parameters)]);
  table.push(['dense baseline', '', int(r.baseline.macs), int(r.baseline.parameters)]);
  table.push(['spinal / baseline', '', ratio(r.ratio), ratio(r.parameters / r.baseline.parameters)]);
  const memory = new Table({
    head: ['per sample', 'before passes', 'after passes'],
    colAligns: ['left', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  memory.push(['parameters stored', int(r.memory.before.storedParameters), int(r.memory.after.storedParameters)]);
  memory.push(['peak activations', bytes(r.memory.before.peakBytes), bytes(r.memory.after.peakBytes)]);
  memory.push(['bytes copied', bytes(r.memory.before.copiedBytes), bytes(r.memory.after.copiedBytes)]);
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(', ');
  const title = `model ${r.name}${params ? ` (${params})` : ''}${r.base ? `, a variant of ${r.base}` : ''}`;
  return `${title}\n${table.toString()}\n${memory.toString()}\n`;
}
