// A module resolution hook that appends every URL Node resolves to the file named by
// SPINAL_TRACE_IMPORTS: which modules a command loads, without touching the code under test.
// Use with `node --import ./test/support/trace-imports.mjs ...`.
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const out = process.env.SPINAL_TRACE_IMPORTS;

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (out) appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}

if (out && !process.env.SPINAL_TRACE_HOOKED) {
  process.env.SPINAL_TRACE_HOOKED = '1';
  register(import.meta.url);
}
