// Every verify target on a model with tied sub-layers whose uses fold different batchnorms into
// the one shared Linear: a batchnorm after each use (its own), and a standalone batchnorm before
// the block whose features reach the owner and the tied sub-layers through different rows. Each
// use must get its own folded copy; the weights file holds the owner's tensors only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onlyModel } from '../support/front.js';
import { optimize } from '../../src/passes/optimize.js';
import { initWeights } from '../../src/weights/init.js';
import { writeSafetensors } from '../../src/weights/safetensors.js';
import { interpret } from '../../src/ir/interpret.js';
import { compareOutputs, DEFAULT_TOLERANCE } from '../../src/verify/compare.js';
import { VERIFY_TARGETS } from '../../src/verify/targets.js';
import { randomInput } from '../support/random-weights.js';

// 10 features split 3:2 are rows of 6 and 4; with width 2, sub-layer 2 reads 4 + 2 = 6 features
// as sub-layer 1 does, so 2 may be tied to 1 although their columns read other features.
const SOURCE = `model tied {
  input 10
  batchnorm
  spinal { split 3:2; width 2; layers 5; batchnorm; activation tanh; tie 2 to 1; tie 5 to 3 }
  output 4 log_softmax
}`;
const unoptimized = onlyModel(SOURCE).graph;
const graph = optimize(unoptimized);
const weights = initWeights(unoptimized, 4n, { batchnorm: 'random' });
const weightsBytes = writeSafetensors(weights);
const batch = 5;
const x = Float32Array.from(randomInput(10, batch, 3));

describe('a tied model', () => {
  it('folds each use\'s batchnorms into its own copy: optimized and unoptimized graphs agree', () => {
    expect([...weights.keys()].filter((n) => /sub[25]\.(weight|bias)$/.test(n))).toEqual([]);
    expect(graph.nodes.filter((n) => n.op === 'dense' && n.weight === 'spinal1.sub1.weight').map((n) => n.id)).toEqual(['spinal1.sub1', 'spinal1.sub2']);
    const want = interpret(unoptimized, weights, x, batch);
    expect(compareOutputs(interpret(graph, weights, x, batch), want).maxRelError).toBeLessThan(1e-12);
  });
});

describe.each(Object.keys(VERIFY_TARGETS))('target %s on a tied model', (name) => {
  const workRoot = mkdtempSync(join(tmpdir(), `spinal-tie-${name}-`));
  afterAll(() => rmSync(workRoot, { recursive: true, force: true }));

  it('agrees with the interpreter', async () => {
    const target = await VERIFY_TARGETS[name]();
    const got = await target.run({ graph, weightsBytes, x, batch, workDir: workRoot });
    expect(compareOutputs(got, interpret(graph, weights, x, batch)).maxRelError).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  }, 240_000);
});
