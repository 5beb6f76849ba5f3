// The packages only some commands need. package.json lists them as optionalDependencies
// (installed by default, left out by `npm install --omit=optional`) or as optional
// peerDependencies (installed only when asked for: onnxruntime-node and webgpu, native and large).
// What needs one calls requirePackages() before importing it, so that a missing package ends the
// command with one line naming it and the install command (exit 1), not a stack trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from './cli/errors.js';
import { PACKAGE_ROOT } from './package-root.js';

/** The package groups, by what needs them. */
export const TRAINING_PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'] as const;
export const QUEUE_PACKAGES = ['bullmq', 'ioredis'] as const;
export const LSP_PACKAGES = ['vscode-languageserver', 'vscode-languageserver-textdocument'] as const;

/** A package that is not installed: exit 1, like any other problem with the user's setup. */
export class MissingPackageError extends UserError {
  readonly packages: readonly string[];

  constructor(what: string, packages: readonly string[]) {
    const one = packages.length === 1;
    super(`${what} needs the package${one ? '' : 's'} ${packages.join(', ')}, which ${one ? 'is' : 'are'} not installed: npm install ${packages.map(installSpec).join(' ')}`);
    this.packages = packages;
  }
}

/**
 * Throws MissingPackageError naming every package of `names` that cannot be found from spinal's
 * own folder; `what` says what needs them ("train", "target 'onnx'").
 */
export function requirePackages(what: string, names: readonly string[]): void {
  const missing = names.filter((name) => !installed(name));
  if (missing.length > 0) throw new MissingPackageError(what, missing);
}

function installed(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch (e) {
    // Only "not found" means missing; a package that is there but resolves badly (no entry for
    // `import`, say) fails later where it is imported, with its own error.
    return !isNotFound(e);
  }
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

let ranges: Record<string, string> | undefined;

/** `name@range` with the range package.json asks for, so that a peer gets a version that fits. */
function installSpec(name: string): string {
  if (!ranges) {
    try {
      const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      ranges = { ...manifest.peerDependencies, ...manifest.optionalDependencies };
    } catch {
      ranges = {};
    }
  }
  const range = ranges[name];
  return range === undefined ? name : `${name}@${range}`;
}
