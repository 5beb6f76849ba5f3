// `spinal macs`'s work: the comparison of every model, or a sweep of one, in the chosen format,
// and the sweep's plot; with --train, the rows trained over seeds and their accuracy.
import type { Io } from '../io.js';
import type { MacsOptions } from '../macs.js';
import { UsageError, UserError } from '../errors.js';
import { compileFiles } from '../load.js';
import { checkOptionsFrom, LIMIT_FLAGS } from '../options.js';
import { checkPictureDestination, isStdout, writePicture } from '../picture-file.js';
import { QUEUE_PACKAGES, TRAINING_PACKAGES, requirePackages } from '../../optional-packages.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { modelReport } from '../../report/model-report.js';
import { compareModels, UnknownReferenceError, type ComparedModel, type ComparisonRow } from '../../report/compare.js';
import { comparisonTable, layersTable } from '../../report/render-terminal.js';
import { comparisonCsv } from '../../report/render-csv.js';
import { comparisonMarkdown } from '../../report/render-markdown.js';
import { comparisonJson } from '../../report/render-json.js';
import { SweepError } from '../../report/sweep.js';
import { runSweep, SweepPointError } from '../../report/run-sweep.js';
import type { CompiledFile } from '../../compile.js';

/** Sweeps shorter than this finish before a progress bar would be worth drawing. */
const PROGRESS_MIN_POINTS = 16;

export async function macs(files: readonly string[], options: MacsOptions, io: Io): Promise<void> {
  if (options.train === undefined) checkNoTrainingFlags(options);
  if (options.plot && !options.sweep && options.train === undefined) throw new UsageError('--plot draws a sweep or, with --train, accuracy against MACs: add --sweep name=start:end[:step] or --train DATA');
  if (options.plot) checkPictureDestination('--plot', options.plot);
  if (options.train !== undefined) {
    requirePackages('macs --train', options.queue === undefined ? TRAINING_PACKAGES : [...TRAINING_PACKAGES, ...QUEUE_PACKAGES]);
    // The runs read their data in worker threads or processes: the built-in digits are checked here.
    if ([options.train, options.val].some((d) => d === 'mnist' || d === 'mnist:test')) requirePackages('--data mnist', ['mnist']);
  }
  const compiled = compileFiles(files, io, checkOptionsFrom(options));
  const costs = options.sweep ? await sweepRows(compiled, options, io) : compareRows(compiled, options);
  const rows = options.train === undefined ? costs : await (await import('./macs-train.js')).trainRows(costs, compiled.map((f) => f.source), options.train, options, io);
  // `--plot -` puts the plot on stdout in place of the table.
  if (!(options.plot && isStdout(options.plot))) io.out(render(rows, options));
  if (options.plot) {
    const svg = options.train !== undefined
      ? await (await import('../../report/accuracy-plot.js')).accuracyPlotSvg(rows)
      : await (await import('../../report/plot.js')).sweepPlotSvg(rows[0].report.name, rows, (options.sweep ?? []).map((a) => a.name));
    await writePicture(options.plot, svg, io);
  }
}

/** Options that only mean something for training; given without --train they would be ignored silently. */
const TRAINING_FLAGS = {
  seeds: '--seeds', jobs: '--jobs', baseline: '--baseline', labels: '--labels', labelColumn: '--label-column', epochs: '--epochs',
  batch: '--batch', optimizer: '--optimizer', lr: '--lr', momentum: '--momentum', weightDecay: '--weight-decay', loss: '--loss',
  backend: '--backend', val: '--val', valLabels: '--val-labels', valSplit: '--val-split',
  queue: '--queue', resume: '--resume', uploadData: '--upload-data',
} as const satisfies Partial<Record<keyof MacsOptions, string>>;

function checkNoTrainingFlags(options: MacsOptions): void {
  const given = Object.entries(TRAINING_FLAGS).find(([key]) => options[key as keyof MacsOptions] !== undefined);
  if (given) throw new UsageError(`${given[1]} is for training: add --train DATA`);
}

function compareRows(compiled: readonly CompiledFile[], options: MacsOptions): ComparisonRow[] {
  const all: ComparedModel[] = compiled.flatMap((f) => f.models.map((m) => ({ file: f.source.path, report: modelReport(m) })));
  const chosen = options.model === undefined ? all : all.filter((m) => m.report.name === options.model);
  if (chosen.length === 0) throw new UserError(`no model '${options.model}'; the models are ${all.map((m) => m.report.name).join(', ')}`);
  return asUserError(() => compareModels(chosen, options.vs, all.map((m) => m.report)));
}

async function sweepRows(compiled: readonly CompiledFile[], options: MacsOptions, io: Io): Promise<ComparisonRow[]> {
  const names = compiled.flatMap((f) => f.models.map((m) => m.spec.name));
  const model = options.model ?? (names.length === 1 ? names[0] : undefined);
  if (model === undefined) throw new UsageError(`--sweep evaluates one model: choose it with --model NAME (${names.join(', ')})`);
  const bar = io.tty ? new (await import('cli-progress')).SingleBar({ stream: process.stderr, format: 'sweep {bar} {value}/{total} points', clearOnComplete: true, hideCursor: true }) : undefined;
  try {
    return asUserError(() => runSweep({
      sources: compiled.map((f) => f.source),
      model,
      axes: options.sweep ?? [],
      set: options.set,
      vs: options.vs,
      limits: checkOptionsFrom(options).limits,
      limitNames: LIMIT_FLAGS,
      progress: (done, total) => {
        if (!bar || total < PROGRESS_MIN_POINTS) return;
        if (done === 1) bar.start(total, 0);
        bar.update(done);
      },
    }), io);
  } finally {
    bar?.stop();
  }
}

function render(rows: readonly ComparisonRow[], options: MacsOptions): string {
  if (options.json) return comparisonJson(rows);
  if (options.csv) return comparisonCsv(rows);
  if (options.markdown) return comparisonMarkdown(rows);
  const layers = options.layers ?? !options.sweep;
  const detail = layers ? rows.map((r) => `\n${layersTable(r.report)}`).join('') : '';
  return `${title(rows)}\n${accuracyTitle(rows)}${comparisonTable(rows)}${detail}`;
}

/** What the accuracy columns hold, once rows were trained. */
function accuracyTitle(rows: readonly ComparisonRow[]): string {
  const accuracy = rows.find((r) => r.accuracy)?.accuracy;
  if (!accuracy) return '';
  const seeds = accuracy.runs.length;
  const epochs = `${accuracy.epochs} epoch${accuracy.epochs === 1 ? '' : 's'}`;
  const over = seeds === 1 ? 'seed 1 (no std from one seed)' : `seeds 1..${seeds}, mean and sample std (n - 1)`;
  return `accuracy: final ${accuracy.metric} accuracy after ${epochs}, ${over}; Pareto: no other row has at most its MACs and at least its accuracy\n`;
}

function title(rows: readonly ComparisonRow[]): string {
  const named = [...new Set(rows.filter((r) => r.vs.kind === 'model').map((r) => r.vs.name))];
  const against = named.length > 0 ? `${named.join(', ')}${rows.some((r) => r.vs.kind !== 'model') ? ' or the dense baseline' : ''}` : 'each model\'s dense baseline';
  return `${rows.length} model${rows.length === 1 ? '' : 's'}; ratios against ${against}`;
}

/** Maps the report modules' errors about the user's request to exit code 1, with diagnostics shown. */
function asUserError<T>(f: () => T, io?: Io): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SweepPointError) {
      io?.err(`${renderDiagnostics(e.file.diagnostics, e.file.source, { color: io.color })}\n\n`);
      throw new UserError(e.message);
    }
    if (e instanceof UnknownReferenceError || e instanceof SweepError) throw new UserError(e.message);
    throw e;
  }
}

