// Module resolution hooks for hide-packages.mjs: a bare specifier of a hidden package (or any of
// its subpaths) fails as Node fails for a package that is not installed.
let hidden = new Set();

export function initialize(data) {
  hidden = new Set(String(data?.hidden ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function resolve(specifier, context, next) {
  if (hidden.has(packageName(specifier))) {
    const error = new Error(`Cannot find package '${packageName(specifier)}' imported from ${context.parentURL ?? 'the command line'}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
