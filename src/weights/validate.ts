// Do the weights fit the model? Every missing, unexpected or misshapen tensor, all at once.
import { distance } from 'fastest-levenshtein';
import { WeightsError, formatShape, label } from '../tensor/errors.js';
import type { TensorSpec, Weights } from '../tensor/tensor.js';

/** Canonical names differ from each other by a character or two (sub2, sub3), so only a very
 *  close missing name is offered as the one meant. */
const MAX_TYPO_EDITS = 2;

/** One line per problem, in the order of `specs`, then the unexpected tensors by name. */
export function weightProblems(weights: Weights, specs: readonly TensorSpec[]): string[] {
  const problems: string[] = [];
  const expected = new Map(specs.map((s) => [s.name, s]));
  for (const spec of specs) {
    const tensor = weights.get(spec.name);
    if (!tensor) {
      problems.push(`missing tensor ${label(spec.name)} (shape ${formatShape(spec.shape)})`);
    } else if (!sameShape(tensor.shape, spec.shape)) {
      problems.push(`tensor ${label(spec.name)}: expected shape ${formatShape(spec.shape)}, found ${formatShape(tensor.shape)}`);
    } else if (tensor.data.length !== count(spec.shape)) {
      problems.push(`tensor ${label(spec.name)}: shape ${formatShape(spec.shape)} needs ${count(spec.shape)} values, found ${tensor.data.length}`);
    }
  }
  const missing = specs.filter((s) => !weights.has(s.name)).map((s) => s.name);
  const extra = [...weights.keys()].filter((name) => !expected.has(name)).sort();
  for (const name of extra) {
    const hint = missing.find((m) => distance(m, name) <= MAX_TYPO_EDITS);
    problems.push(`unexpected tensor ${label(name)} (shape ${formatShape(weights.get(name)!.shape)}): the model has no tensor of that name${hint ? `; did you mean ${label(hint)}?` : ''}`);
  }
  return problems;
}

/** Throws a WeightsError listing every problem, if there is any. */
export function checkWeights(weights: Weights, specs: readonly TensorSpec[], model?: string): void {
  const problems = weightProblems(weights, specs);
  if (problems.length === 0) return;
  const subject = model === undefined ? 'the model' : `model '${model}'`;
  const heading = `the weights do not fit ${subject}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  throw new WeightsError(`${heading}\n${problems.map((p) => `  ${p}`).join('\n')}`, problems);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}
