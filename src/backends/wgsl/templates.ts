// The handlebars templates under templates/wgsl/, compiled once. The folder sits three levels
// above this module both in src/ and in dist/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates', 'wgsl');

export type Render = (context: object) => string;

let engine: typeof Handlebars | undefined;

function instance(): typeof Handlebars {
  if (!engine) {
    // Generated code, not HTML: nothing is entity-escaped. Every value put into a template is a
    // number or text the compiler made safe (see names.ts).
    engine = Handlebars.create();
    engine.registerPartial('dense', source('dense.wgsl.hbs'));
  }
  return engine;
}

function source(file: string): string {
  return readFileSync(join(TEMPLATE_DIR, file), 'utf8');
}

const compiled = new Map<string, Render>();

export function template(file: string): Render {
  let render = compiled.get(file);
  if (!render) {
    render = instance().compile(source(file), { noEscape: true, strict: true });
    compiled.set(file, render);
  }
  return render;
}
