// Long spinal blocks are drawn compactly: the first and last sub-layers as themselves, the middle
// ones as one box with their count and MACs, so that a block of 4,096 sub-layers is a picture of
// a dozen boxes (bench/graph.ts times it) and its numbers still add up.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { optimize } from '../../src/passes/optimize.js';
import { MAX_DRAWN_SUBLAYERS, picture, type Picture } from '../../src/picture/picture.js';
import { toDot } from '../../src/picture/dot.js';
import { toMermaid } from '../../src/picture/mermaid.js';
import { dotToSvg } from '../../src/picture/svg.js';
import type { Graph } from '../../src/ir/graph.js';

function graphOf(layers: number, passes: 'all' | 'none' = 'all'): Graph {
  const text = `model long { input 4096 spinal { split 1:1:1:1 width 8 layers ${layers} activation relu batchnorm dropout 0.2 } output 10 }`;
  const compiled = compile({ path: 'long.spinal', text });
  expect(compiled.diagnostics).toEqual([]);
  const graph = compiled.models[0].graph;
  return passes === 'all' ? optimize(graph) : optimize(graph, { passes: [] });
}

/** MACs written in the sub-layer boxes (`N MACs` or `N MACs together`), summed. */
function boxMacs(p: Picture): number {
  return p.boxes.filter((b) => b.kind === 'sublayer')
    .map((b) => b.lines.map((l) => /^([\d,]+) MACs/.exec(l)).find((m) => m))
    .reduce((a, m) => a + Number(m![1].replace(/,/g, '')), 0);
}

function blockMacs(g: Graph): number {
  return g.nodes.reduce((a, n) => a + (n.op === 'dense' && n.layer !== 'output' ? n.shape[0] * n.inFeatures : 0), 0);
}

describe('a block up to the limit', () => {
  it(`of ${MAX_DRAWN_SUBLAYERS} sub-layers is drawn whole`, () => {
    const p = picture(graphOf(MAX_DRAWN_SUBLAYERS));
    const subs = p.boxes.filter((b) => b.kind === 'sublayer').map((b) => b.lines[0]);
    expect(subs).toEqual(Array.from({ length: MAX_DRAWN_SUBLAYERS }, (_, i) => `sub${i + 1}`));
    // Every sub-layer feeds the output layer with its own arrow.
    expect(p.arrows.filter((a) => a.to === 'output')).toHaveLength(MAX_DRAWN_SUBLAYERS);
  });
});

describe('a block of 4,096 sub-layers', () => {
  const g = graphOf(4096);
  const p = picture(g);

  it('draws sub1-sub3, one box for sub4 … sub4094, then sub4095 and sub4096', () => {
    const subs = p.boxes.filter((b) => b.kind === 'sublayer');
    expect(subs.map((b) => b.lines[0])).toEqual(['sub1', 'sub2', 'sub3', 'sub4 … sub4094', 'sub4095', 'sub4096']);
    expect(subs[3].lines.slice(1)).toEqual(['4,091 sub-layers, each 1,032 → 8, relu', '33,775,296 MACs together']);
    expect(p.clusters[0].title).toBe('spinal1: 4 rows, 4096 sub-layers of width 8');
  });

  it('keeps the numbers: the boxes add up to the block, the title to the model', () => {
    expect(boxMacs(p)).toBe(blockMacs(g));
    const total = g.nodes.reduce((a, n) => a + (n.op === 'dense' ? n.shape[0] * n.inFeatures : 0), 0);
    expect(p.title).toContain(`${total.toLocaleString('en-US')} MACs per sample`);
  });

  it('draws a few arrows, the middle ones merged with their count and MACs', () => {
    expect(p.arrows.length).toBeLessThan(30);
    const intoOutput = p.arrows.filter((a) => a.to === 'output');
    expect(intoOutput).toHaveLength(6);
    expect(intoOutput.find((a) => a.from === 'spinal1.sub4-sub4094')!.label).toBe('4,091 × [8]\n327,280 MACs');
    // The rows feed the middle box too, each for the sub-layers that read it.
    const fromRows = p.arrows.filter((a) => a.to === 'spinal1.sub4-sub4094' && a.from.startsWith('spinal1.row'));
    expect(fromRows.map((a) => Number(/^([\d,]+) ×/.exec(a.label)![1].replace(/,/g, ''))).reduce((a, b) => a + b)).toBe(4091);
    // Every arrow joins boxes that are drawn.
    const ids = new Set(p.boxes.map((b) => b.id));
    expect(p.arrows.filter((a) => !ids.has(a.from) || !ids.has(a.to))).toEqual([]);
  });

  it('as written (no passes), the concatenations, batchnorms and dropouts of the middle go into the one box', () => {
    const written = picture(graphOf(4096, 'none'));
    expect(written.boxes.length).toBeLessThan(40);
    expect(written.boxes.filter((b) => b.id === 'spinal1.sub4-sub4094')).toHaveLength(1);
    expect(boxMacs(written)).toBe(blockMacs(g));
  });

  it('renders as dot, mermaid and SVG', async () => {
    expect(toDot(p)).toContain('"spinal1.sub4-sub4094" [label="sub4 … sub4094\\n4,091 sub-layers');
    expect(toMermaid(p)).toContain('sub4 … sub4094<br/>4,091 sub-layers');
    const svg = await dotToSvg(toDot(p));
    expect(svg).toContain('sub4 … sub4094');
  });
});
