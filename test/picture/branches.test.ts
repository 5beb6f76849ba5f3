// A model with several inputs is drawn with one box per input, named, each branch from its own
// input, and the layer that joins the branches after a concatenation box; the title names the
// inputs. A model with one input is drawn as before.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { optimize } from '../../src/passes/optimize.js';
import { picture, type Picture } from '../../src/picture/picture.js';
import { toDot } from '../../src/picture/dot.js';
import { toMermaid } from '../../src/picture/mermaid.js';
import { dotToSvg } from '../../src/picture/svg.js';
import { run } from '../support/cli.js';
import { SAMPLES_DIR } from '../support/samples.js';

const ARCH2 = join(SAMPLES_DIR, 'mnist_arch2.spinal');

function drawn(text: string, passes: 'all' | 'none' = 'all'): Picture {
  const compiled = compile({ path: 'm.spinal', text });
  expect(compiled.diagnostics).toEqual([]);
  const graph = compiled.models[0].graph;
  return picture(passes === 'all' ? optimize(graph) : optimize(graph, { passes: [] }));
}

/** The boxes an arrow path reaches from `start`. */
function reachable(p: Picture, start: string): Set<string> {
  const seen = new Set([start]);
  const todo = [start];
  while (todo.length > 0) {
    const at = todo.pop()!;
    for (const a of p.arrows) if (a.from === at && !seen.has(a.to)) { seen.add(a.to); todo.push(a.to); }
  }
  return seen;
}

describe('pictures of a model with several inputs (samples/mnist_arch2.spinal)', () => {
  const p = drawn(readFileSync(ARCH2, 'utf8'));

  it('the title names the inputs; each has its own box', () => {
    expect(p.title).toBe('mnist_arch2: pixels 784 + conv1 1,440 + conv2 320 → 10, 389,000 MACs per sample');
    expect(p.boxes.filter((b) => b.kind === 'input').map((b) => [b.id, ...b.lines])).toEqual([
      ['input.pixels', 'input pixels', '[784]'], ['input.conv1', 'input conv1', '[1,440]'], ['input.conv2', 'input conv2', '[320]'],
    ]);
  });

  it('each branch is drawn from its own input, and meets the others only at the join', () => {
    const clusterOf = new Map(p.clusters.flatMap((c) => c.boxes.map((b) => [b, c.id])));
    const blocks = (input: string) => [...new Set([...reachable(p, input)].map((b) => clusterOf.get(b)).filter((c) => c))];
    expect(blocks('input.pixels')).toEqual(['spinal1']);
    expect(blocks('input.conv1')).toEqual(['spinal2']);
    expect(blocks('input.conv2')).toEqual(['spinal3']);
    expect(p.arrows.filter((a) => a.from.startsWith('input.')).map((a) => `${a.from} -> ${a.to}`)).toEqual([
      'input.pixels -> spinal1.row1', 'input.pixels -> spinal1.row2', 'input.conv1 -> spinal2.row1',
      'input.conv1 -> spinal2.row2', 'input.conv2 -> spinal3.row1', 'input.conv2 -> spinal3.row2',
    ]);
  });

  it('the join is a concatenation box: every block feeds it, it alone feeds dense1 with the MACs', () => {
    expect(p.boxes.find((b) => b.id === 'dense1.join')).toEqual({ id: 'dense1.join', kind: 'glue', lines: ['concat (no copy)', '[780]'] });
    const into = p.arrows.filter((a) => a.to === 'dense1.join');
    expect(new Set(into.map((a) => a.from.split('.')[0]))).toEqual(new Set(['spinal1', 'spinal2', 'spinal3']));
    expect(into.find((a) => a.from === 'spinal3.sub8')?.label).toBe('[30, cols 750..779]');
    expect(into.find((a) => a.from === 'spinal1.sub4-sub8')?.label).toBe('5 × [30]');
    expect(p.arrows.filter((a) => a.to === 'dense1')).toEqual([{ from: 'dense1.join', to: 'dense1', label: '[780]\n39,000 MACs' }]);
    // The features into the join add up to what dense1 reads.
    const features = into.reduce((n, a) => {
      const m = /^(?:(\d+) × )?\[(\d+)/.exec(a.label)!;
      return n + Number(m[1] ?? 1) * Number(m[2]);
    }, 0);
    expect(features).toBe(780);
  });

  it('as written (--passes none), the join is the graph\'s own concat node', () => {
    const written = drawn(readFileSync(ARCH2, 'utf8'), 'none');
    expect(written.boxes.some((b) => b.id.endsWith('.join'))).toBe(false);
    expect(written.boxes.find((b) => b.id === 'dense1.in')?.lines).toEqual(['concat', '[780]']);
    expect(written.title).toBe(p.title);
  });

  it('inputs read by a dense directly are joined too; dot, mermaid and SVG carry the names', async () => {
    const q = drawn('model m {\n  x = input 4\n  y = input 6\n  dense 3 from y, x\n  output 2\n}\n');
    expect(q.title).toBe('m: x 4 + y 6 → 2, 36 MACs per sample');
    expect(q.arrows.filter((a) => a.to === 'dense1.join').map((a) => `${a.from}: ${a.label}`)).toEqual(['input.y: [6, cols 0..5]', 'input.x: [4, cols 6..9]']);
    const dot = toDot(q);
    expect(dot).toContain('"input.x" [label="input x\\n[4]"');
    expect(dot).toContain('"dense1.join" -> "dense1" [label="[10]\\n30 MACs"];');
    expect(toMermaid(q)).toContain('["concat (no copy)<br/>[10]"]:::glue');
    const svg = await dotToSvg(toDot(p));
    expect(svg).toContain('<title>mnist_arch2: pixels 784 + conv1 1,440 + conv2 320 → 10, 389,000 MACs per sample</title>');
    expect(svg).toContain('>input conv1</text>');
  });

  it('a model with one input is drawn as before: an unnamed input box, no join', () => {
    const one = drawn('model m {\n  input 12\n  spinal {\n    split 1:1\n    width 2\n    layers 3\n  }\n  output 2\n}\n');
    expect(one.title).toBe('m: 12 → 2, 56 MACs per sample');
    expect(one.boxes.find((b) => b.kind === 'input')).toEqual({ id: 'input', kind: 'input', lines: ['input', '[12]'] });
    expect(one.boxes.some((b) => b.id.endsWith('.join'))).toBe(false);
    // Named, a single input keeps its box unnamed as well: the title shows its size alone.
    const named = drawn('model m {\n  pixels = input 12\n  output 2\n}\n');
    expect([named.title, named.boxes[0].lines[0]]).toEqual(['m: 12 → 2, 24 MACs per sample', 'input']);
  });

  it('spinal graph renders the sample as SVG and PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spinal-arch2-'));
    const png = join(dir, 'arch2.png');
    const r = await run('graph', ARCH2, '--out', png);
    expect([r.code, r.stderr]).toEqual([0, `wrote '${png}'\n`]);
    const bytes = readFileSync(png);
    expect([...bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(1000);
    const svg = await run('graph', ARCH2);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain('>concat (no copy)</text>');
  }, 60_000);
});
