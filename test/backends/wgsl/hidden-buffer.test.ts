// Blocks whose output a batchnorm folds into the next block leave their sub-layers unplaced: the
// next block reads every part. They share one buffer, so such a layer binds a handful of
// buffers, not one per part (it bound 6 here, past the 5 a shader may use, and the build failed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../support/cli.js';
import { scratch } from '../../support/scratch.js';
import { onlyModel } from '../../support/front.js';
import { optimize } from '../../../src/passes/optimize.js';
import { MAX_SOURCE_BUFFERS, planModel } from '../../../src/backends/wgsl/plan.js';

const TEXT = `model folded {
  input 8
  spinal { split 1 interleaved; width 4; layers 5; activation linear; dropout 0.25 }
  batchnorm
  spinal { split 1 interleaved; width 7; layers 4; activation tanh }
  batchnorm
  spinal { split 2:3; width 3; layers 3 }
  output 4 leaky_relu
}
`;
const dir = scratch('wgsl-hidden');

describe('wgsl: unplaced hidden outputs', () => {
  it('share one buffer, so no layer reads more buffers than a shader may bind', () => {
    const plan = planModel(optimize(onlyModel(TEXT).graph));
    const widest = Math.max(...plan.layers.map((l) => l.sources.length));
    expect(widest).toBeLessThanOrEqual(MAX_SOURCE_BUFFERS);
    expect(plan.buffers.map((b) => b.label)).toContain('hidden');
  });

  it('runs such a model like the interpreter', async () => {
    const file = join(dir, 'folded.spinal');
    writeFileSync(file, TEXT);
    const weights = join(dir, 'w.safetensors');
    expect((await run('init', file, '--seed', '3', '--random-batchnorm', '--out', weights)).code).toBe(0);
    const r = await run('verify', file, '--weights', weights, '--targets', 'wgsl', '--batch', '5');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
