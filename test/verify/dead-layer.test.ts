// A sub-layer nothing reads is dropped by the optimizer, but the weights file keeps its
// tensors: every target must still accept the canonical file and agree with the interpreter.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../../src/compile.js';
import { optimize } from '../../src/passes/optimize.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import { run } from '../support/cli.js';
import { scratch } from '../support/scratch.js';

const SOURCE = `
model dead {
  input 6
  spinal { width 3 layers 2 }
  spinal { split 1:1 width 2 layers 1 }   # reads only block 1's first sub-layer
  output 2
}
`;

describe('a model with a sub-layer nothing reads', () => {
  const graph = compile({ path: 'dead.spinal', text: SOURCE }).models[0].graph;
  const optimized = optimize(graph);
  const dir = scratch('dead');

  it('loses the dead Linear but still expects its tensors', () => {
    expect(optimized.nodes.some((n) => n.id === 'spinal1.sub2')).toBe(false);
    expect(tensorSpecs(optimized)).toEqual(tensorSpecs(graph));
    expect(tensorSpecs(optimized).map((t) => t.name)).toContain('spinal1.sub2.weight');
  });

  it('verifies on every target with the canonical weights file', async () => {
    const file = join(dir, 'dead.spinal');
    writeFileSync(file, SOURCE);
    const weights = join(dir, 'dead.safetensors');
    expect((await run('init', file, '--seed', '5', '--out', weights)).code).toBe(0);
    const { code, stdout, stderr } = await run('verify', file, '--weights', weights, '--targets', 'tfjs,wgsl,onnx,cpp', '--json');
    expect(stderr).not.toContain('internal error');
    const report = JSON.parse(stdout) as { targets: Record<string, { ok: boolean; error?: string }> };
    expect(Object.keys(report.targets).sort()).toEqual(['cpp', 'onnx', 'tfjs', 'wgsl']);
    for (const [name, t] of Object.entries(report.targets)) expect({ name, ...t }).toMatchObject({ name, ok: true });
    expect(code).toBe(0);
  });
});
