// The handlebars templates under templates/<folder>/ (one folder a backend), read and compiled
// once. Every template of a folder may use its siblings as partials, by the file name up to its
// first dot (`{{> dense}}` is templates/wgsl/dense.wgsl.hbs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../package-root.js';

export type Render = (context: object) => string;

const TEMPLATES = join(PACKAGE_ROOT, 'templates');

/** A file under templates/<folder>/, as text (for sources copied verbatim, like the C++ runtime). */
export function templateText(folder: string, file: string): string {
  return readFileSync(join(TEMPLATES, folder, file), 'utf8');
}

const engines = new Map<string, typeof Handlebars>();
const compiled = new Map<string, Render>();

function engine(folder: string): typeof Handlebars {
  let e = engines.get(folder);
  if (!e) {
    e = Handlebars.create();
    for (const file of readdirSync(join(TEMPLATES, folder)).filter((f) => f.endsWith('.hbs'))) {
      e.registerPartial(file.slice(0, file.indexOf('.')), templateText(folder, file));
    }
    engines.set(folder, e);
  }
  return e;
}

/**
 * The template templates/<folder>/<file>, compiled. Generated code, not HTML: nothing is
 * entity-escaped, so every value a backend passes in must be a number or text it made safe for
 * its language; `strict` makes a missing value an error instead of an empty string.
 */
export function template(folder: string, file: string): Render {
  const key = `${folder}/${file}`;
  let render = compiled.get(key);
  if (!render) {
    render = engine(folder).compile(templateText(folder, file), { noEscape: true, strict: true });
    compiled.set(key, render);
  }
  return render;
}
