import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';
import { svgProblems, svgTexts } from '../support/svg.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'spinal-graph-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('spinal graph', () => {
  it('dot: rows, sub-layers, the gradual input and the output, with sizes and MACs on the edges', async () => {
    const r = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--format', 'dot');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph "three_rows: 12 → 2, 104 MACs per sample" \{/);
    expect(r.stdout).toContain('subgraph "cluster_spinal1"');
    expect(r.stdout).toContain('"spinal1.row2" [label="row2\\nfeatures 4..7"');
    expect(r.stdout).toContain('"spinal1.sub2" [label="sub2\\n8 → 4, relu\\n32 MACs"');
    // the gradual input: sub2 reads its row and sub1, each part meeting its own weight columns
    expect(r.stdout).toContain('"spinal1.row2" -> "spinal1.sub2" [label="[4, cols 0..3]\\n16 MACs"];');
    expect(r.stdout).toContain('"spinal1.sub1" -> "spinal1.sub2" [label="[4, cols 4..7]\\n16 MACs"];');
    expect(r.stdout).toContain('"spinal1.sub3" -> "output" [label="[4, cols 8..11]\\n8 MACs"];');
  });

  it('--passes none draws the graph as written, with concat, dropout and batchnorm', async () => {
    const r = await run('graph', 'samples/mnist_vgg5.spinal', '--format', 'dot', '--passes', 'none');
    expect(r.stdout).toContain('"spinal1.sub2.in" [label="concat\\n[256]"');
    expect(r.stdout).toContain('dropout p=0.5');
    expect(r.stdout).toContain('"spinal1.sub1.bn" [label="batchnorm\\n[128]"');
    const folded = await run('graph', 'samples/mnist_vgg5.spinal', '--format', 'dot');
    expect(folded.stdout).not.toContain('concat');
    expect(folded.stdout).toContain('batchnorm folded in');
  });

  it('interleaved rows say which features they take', async () => {
    const r = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows_interleaved', '--format', 'dot');
    expect(r.stdout).toContain('features 1, 4, ..., 10');
    expect(r.stdout).toContain('3 rows (interleaved)');
  });

  it('svg: rendered by Graphviz, well-formed, with every box', async () => {
    const out = join(dir, 'g.svg');
    const r = await run('graph', 'samples/mnist_cnn.spinal', '--model', 'mnist_cnn_spinal', '--format', 'svg', '--out', out);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svgProblems(svg)).toEqual([]);
    const texts = svgTexts(svg);
    for (const t of ['input', 'row1', 'row2', 'sub1', 'sub6', 'output', '48 → 10, linear', '1,344 MACs']) expect(texts).toContain(t);
  });

  it('mermaid: a flowchart with a subgraph per block and labelled edges', async () => {
    const r = await run('graph', 'samples/three_rows.spinal', '--model', 'three_rows', '--format', 'mermaid');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['---', 'title: "three_rows: 12 → 2, 104 MACs per sample"', '---', 'flowchart TB']);
    expect(lines).toContain('  subgraph c0["spinal1: 3 rows, 3 sub-layers of width 4"]');
    expect(lines).toContain('    n5["sub2<br/>8 → 4, relu<br/>32 MACs"]:::sublayer');
    expect(lines).toContain('  n4 -->|"[4, cols 4..7]<br/>16 MACs"| n5');
    expect(lines.filter((l) => l.includes('-->'))).toHaveLength(12);
  });

  it('needs --model when the file has several models', async () => {
    const r = await run('graph', 'samples/three_rows.spinal');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('choose one with --model NAME');
    expect((await run('graph', 'samples/three_rows.spinal', '--format', 'png')).code).toBe(2);
  });
});
