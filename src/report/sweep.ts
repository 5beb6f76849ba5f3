// Parameter sweeps: `name=a:b[:step]` ranges (end included) and their cross product.

export interface SweepAxis {
  readonly name: string;
  readonly values: readonly number[];
}

export type GridPoint = Readonly<Record<string, number>>;

/** More points than this is almost surely a typo in a step; the grid would take minutes. */
export const MAX_GRID_POINTS = 100_000;

export class SweepError extends Error {
  override readonly name = 'SweepError';
}

/** `w=8:64:8` -> w in 8, 16, ..., 64. The step defaults to 1; the end is included when on the grid. */
export function parseSweep(text: string): SweepAxis {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=([^:]+):([^:]+)(?::([^:]+))?$/.exec(text);
  if (!m) throw new SweepError(`expected name=start:end[:step], got '${text}'`);
  const [start, end, step] = [Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  if (![start, end, step].every(Number.isFinite)) throw new SweepError(`'${text}': start, end and step must be numbers`);
  if (start < 0) throw new SweepError(`'${text}': parameters are non-negative, the start is ${start}`);
  if (end < start) throw new SweepError(`'${text}': the end ${end} is below the start ${start}`);
  if (step <= 0) throw new SweepError(`'${text}': the step must be positive, got ${step}`);
  const n = Math.floor((end - start) / step + 1e-9) + 1;
  if (n > MAX_GRID_POINTS) throw new SweepError(`'${text}' has ${n} values, more than ${MAX_GRID_POINTS}`);
  // k * step rather than repeated addition, rounded so that 0.1:0.5:0.1 gives 0.3, not 0.30000000000000004.
  const values = Array.from({ length: n }, (_, k) => Number((start + k * step).toPrecision(12)));
  return { name: m[1], values };
}

/** Every combination of the axes' values, the first axis varying slowest. */
export function grid(axes: readonly SweepAxis[]): GridPoint[] {
  const names = new Set<string>();
  for (const a of axes) {
    if (names.has(a.name)) throw new SweepError(`parameter '${a.name}' is swept twice`);
    names.add(a.name);
  }
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_GRID_POINTS) throw new SweepError(`the sweep has ${size} grid points, more than ${MAX_GRID_POINTS}`);
  let points: GridPoint[] = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.name]: v })));
  return points;
}
