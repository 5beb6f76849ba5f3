// Loading the dataset a training run names: the built-in MNIST sets, or a file chosen by its
// extension (.npy features with a .npy labels file, .csv, .safetensors), or for a model with
// several inputs one .npy file per input (`NAME=PATH,...`, request.ts) or a .safetensors file with
// a tensor per input; checked against the model it will train, and packed (a row holds the
// inputs side by side, in the model's order). Every refusal is a DataError naming the file.
import type { DataRequest } from '../train/job.js';
import { readCsvTables } from './csv.js';
import { expectedInputs, makeDataset, type Dataset, type Expectation } from './dataset.js';
import { DataError, quote } from './errors.js';
import { readDataFile } from './files.js';
import { MNIST_CLASSES, MNIST_PIXELS, loadMnist } from './mnist.js';
import { readNpyTable } from './npy.js';
import { describeInputs, inputFilesProblem, inputsForm, parseDataSource, type InputFile } from './request.js';
import { FEATURES_TENSOR, LABELS_TENSOR, readSafetensorsTables } from './safetensors.js';
import { asInput, checkSampleCounts, toClassLabels, toFeatures, toTargets, type Table } from './table.js';

export type { DataRequest };

const FORMATS = "'mnist', 'mnist:test', or a .npy, .csv or .safetensors file";

export function loadDataset(request: DataRequest, expect: Expectation): Dataset {
  const { data, labels, labelColumn } = request;
  const source = parseDataSource(data);
  if (source.kind === 'built-in') return builtIn(source.set, request, expect);
  if (source.kind === 'inputs') return fromInputFiles(source.files, request, expect);
  const format = extension(data);
  if (labelColumn !== undefined && format !== 'csv') {
    throw new DataError(`${quote(data)}: a label column is chosen only in a CSV file`);
  }
  const several = expectedInputs(expect).length > 1;
  switch (format) {
    case 'npy': {
      if (several) throw severalInputs(`${quote(data)} is one .npy file`, expect);
      if (labels === undefined) throw new DataError(`${quote(data)} holds the features only; give the labels too, as a second .npy file`);
      if (extension(labels) !== 'npy') throw new DataError(`${quote(labels)}: labels for .npy features come in a .npy file too`);
      const tables = { features: [readNpyTable(data, readDataFile(data))], labels: readNpyTable(labels, readDataFile(labels)) };
      return assemble(`${data} + ${labels}`, tables, expect);
    }
    case 'csv':
    case 'safetensors': {
      if (several && format === 'csv') throw severalInputs(`${quote(data)}: CSV data are for a model with one input`, expect);
      if (labels !== undefined) {
        throw new DataError(`${quote(data)} holds its labels itself (${format === 'csv' ? 'a column' : `tensor 'y'`}); a separate labels file goes with .npy features only`);
      }
      const bytes = readDataFile(data);
      if (format === 'safetensors') return assemble(data, readSafetensorsTables(data, bytes, featureTensors(data, expect)), expect);
      const csv = readCsvTables(data, bytes, { labelColumn, labelWidth: expect.task.kind === 'regression' ? expect.task.targets : 1 });
      return assemble(data, { features: [csv.features], labels: csv.labels }, expect);
    }
    default:
      throw new DataError(`${quote(data)} is not a dataset spinal reads: expected ${FORMATS}`);
  }
}

/** `NAME=PATH,...`: one .npy file per input, every input named once, the labels in a .npy file. */
function fromInputFiles(files: readonly InputFile[], request: DataRequest, expect: Expectation): Dataset {
  const inputs = expectedInputs(expect);
  const problem = inputFilesProblem(files, inputs, quote(request.data), expect.model ?? 'the model');
  if (problem) throw new DataError(problem);
  if (request.labelColumn !== undefined) throw new DataError(`${quote(request.data)}: a label column is chosen only in a CSV file`);
  const { labels } = request;
  if (labels === undefined) throw new DataError(`${quote(request.data)} holds the inputs only; give the labels too, as a .npy file`);
  if (extension(labels) !== 'npy') throw new DataError(`${quote(labels)}: labels for .npy features come in a .npy file too`);
  const paths = new Map(files.map((f) => [f.name, f.path]));
  const features = inputs.map((input) => {
    const path = paths.get(input.name)!;
    if (extension(path) !== 'npy') throw new DataError(`${quote(path)} (input ${quote(input.name)}): each input's features come in a .npy file`);
    return readNpyTable(path, readDataFile(path));
  });
  return assemble(`${request.data} + ${labels}`, { features, labels: readNpyTable(labels, readDataFile(labels)) }, expect);
}

/** The tensors of a safetensors dataset: `x` for one input, else one per input, named as it. */
function featureTensors(path: string, expect: Expectation): string[] {
  const inputs = expectedInputs(expect);
  if (inputs.length === 1) return [FEATURES_TENSOR];
  if (inputs.some((i) => i.name === LABELS_TENSOR)) {
    throw new DataError(`${quote(path)}: the labels are tensor ${quote(LABELS_TENSOR)}, and ${modelName(expect)} has an input of that name; give its data as .npy files, one per input (${inputsForm(inputs)}) with the labels in another`);
  }
  return inputs.map((i) => i.name);
}

/** Data of one input's shape offered to a model with several. */
function severalInputs(what: string, expect: Expectation): DataError {
  const inputs = expectedInputs(expect);
  return new DataError(`${what}, but ${modelName(expect)} has ${inputs.length} inputs (${describeInputs(inputs)}): give one .npy file per input, ${inputsForm(inputs)}, with the labels in a .npy file, or one .safetensors file holding a tensor per input (${inputs.map((i) => quote(i.name)).join(', ')}) and ${quote(LABELS_TENSOR)}`);
}

function modelName(expect: Expectation): string {
  return expect.model === undefined ? 'the model' : `model ${quote(expect.model)}`;
}

function builtIn(set: 'mnist' | 'mnist:test', request: DataRequest, expect: Expectation): Dataset {
  if (request.labels !== undefined || request.labelColumn !== undefined) {
    throw new DataError(`${set} is built in, with its labels: it takes no labels file or label column`);
  }
  const model = modelName(expect);
  if (expectedInputs(expect).length > 1) throw severalInputs(`${set} is one input of ${MNIST_PIXELS} pixels per sample`, expect);
  if (expect.features !== MNIST_PIXELS) throw new DataError(`${set} has ${MNIST_PIXELS} features per sample; ${model} reads ${expect.features}`);
  if (expect.task.kind !== 'classification') throw new DataError(`${set} holds class labels; ${model} is trained for regression`);
  if (expect.task.classes < MNIST_CLASSES) {
    throw new DataError(`${set} has ${MNIST_CLASSES} classes (labels 0 to 9); ${model} has ${expect.task.classes} outputs`);
  }
  return loadMnist(set);
}

function assemble(source: string, tables: { features: readonly Table[]; labels: Table }, expect: Expectation): Dataset {
  const inputs = expectedInputs(expect);
  const features = inputs.length === 1 ? tables.features : tables.features.map((t, k) => asInput(t, inputs[k]));
  checkSampleCounts(features, tables.labels);
  const x = toFeatures(features, expect);
  const task = expect.task;
  const y = task.kind === 'classification'
    ? toClassLabels(tables.labels, { ...expect, task })
    : toTargets(tables.labels, { ...expect, task });
  return makeDataset(source, expect.features, x, y, inputs);
}

function extension(path: string): string {
  const match = /\.([A-Za-z]+)$/.exec(path);
  return match ? match[1].toLowerCase() : '';
}
