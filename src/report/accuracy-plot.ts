// The accuracy plot of a trained comparison: mean accuracy against MACs, one point per row with
// an error bar of one sample standard deviation over the seeds, and the Pareto frontier drawn
// through the rows on it; an SVG drawn by vega-lite (spec) and vega (headless renderer).
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { ComparisonRow } from './compare.js';
import { parameterText } from './columns.js';

export interface AccuracyPoint {
  readonly series: string;
  /** The row's settings (a grid point's values), written next to its point. */
  readonly label: string;
  readonly macs: number;
  readonly mean: number;
  /** mean -/+ std; the mean itself for one seed. */
  readonly low: number;
  readonly high: number;
  readonly pareto: boolean;
}

/** Rows without accuracy (not trained) have no place on this plot. */
export function accuracyPoints(rows: readonly ComparisonRow[]): AccuracyPoint[] {
  return rows.flatMap((r) => {
    if (!r.accuracy) return [];
    const std = r.accuracy.std ?? 0;
    return [{
      series: r.report.name,
      label: parameterText(r.point ?? r.report.params),
      macs: r.report.macs,
      mean: r.accuracy.mean,
      low: r.accuracy.mean - std,
      high: r.accuracy.mean + std,
      pareto: r.pareto === true,
    }];
  });
}

/** Past this many points, labels would overlap into noise; the tooltip still has them. */
const MAX_LABELLED_POINTS = 40;

export function accuracyPlotSpec(rows: readonly ComparisonRow[]): TopLevelSpec {
  const points = accuracyPoints(rows);
  if (points.length === 0) throw new RangeError('no trained rows to plot');
  const accuracy = rows.find((r) => r.accuracy)!.accuracy!;
  const seeds = accuracy.runs.length;
  const macs = points.map((p) => p.macs);
  const log = Math.max(...macs) > 100 * Math.min(...macs);
  const x = { field: 'macs', type: 'quantitative' as const, title: log ? 'MACs per sample (log scale)' : 'MACs per sample', scale: log ? { type: 'log' as const } : { zero: false }, axis: { format: '~s' } };
  const y = { field: 'mean', type: 'quantitative' as const, title: `${accuracy.metric} accuracy`, scale: { zero: false }, axis: { format: '.1%' } };
  const color = { field: 'series', type: 'nominal' as const, title: null };
  const frontier = [...points].filter((p) => p.pareto).sort((a, b) => a.macs - b.macs || a.mean - b.mean);
  const spread = seeds > 1 ? `mean and ±1 sample std over seeds 1..${seeds}` : 'seed 1';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'accuracy against MACs', subtitle: `final ${accuracy.metric} accuracy after ${accuracy.epochs} epoch${accuracy.epochs === 1 ? '' : 's'}, ${spread}; dashed: the Pareto frontier` },
    background: 'white',
    padding: 12,
    width: 560,
    height: 320,
    layer: [
      {
        data: { values: frontier as unknown as Record<string, unknown>[] },
        mark: { type: 'line', strokeDash: [6, 4], color: '#555', strokeWidth: 1.5 },
        encoding: { x, y, order: { field: 'macs', type: 'quantitative' } },
      },
      {
        data: { values: points as unknown as Record<string, unknown>[] },
        layer: [
          { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color } },
          { mark: { type: 'tick', orient: 'horizontal', size: 8 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, color } },
          { mark: { type: 'tick', orient: 'horizontal', size: 8 }, encoding: { x, y: { field: 'high', type: 'quantitative' }, color } },
          {
            mark: { type: 'point', filled: true, size: 60 },
            encoding: {
              x, y, color,
              shape: { field: 'pareto', type: 'nominal', title: 'Pareto', scale: { domain: [true, false], range: ['diamond', 'circle'] } },
              tooltip: [{ field: 'series' }, { field: 'label', title: 'settings' }, { field: 'macs', format: ',' }, { field: 'mean', format: '.2%' }, { field: 'low', format: '.2%' }, { field: 'high', format: '.2%' }],
            },
          },
          ...(points.length <= MAX_LABELLED_POINTS && points.some((p) => p.label !== '')
            ? [{ mark: { type: 'text' as const, align: 'left' as const, dx: 7, dy: -7, fontSize: 10 }, encoding: { x, y, text: { field: 'label' }, color } }]
            : []),
        ],
      },
    ],
    config: { font: 'sans-serif', legend: { orient: 'bottom', labelLimit: 400 } },
  };
}

export async function accuracyPlotSvg(rows: readonly ComparisonRow[]): Promise<string> {
  const vega = compile(accuracyPlotSpec(rows)).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
