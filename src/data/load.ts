// Loading the dataset a training run names: the built-in MNIST sets, or a file chosen by its
// extension (.npy features with a .npy labels file, .csv, .safetensors), checked against the
// model it will train. Every refusal is a DataError naming the file.
import type { DataRequest } from '../train/job.js';
import { readCsvTables } from './csv.js';
import { makeDataset, type Dataset, type Expectation } from './dataset.js';
import { DataError, quote } from './errors.js';
import { readDataFile } from './files.js';
import { MNIST_CLASSES, MNIST_PIXELS, loadMnist } from './mnist.js';
import { readNpyTable } from './npy.js';
import { readSafetensorsTables } from './safetensors.js';
import { checkSampleCounts, toClassLabels, toFeatures, toTargets, type Table } from './table.js';

export type { DataRequest };

const FORMATS = "'mnist', 'mnist:test', or a .npy, .csv or .safetensors file";

export function loadDataset(request: DataRequest, expect: Expectation): Dataset {
  const { data, labels, labelColumn } = request;
  if (data === 'mnist' || data === 'mnist:test') return builtIn(data, request, expect);
  const format = extension(data);
  if (labelColumn !== undefined && format !== 'csv') {
    throw new DataError(`${quote(data)}: a label column is chosen only in a CSV file`);
  }
  switch (format) {
    case 'npy': {
      if (labels === undefined) throw new DataError(`${quote(data)} holds the features only; give the labels too, as a second .npy file`);
      if (extension(labels) !== 'npy') throw new DataError(`${quote(labels)}: labels for .npy features come in a .npy file too`);
      const tables = { features: readNpyTable(data, readDataFile(data)), labels: readNpyTable(labels, readDataFile(labels)) };
      return assemble(`${data} + ${labels}`, tables, expect);
    }
    case 'csv':
    case 'safetensors': {
      if (labels !== undefined) {
        throw new DataError(`${quote(data)} holds its labels itself (${format === 'csv' ? 'a column' : `tensor 'y'`}); a separate labels file goes with .npy features only`);
      }
      const bytes = readDataFile(data);
      const tables = format === 'csv'
        ? readCsvTables(data, bytes, { labelColumn, labelWidth: expect.task.kind === 'regression' ? expect.task.targets : 1 })
        : readSafetensorsTables(data, bytes);
      return assemble(data, tables, expect);
    }
    default:
      throw new DataError(`${quote(data)} is not a dataset spinal reads: expected ${FORMATS}`);
  }
}

function builtIn(set: 'mnist' | 'mnist:test', request: DataRequest, expect: Expectation): Dataset {
  if (request.labels !== undefined || request.labelColumn !== undefined) {
    throw new DataError(`${set} is built in, with its labels: it takes no labels file or label column`);
  }
  const model = expect.model === undefined ? 'the model' : `model ${quote(expect.model)}`;
  if (expect.features !== MNIST_PIXELS) throw new DataError(`${set} has ${MNIST_PIXELS} features per sample; ${model} reads ${expect.features}`);
  if (expect.task.kind !== 'classification') throw new DataError(`${set} holds class labels; ${model} is trained for regression`);
  if (expect.task.classes < MNIST_CLASSES) {
    throw new DataError(`${set} has ${MNIST_CLASSES} classes (labels 0 to 9); ${model} has ${expect.task.classes} outputs`);
  }
  return loadMnist(set);
}

function assemble(source: string, tables: { features: Table; labels: Table }, expect: Expectation): Dataset {
  checkSampleCounts(tables.features, tables.labels);
  const x = toFeatures(tables.features, expect);
  const task = expect.task;
  const y = task.kind === 'classification'
    ? toClassLabels(tables.labels, { ...expect, task })
    : toTargets(tables.labels, { ...expect, task });
  return makeDataset(source, expect.features, x, y);
}

function extension(path: string): string {
  const match = /\.([A-Za-z]+)$/.exec(path);
  return match ? match[1].toLowerCase() : '';
}
