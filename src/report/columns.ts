// The columns of the comparison, shared by every output format: a title, the exact value
// (CSV, JSON) and the text a person reads (terminal, markdown).
import type { ComparisonRow } from './compare.js';
import { bytes, int, ratio } from './format.js';

export interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly raw: (row: ComparisonRow) => string | number;
  readonly text: (row: ComparisonRow) => string;
}

const count = (title: string, value: (r: ComparisonRow) => number): Column => ({ title, align: 'right', raw: value, text: (r) => int(value(r)) });

export function parameterText(params: Readonly<Record<string, number>>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** Titles stay short so that the table fits a terminal; the JSON output carries the long names. */
export const COLUMNS: readonly Column[] = [
  { title: 'model', align: 'left', raw: (r) => r.report.name, text: (r) => r.report.name },
  { title: 'settings', align: 'left', raw: (r) => parameterText(r.report.params), text: (r) => parameterText(r.report.params) },
  count('MACs', (r) => r.report.macs),
  count('parameters', (r) => r.report.parameters),
  count('deployed', (r) => r.report.deployedParameters),
  { title: 'peak memory', align: 'right', raw: (r) => r.peakActivationBytes, text: (r) => bytes(r.peakActivationBytes) },
  { title: 'vs', align: 'left', raw: (r) => r.vs.name, text: (r) => r.vs.name },
  count('vs MACs', (r) => r.vs.macs),
  { title: 'MACs ratio', align: 'right', raw: (r) => r.vs.macsRatio, text: (r) => ratio(r.vs.macsRatio) },
  { title: 'params ratio', align: 'right', raw: (r) => r.vs.parametersRatio, text: (r) => ratio(r.vs.parametersRatio) },
];
