// The dataset API: loading what a training run names, holding out validation samples.
export { loadDataset, type DataRequest } from './load.js';
export { subset, type DataInput, type Dataset, type Expectation, type Task } from './dataset.js';
export { DataError } from './errors.js';
export { splitValidation, SPLIT_SEED } from './split.js';
export { MAX_DATA_FILE_BYTES } from './files.js';
export { dataPaths, mapDataPaths, inputFilesProblem, parseDataSource, type DataSource, type InputFile } from './request.js';
