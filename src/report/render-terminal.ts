// The comparison and the per-layer detail as terminal tables (cli-table3).
import Table from 'cli-table3';
import type { ComparisonRow } from './compare.js';
import { columnsFor } from './columns.js';
import type { ModelReport } from './model-report.js';
import { bytes, inputsText, int, ratio } from './format.js';

const PLAIN = { head: [], border: [], compact: true };

export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const columns = columnsFor(rows);
  const table = new Table({ head: columns.map((c) => c.title), colAligns: columns.map((c) => c.align), style: PLAIN });
  for (const row of rows) table.push(columns.map((c) => c.text(row)));
  return `${table.toString()}\n`;
}

/** One model's layers, totals, dense baseline and ratio, and its memory before and after the passes. */
export function layersTable(r: ModelReport): string {
  const table = new Table({
    head: ['layer', 'in -> out', 'MACs', 'parameters'],
    colAligns: ['left', 'right', 'right', 'right'],
    style: PLAIN,
  });
  for (const l of r.layers) table.push([l.layer, `${int(l.inFeatures)} -> ${int(l.outFeatures)}`, int(l.macs), int(l.parameters)]);
  table.push(['total', `${int(r.inputs)} -> ${int(r.outputs)}`, int(r.macs), int(r.parameters)]);
  table.push(['dense baseline', '', int(r.baseline.macs), int(r.baseline.parameters)]);
  table.push(['spinal / baseline', '', ratio(r.ratio), ratio(r.parameters / r.baseline.parameters)]);
  const memory = new Table({
    head: ['per sample', 'before passes', 'after passes'],
    colAligns: ['left', 'right', 'right'],
    style: PLAIN,
  });
  memory.push(['parameters stored', int(r.memory.before.storedParameters), int(r.memory.after.storedParameters)]);
  memory.push(['peak activations', bytes(r.memory.before.peakBytes), bytes(r.memory.after.peakBytes)]);
  memory.push(['bytes copied', bytes(r.memory.before.copiedBytes), bytes(r.memory.after.copiedBytes)]);
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(', ');
  const inputs = r.inputSizes.length > 1 ? `\ninputs ${inputsText(r.inputSizes)}` : '';
  const title = `model ${r.name}${params ? ` (${params})` : ''}${r.base ? `, a variant of ${r.base}` : ''}${inputs}`;
  return `${title}\n${table.toString()}\n${memory.toString()}\n`;
}
