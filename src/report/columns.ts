// The columns of the comparison, shared by every output format: a title, the exact value
// (CSV, JSON) and the text a person reads (terminal, markdown).
import type { ComparisonRow } from './compare.js';
import { bytes, inputsText, int, percent, ratio } from './format.js';
import type { AccuracyMetric } from './accuracy.js';

export interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly raw: (row: ComparisonRow) => string | number | boolean | null;
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
  // `*`: the model leaves input features unread (SPN060), which its ratio does not show.
  { title: 'MACs ratio', align: 'right', raw: (r) => r.vs.macsRatio, text: (r) => `${ratio(r.vs.macsRatio)}${r.report.unreadFeatures > 0 ? '*' : ''}` },
  { title: 'params ratio', align: 'right', raw: (r) => r.vs.parametersRatio, text: (r) => ratio(r.vs.parametersRatio) },
];

const ACCURACY_TITLE: Readonly<Record<AccuracyMetric, string>> = { validation: 'val acc', train: 'train acc' };

/**
 * With training: mean and sample standard deviation of the final accuracy over the seeds (as
 * fractions in CSV and JSON, percentages on screen), and the Pareto flag.
 */
export function accuracyColumns(metric: AccuracyMetric): Column[] {
  const name = ACCURACY_TITLE[metric];
  return [
    { title: `${name} mean`, align: 'right', raw: (r) => r.accuracy?.mean ?? null, text: (r) => (r.accuracy ? percent(r.accuracy.mean) : '') },
    { title: `${name} std`, align: 'right', raw: (r) => r.accuracy?.std ?? null, text: (r) => (r.accuracy?.std != null ? percent(r.accuracy.std) : '') },
    { title: 'Pareto', align: 'left', raw: (r) => r.pareto ?? null, text: (r) => (r.pareto ? 'yes' : '') },
  ];
}

/** Shown when a model leaves input features unread: how many, beside the ratio it marks with `*`. */
export const UNREAD_COLUMN: Column = {
  title: 'unread inputs', align: 'right', raw: (r) => r.report.unreadFeatures, text: (r) => (r.report.unreadFeatures > 0 ? `*${int(r.report.unreadFeatures)}` : ''),
};

/** Shown when a model has several inputs: each by name and size (`pixels=784 conv1=1440` exactly). */
export const INPUTS_COLUMN: Column = {
  title: 'inputs', align: 'left',
  raw: (r) => r.report.inputSizes.map((i) => `${i.name}=${i.size}`).join(' '),
  text: (r) => inputsText(r.report.inputSizes),
};

/**
 * The columns for these rows: the inputs after the settings when a model has several, the cost
 * columns, the unread inputs when a model leaves some, and the accuracy columns once rows were
 * trained.
 */
export function columnsFor(rows: readonly ComparisonRow[]): readonly Column[] {
  const trained = rows.find((r) => r.accuracy);
  const unread = rows.some((r) => r.report.unreadFeatures > 0) ? [UNREAD_COLUMN] : [];
  const inputs = rows.some((r) => r.report.inputSizes.length > 1) ? [INPUTS_COLUMN] : [];
  return [...COLUMNS.slice(0, 2), ...inputs, ...COLUMNS.slice(2), ...unread, ...(trained?.accuracy ? accuracyColumns(trained.accuracy.metric) : [])];
}
