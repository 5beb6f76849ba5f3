// What a data argument names, read once for every command and the sweeps: a built-in set, one
// file, or one .npy file per input of a model with several, written `NAME=PATH,NAME=PATH,...`
// (`pixels=p.npy,conv1=c1.npy`). The argument is of that form when it starts with a name and
// `=`; each part ends at a comma followed by the next `NAME=`, so a path may hold commas (a
// path that itself starts with `NAME=` is written `./NAME=...`).
import type { DataRequest } from '../train/job.js';
import type { DataInput } from './dataset.js';
import { quote } from './errors.js';

export type BuiltInSet = 'mnist' | 'mnist:test';

/** One input's file in a `NAME=PATH,...` argument. */
export interface InputFile {
  readonly name: string;
  readonly path: string;
}

export type DataSource =
  | { readonly kind: 'built-in'; readonly set: BuiltInSet }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'inputs'; readonly files: readonly InputFile[] };

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const STARTS_WITH_NAME = new RegExp(`^${NAME}=`);
const PART_BOUNDARY = new RegExp(`,(?=${NAME}=)`);

export function parseDataSource(data: string): DataSource {
  if (data === 'mnist' || data === 'mnist:test') return { kind: 'built-in', set: data };
  if (!STARTS_WITH_NAME.test(data)) return { kind: 'file', path: data };
  const files = data.split(PART_BOUNDARY).map((part) => {
    const at = part.indexOf('=');
    return { name: part.slice(0, at), path: part.slice(at + 1) };
  });
  return { kind: 'inputs', files };
}

export function formatDataSource(source: DataSource): string {
  switch (source.kind) {
    case 'built-in': return source.set;
    case 'file': return source.path;
    case 'inputs': return source.files.map((f) => `${f.name}=${f.path}`).join(',');
  }
}

/** Every file a request reads (features, each input's, labels), in that order. */
export function dataPaths(request: DataRequest): string[] {
  const source = parseDataSource(request.data);
  const features = source.kind === 'file' ? [source.path] : source.kind === 'inputs' ? source.files.map((f) => f.path) : [];
  return [...features, ...(request.labels !== undefined ? [request.labels] : [])];
}

/** The request with every file path it names replaced by `map(path)`; the built-in sets stay names. */
export function mapDataPaths(request: DataRequest, map: (path: string) => string): DataRequest {
  const source = parseDataSource(request.data);
  const mapped: DataSource = source.kind === 'file'
    ? { kind: 'file', path: map(source.path) }
    : source.kind === 'inputs' ? { kind: 'inputs', files: source.files.map((f) => ({ name: f.name, path: map(f.path) })) } : source;
  return { ...request, data: formatDataSource(mapped), ...(request.labels !== undefined ? { labels: map(request.labels) } : {}) };
}

/** "pixels 784, conv1 1440": a model's inputs with their sizes. */
export function describeInputs(inputs: readonly DataInput[]): string {
  return inputs.map((i) => `${i.name} ${i.size}`).join(', ');
}

/** The `NAME=FILE,...` argument a model's inputs take, for a message. */
export function inputsForm(inputs: readonly DataInput[]): string {
  return inputs.map((i) => `${i.name}=FILE.npy`).join(',');
}

/**
 * Why the files of a `NAME=PATH,...` argument do not name the model's inputs exactly once each
 * (an unknown name, one given twice, one missing, an empty path), or undefined when they do.
 * `option` is how the user wrote the argument (`--data`), `model` names the model.
 */
export function inputFilesProblem(files: readonly InputFile[], inputs: readonly DataInput[], option: string, model: string): string | undefined {
  const names = inputs.map((i) => i.name);
  const known = `model ${quote(model)} has ${inputs.length === 1 ? 'one input' : `${inputs.length} inputs`} (${describeInputs(inputs)}), a file each: ${inputsForm(inputs)}`;
  const seen = new Set<string>();
  for (const file of files) {
    if (!names.includes(file.name)) return `${option} names input ${quote(file.name)}, which ${quote(model)} does not have; ${known}`;
    if (seen.has(file.name)) return `${option} names input ${quote(file.name)} twice; ${known}`;
    if (file.path === '') return `${option} gives input ${quote(file.name)} no file; ${known}`;
    seen.add(file.name);
  }
  const missing = names.filter((n) => !seen.has(n));
  if (missing.length > 0) return `${option} gives no file for input${missing.length === 1 ? '' : 's'} ${missing.map(quote).join(', ')}; ${known}`;
  return undefined;
}
