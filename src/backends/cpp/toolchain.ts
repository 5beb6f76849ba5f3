// Building and running generated C++ for `spinal verify`, the tests and the benchmark: headers
// written to a folder, a driver (templates/cpp/driver.cpp.hbs) compiled with the system's C++
// compiler (`$CXX`, else g++), and the driver run on raw float32 files.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Graph } from '../../ir/graph.js';
import type { Weights } from '../../tensor/tensor.js';
import { template } from '../templates.js';
import { cppNames, emitCpp, inputSizeConstants } from './emit.js';

const run = promisify(execFile);

/** The flags every generated header must compile cleanly under. */
export const STRICT_FLAGS: readonly string[] = ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Wshadow', '-Werror', '-pedantic'];
export const SANITIZE_FLAGS: readonly string[] = ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer', '-g'];

export function compilerCommand(): string {
  return process.env.CXX || 'g++';
}

/** Whether a C++ compiler can be run. */
export async function hasCompiler(): Promise<boolean> {
  try {
    await run(compilerCommand(), ['--version']);
    return true;
  } catch {
    return false;
  }
}

export interface DriverModel {
  readonly graph: Graph;
  /** Compiled into the header, for `run` with weights "-". */
  readonly weights?: Weights;
}

export interface BuildOptions {
  /** Compiler flags beyond STRICT_FLAGS, e.g. ['-march=native'] or SANITIZE_FLAGS. */
  readonly flags?: readonly string[];
}

/**
 * Writes every model's header and the driver into `dir`, compiles it, and returns the driver's
 * path. With SPINAL_CXX_CACHE naming a folder, a driver compiled before from the same sources
 * with the same compiler and flags is copied from there instead (the test suite sets one per run).
 */
export async function buildDriver(dir: string, models: readonly DriverModel[], options: BuildOptions = {}): Promise<string> {
  const sources = new Map<string, string>();
  for (const [i, m] of models.entries()) sources.set(`m${i}_${cppNames(m.graph).file}`, emitCpp(m.graph, { weights: m.weights }));
  sources.set('driver.cpp', template('cpp', 'driver.cpp.hbs')({
    headers: [...sources.keys()],
    models: models.map((m) => ({ ns: cppNames(m.graph).namespace, sizes: inputSizeConstants(m.graph), embedded: m.weights !== undefined })),
  }));
  for (const [name, text] of sources) await writeFile(join(dir, name), text);
  const flags = [...STRICT_FLAGS, ...(options.flags ?? []), '-pthread'];
  const binary = join(dir, 'driver');
  const cache = process.env.SPINAL_CXX_CACHE;
  if (!cache) {
    await compile(join(dir, 'driver.cpp'), binary, flags);
    return binary;
  }
  const key = createHash('sha256').update(JSON.stringify([compilerCommand(), flags, [...sources]])).digest('hex');
  const cached = join(cache, key);
  if (!existsSync(cached)) {
    await mkdir(cache, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    await compile(join(dir, 'driver.cpp'), partial, flags);
    // A rename is atomic: a process that finds the entry finds it whole.
    await rename(partial, cached);
  }
  await copyFile(cached, binary);
  return binary;
}

async function compile(source: string, binary: string, flags: readonly string[]): Promise<void> {
  try {
    await run(compilerCommand(), [...flags, source, '-o', binary], { maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`the generated C++ did not compile (${compilerCommand()} ${flags.join(' ')}):\n${err.stderr ?? err.message}`);
  }
}

/** Numbers each run's files, so that runs of one driver may overlap. */
let calls = 0;

export interface RunOptions {
  /** The safetensors file, or undefined for the weights compiled into the header. */
  readonly weightsPath?: string;
  readonly capacity?: number;
  readonly threads?: number;
}

/**
 * Runs model `index` of a driver on x ([batch, inputs], a multi-input model's inputs side by side
 * in each row) and returns y ([batch, outputs]).
 */
export async function runDriver(binary: string, index: number, x: Float32Array, batch: number, options: RunOptions = {}): Promise<Float32Array> {
  const dir = dirname(binary);
  const call = ++calls;
  const [xPath, yPath] = [join(dir, `x${index}-${call}.bin`), join(dir, `y${index}-${call}.bin`)];
  await writeFile(xPath, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  const args = ['run', String(index), options.weightsPath ?? '-', xPath, String(batch), String(options.capacity ?? batch), String(options.threads ?? 1), yPath];
  try {
    await run(binary, args, { maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`the generated C++ failed: ${err.stderr || err.message}`);
  }
  const bytes = await readFile(yPath);
  await Promise.all([rm(xPath), rm(yPath)]);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export interface LoadResult {
  readonly ok: boolean;
  /** The loader's message when it refused the file (line breaks restored). */
  readonly message: string;
}

/** Loads each file with model `index` of a driver, in one process. */
export async function loadWithDriver(binary: string, index: number, paths: readonly string[]): Promise<LoadResult[]> {
  const { stdout } = await run(binary, ['load', String(index), ...paths], { maxBuffer: 64 << 20 });
  const lines = stdout.split('\n').slice(0, -1);
  if (lines.length !== paths.length) throw new Error(`the driver answered ${lines.length} lines for ${paths.length} files:\n${stdout}`);
  return lines.map((line) =>
    line === 'ok' ? { ok: true, message: '' } : { ok: false, message: line.replace(/^refused: /, '').replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) },
  );
}
