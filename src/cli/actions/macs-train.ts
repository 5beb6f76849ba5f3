// `spinal macs --train`: every row of the comparison (and, with --baseline, each model's dense
// baseline) trained once per seed on local worker threads, or with --queue on `spinal worker`s
// through Redis, with one progress display for all the runs and Ctrl-C stopping every thread (or
// leaving the queued sweep to its workers); the rows come back with their accuracy and Pareto flag.
import { availableParallelism } from 'node:os';
import type { SingleBar } from 'cli-progress';
import type { Io } from '../io.js';
import { DEFAULT_SEEDS, type MacsOptions } from '../macs.js';
import { EXIT, InterruptedError, UsageError, UserError } from '../errors.js';
import { checkOptionsFrom, LIMIT_FLAGS } from '../options.js';
import { inFlagTerms } from '../flags.js';
import { trainSetup } from '../train-options.js';
import { checkDataInputs } from '../data-arg.js';
import { compile } from '../../compile.js';
import type { SourceFile } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { ComparisonRow } from '../../report/compare.js';
import { parameterText } from '../../report/columns.js';
import { percent } from '../../report/format.js';
import { modelReport } from '../../report/model-report.js';
import { withAccuracy } from '../../report/accuracy.js';
import { baselineSource, BaselineSourceError } from '../../report/baseline-source.js';
import { JobFailedError, PoolAbortedError } from '../../sweep/local-pool.js';
import { trainTargets, type FinishedRun, type Runner, type TrainTarget } from '../../sweep/train-sweep.js';
import { DataError } from '../../data/errors.js';

interface Entry {
  readonly row: ComparisonRow;
  readonly target: TrainTarget;
}

export async function trainRows(rows: readonly ComparisonRow[], sources: readonly SourceFile[], data: string, options: MacsOptions, io: Io): Promise<ComparisonRow[]> {
  const setup = trainSetup(data, options);
  if (setup.settings.loss !== 'cross-entropy') throw new UsageError('--train compares classification accuracy: --loss mse has none');
  for (const row of rows) {
    const model = { name: row.report.name, inputs: row.report.inputSizes };
    checkDataInputs(data, '--train', model);
    checkDataInputs(options.val, '--val', model);
  }
  const entries = rows.flatMap((row) => {
    const source = sources.find((s) => s.path === row.file);
    if (!source) throw new Error(`no source for '${row.file}'`);
    const set = { ...options.set, ...row.point };
    const own: Entry = { row, target: { sources: [source], model: row.report.name, ...(Object.keys(set).length ? { set } : {}), label: labelOf(row) } };
    const baseline = options.baseline ? baselineEntry(row, source, set, options) : undefined;
    return baseline ? [own, baseline] : [own];
  });
  const seeds = options.seeds ?? DEFAULT_SEEDS;
  const runs = entries.length * seeds;
  const workers = Math.min(options.jobs ?? availableParallelism(), runs);
  const queue = await queueRunner(options, io);
  io.err(`training ${entries.length} row${entries.length === 1 ? '' : 's'} x ${seeds} seed${seeds === 1 ? '' : 's'} = ${runs} run${runs === 1 ? '' : 's'}, ${queue ? `on the workers of ${queue.display}` : `${workers} at a time`}\n`);
  // The seed is the one setting that varies: 1..K per row.
  const { seed: _seed, ...settings } = setup.settings;
  const display = await progressDisplay(io, runs);
  const interrupt = onInterrupt();
  try {
    const summaries = await trainTargets({
      targets: entries.map((e) => e.target),
      data: setup.data,
      validation: setup.validation,
      settings,
      seeds,
      workers,
      ...(queue ? { runner: queue.runner } : {}),
      signal: interrupt.signal,
      onProgress: display.progress,
      onRun: display.run,
    });
    return withAccuracy(entries.map((e) => e.row), summaries);
  } catch (e) {
    if (e instanceof PoolAbortedError) throw new InterruptedError(`interrupted: ${e.message}${'sweep' in e ? '' : ', nothing printed'}`);
    if (e instanceof JobFailedError) {
      // JobError is how a training job reports the user's inputs (data, a diverging run); anything else is a bug.
      // A queue's worker refuses a run it cannot match (version, data) or a payload it cannot read.
      if (['JobError', 'Refused', 'Malformed'].includes(e.failure.name)) throw new UserError(e.message);
      throw new Error(`${e.label}: ${e.failure.stack ?? e.failure.message}`, { cause: e });
    }
    if (e instanceof DataError || (e instanceof Error && e.name === 'QueueSweepError')) throw new UserError(e.message);
    throw e;
  } finally {
    display.stop();
    interrupt.release();
  }
}

/** With --queue, the runner that hands the runs to the workers through Redis (loaded only then). */
async function queueRunner(options: MacsOptions, io: Io): Promise<{ runner: Runner; display: string } | undefined> {
  if (options.queue === undefined) {
    if (options.resume !== undefined) throw new UsageError('--resume re-attaches to a queued sweep: add --queue URL');
    if (options.uploadData) throw new UsageError('--upload-data stores the data for a queue\'s workers: add --queue URL');
    return undefined;
  }
  if (options.jobs !== undefined) throw new UsageError('--jobs counts local threads; with --queue, each worker\'s --concurrency says how many runs it takes');
  const { parseRedisUrl, RedisUrlError } = await import('../../sweep/queue/redis-url.js');
  let target;
  try {
    target = parseRedisUrl(options.queue, process.env.SPINAL_REDIS_PASSWORD);
  } catch (e) {
    throw e instanceof RedisUrlError ? new UsageError(e.message) : e;
  }
  if (options.resume !== undefined && !/^[a-z0-9]{4,32}$/.test(options.resume)) throw new UsageError('--resume takes a sweep id as printed when the sweep started (lower-case letters and digits)');
  const patience = Number(process.env.SPINAL_QUEUE_PATIENCE ?? '60');
  const { queueRunner: runner } = await import('../../sweep/queue/sweep.js');
  return {
    display: target.display,
    runner: runner({
      target,
      upload: options.uploadData === true,
      log: (line) => io.err(`${inFlagTerms(line)}\n`),
      ...(options.resume !== undefined ? { resume: options.resume } : {}),
      ...(Number.isFinite(patience) && patience > 0 ? { patienceMs: patience * 1000 } : {}),
    }),
  };
}

/** "mnist_spinal w=8 depth=4", or the model's name alone. */
function labelOf(row: ComparisonRow): string {
  const settings = parameterText(row.report.params);
  return settings ? `${row.report.name} ${settings}` : row.report.name;
}

/**
 * A model's dense baseline as a row of its own, right after the model, with the model's settings
 * and reference; none for a model without a spinal block, which is its own baseline.
 */
function baselineEntry(row: ComparisonRow, source: SourceFile, set: Readonly<Record<string, number>>, options: MacsOptions): Entry | undefined {
  const limits = checkOptionsFrom(options).limits;
  const check = { overrides: set, limitNames: LIMIT_FLAGS, ...(limits ? { limits } : {}) };
  const model = compile(source, check).models.find((m) => m.spec.name === row.report.name);
  if (!model) throw new Error(`'${row.report.name}' no longer compiles`);
  if (!model.spec.layers.some((l) => l.kind === 'spinal')) return undefined;
  let text: SourceFile;
  try {
    text = baselineSource(model.spec);
  } catch (e) {
    throw e instanceof BaselineSourceError ? new UserError(`--baseline: ${e.message}`) : e;
  }
  const compiled = compile(text, { limitNames: LIMIT_FLAGS, ...(limits ? { limits } : {}) });
  if (hasErrors(compiled.diagnostics) || compiled.models.length !== 1) {
    throw new UserError(`--baseline: the dense baseline of '${row.report.name}' does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  }
  const report = { ...modelReport(compiled.models[0]), params: row.report.params };
  const baseline: ComparisonRow = {
    file: row.file,
    report,
    ...(row.point ? { point: row.point } : {}),
    peakActivationBytes: report.memory.after.peakBytes,
    vs: { ...row.vs, macsRatio: report.macs / row.vs.macs, parametersRatio: report.parameters / row.vs.parameters },
  };
  const settings = parameterText(row.report.params);
  return { row: baseline, target: { sources: [text], model: report.name, label: `${report.name}${settings ? ` (baseline at ${settings})` : ''}` } };
}

interface Display {
  progress(done: number, total: number): void;
  run(run: FinishedRun): void;
  stop(): void;
}

/** One bar for every run on a terminal; one plain line per finished run otherwise. */
async function progressDisplay(io: Io, total: number): Promise<Display> {
  const line = (r: FinishedRun) => `run ${r.finished}/${r.total}: ${r.target.label}, seed ${r.seed}: ${r.metric} accuracy ${percent(r.accuracy)}`;
  if (!io.tty) return { progress: () => {}, run: (r) => io.err(`${line(r)}\n`), stop: () => {} };
  const { SingleBar: Bar } = await import('cli-progress');
  const bar: SingleBar = new Bar({
    stream: process.stderr,
    format: 'train {bar} {percentage}% | {finished}/{runs} runs | {last} | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0, { finished: 0, runs: total, last: 'first runs starting' });
  return {
    progress: (done) => bar.update(done),
    run: (r) => bar.update({ finished: r.finished, last: `${r.target.label}, seed ${r.seed}: ${percent(r.accuracy)}` }),
    stop: () => bar.stop(),
  };
}

/** Ctrl-C stops every run at once; a second Ctrl-C ends the process. */
function onInterrupt(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, release: () => process.off('SIGINT', handler) };
}
