// node:fs in the page: the files the build embedded (the package's package.json and templates/,
// under '/'), read-only. Anything else does not exist.
import { FILES } from 'spinal:embedded-files';

function missing(path: string): Error {
  return Object.assign(new Error(`ENOENT: '${path}' is not part of the playground`), { code: 'ENOENT' });
}

export function existsSync(path: string): boolean {
  return path in FILES || readdirSync(path, true).length > 0;
}

export function readFileSync(path: string): string {
  const text = FILES[path];
  if (text === undefined) throw missing(path);
  return text;
}

export function readdirSync(dir: string, quiet = false): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const names = new Set(Object.keys(FILES).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0]));
  if (names.size === 0 && !quiet) throw missing(dir);
  return [...names].sort();
}

function unavailable(): never {
  throw new Error('files cannot be opened in the playground');
}
export const closeSync = unavailable;
export const fstatSync = unavailable;
export const openSync = unavailable;
export const readSync = unavailable;
export default { existsSync, readFileSync, readdirSync, closeSync, fstatSync, openSync, readSync };
