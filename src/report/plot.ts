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
    const referenceLabel = r.vs.kind === 'model' ? r.vs.name : 'dense baseline';
    return [
      { x: point[x], series: label(r.report.name), macs: r.report.macs, parameters: r.report.parameters },
      { x: point[x], series: label(referenceLabel), macs: r.vs.macs, parameters: r.vs.parameters },
    ];
  });
}

export function sweepPlotSpec(model: string, rows: readonly ComparisonRow[], axes: readonly string[]): TopLevelSpec {
  const x = axes[0];
  const panel = (field: 'macs' | 'parameters', title: string) => ({
    width: 560,
    height: 240,
    mark: { type: 'line' as const, point: true, tooltip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const, title: x, scale: { zero: false } },
      y: { field, type: 'quantitative' as const, title, axis: { format: '~s' } },
      color: { field: 'series', type: 'nominal' as const, title: null },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `${model}: cost against ${x}`, subtitle: 'exact counts per sample; FLOPs = 2 x MACs' },
    background: 'white',
    padding: 12,
    data: { values: plotPoints(rows, axes) as unknown as Record<string, unknown>[] },
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
