// Turning model and layer names into names the generated module can use.
//
// Model names are spinal identifiers already ([A-Za-z_][A-Za-z0-9_]*), but a graph built through
// the API may carry any string, and a valid spinal name can still be a JavaScript reserved word
// (`delete`) or a device name Windows will not create a file for (`con`). The rules:
// - every character outside [A-Za-z0-9_] becomes `_`; a leading digit gets a `_` prefix; an
//   empty name becomes `model`;
// - an identifier that is a JavaScript/TypeScript reserved word gets a `_` suffix;
// - a file stem follows the rule every backend shares (../file-stem.ts).
import { fileStem, wordChars } from '../file-stem.js';
import { NamePool } from '../name-pool.js';

export { fileStem };

const RESERVED_WORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof',
  'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'implements', 'interface', 'let', 'package', 'private', 'protected', 'public',
  'static', 'yield', 'await', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
]);


/** A valid JavaScript identifier for `name`. */
export function identifier(name: string): string {
  const id = wordChars(name);
  return RESERVED_WORDS.has(id) ? `${id}_` : id;
}

/** Hands out identifiers for graph node ids, never the same one twice, never a taken one. */
export class IdentifierPool {
  private readonly pool: NamePool;

  constructor(taken: Iterable<string> = []) {
    this.pool = new NamePool(taken);
  }

  /** `spinal1.sub2` -> `spinal1_sub2`; a clash gets `_2`, `_3`, ... */
  take(name: string): string {
    return this.pool.take(identifier(name));
  }
}

/** `.name`, or `['name']` for a name that is no identifier (a graph built through the API may carry any string). */
export function propertyAccess(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${quote(name)}]`;
}

/** A single-quoted JavaScript string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
