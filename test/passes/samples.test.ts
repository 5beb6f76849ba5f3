// The samples after all passes: golden IR, no copies, folded batchnorm, MACs kept.
import { describe, expect, it } from 'vitest';
import { optimize } from '../../src/passes/optimize.js';
import { planMemory } from '../../src/passes/plan-memory.js';
import { count } from '../../src/passes/count.js';
import { renderGraph } from '../../src/ir/print.js';
import { sampleModels } from '../support/samples.js';
import { expectGolden } from '../support/golden.js';

describe.each(sampleModels().map((m) => [m.spec.name, m] as const))('sample %s', (name, model) => {
  const optimized = optimize(model.graph);

  it('matches its golden optimized IR', () => {
    expectGolden(`ir/${name}.txt`, renderGraph(optimized));
  });

  it('copies no bytes and keeps every MAC', () => {
    expect(planMemory(optimized).copiedBytes).toBe(0);
    expect(count(optimized).macs).toBe(count(model.graph).macs);
  });

  it('has no concat, dropout or batchnorm node left', () => {
    expect(optimized.nodes.filter((n) => ['concat', 'dropout', 'batchnorm', 'activation'].includes(n.op))).toEqual([]);
  });
});
