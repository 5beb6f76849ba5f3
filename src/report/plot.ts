// The sweep plot: MACs and parameters against the swept parameter, the model against its
// reference, as an SVG drawn by vega-lite (spec) and vega (headless SVG renderer).
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { ComparisonRow } from './compare.js';

interface PlotPoint {
  readonly x: number;
  readonly series: string;
  readonly macs: number;
  readonly parameters: number;
}

/** The first swept parameter is the x axis; any other swept parameter splits the series. */
export function plotPoints(rows: readonly ComparisonRow[], axes: readonly string[]): PlotPoint[] {
  const [x, ...rest] = axes;
  return rows.flatMap((r) => {
    const point = r.point ?? {};
    const others = rest.map((name) => `${name}=${point[name]}`).join(', ');
    const label = (s: string) => (others ? `${s} (${others})` : s);
    const series = [
      { x: point[x], series: label(r.report.name), macs: r.report.macs, parameters: r.report.parameters },
      { x: point[x], series: label('dense baseline'), macs: r.report.baseline.macs, parameters: r.report.baseline.parameters },
    ];
    if (r.vs.kind === 'model') series.push({ x: point[x], series: label(r.vs.name), macs: r.vs.macs, parameters: r.vs.parameters });
    return series;
  });
}

/** Counts spanning more than two decades are drawn on a log scale, or the smaller series would lie flat on the axis. */
function wideRange(values: readonly number[]): boolean {
  return Math.max(...values) > 100 * Math.min(...values);
}

export function sweepPlotSpec(model: string, rows: readonly ComparisonRow[], axes: readonly string[]): TopLevelSpec {
  const x = axes[0];
  const points = plotPoints(rows, axes);
  const panel = (field: 'macs' | 'parameters', name: string) => {
    const log = wideRange(points.map((p) => p[field]));
    return {
      width: 560,
      height: 240,
      mark: { type: 'line' as const, point: true, tooltip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative' as const, title: x, scale: { zero: false } },
        y: {
          field,
          type: 'quantitative' as const,
          title: log ? `${name} (log scale)` : name,
          scale: log ? { type: 'log' as const } : { zero: true },
          axis: { format: '~s' },
        },
        color: { field: 'series', type: 'nominal' as const, title: null },
      },
    };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `${model}: cost against ${x}`, subtitle: 'exact counts per sample; FLOPs = 2 x MACs' },
    background: 'white',
    padding: 12,
    data: { values: points as unknown as Record<string, unknown>[] },
    vconcat: [panel('macs', 'MACs'), panel('parameters', 'parameters')],
    config: { font: 'sans-serif', legend: { orient: 'bottom', labelLimit: 400 } },
  };
}

export async function sweepPlotSvg(model: string, rows: readonly ComparisonRow[], axes: readonly string[]): Promise<string> {
  const vega = compile(sweepPlotSpec(model, rows, axes)).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
