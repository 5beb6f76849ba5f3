// The data arguments (`--data`, `--val`, `--train`) checked against the models they feed before
// anything is read: a `NAME=PATH,...` argument names each of a model's inputs exactly once, or
// the command line is wrong (exit 2), with the model's inputs named.
import { inputFilesProblem, parseDataSource } from '../data/request.js';
import { UsageError } from './errors.js';

export interface DataModel {
  readonly name: string;
  /** In declaration order. */
  readonly inputs: readonly { readonly name: string; readonly size: number }[];
}

/** Throws a UsageError when `data`, given as `flag`, names inputs `model` does not have or leaves one out. */
export function checkDataInputs(data: string | undefined, flag: string, model: DataModel): void {
  if (data === undefined) return;
  const source = parseDataSource(data);
  if (source.kind !== 'inputs') return;
  const problem = inputFilesProblem(source.files, model.inputs, flag, model.name);
  if (problem) throw new UsageError(problem);
}
