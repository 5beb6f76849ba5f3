// Where `graph --out` and `macs --plot` put a picture: `-` is standard output; a `.png` name
// gets the SVG rasterised (resvg, a maintained renderer shipped prebuilt through npm); any other
// name gets the text as it is. Formats spinal cannot write are refused by name.
import { extname } from 'node:path';
import type { Io } from './io.js';
import { UsageError, UserError } from './errors.js';
import { writeFileAtomic } from '../weights/files.js';
import { WeightsError } from '../tensor/errors.js';
import { requirePackages } from '../optional-packages.js';

/** Extensions of image formats spinal does not write: refused rather than filled with SVG text. */
const UNWRITTEN = new Set(['.jpg', '.jpeg', '.gif', '.webp', '.pdf', '.bmp', '.tif', '.tiff']);

/** Pixels per SVG unit: Graphviz and vega draw at 72 and 96 dpi, small for a screen. */
const PNG_ZOOM = 2;

export function isStdout(dest: string): boolean {
  return dest === '-';
}

export function isPng(dest: string): boolean {
  return extname(dest).toLowerCase() === '.png';
}

/** Refuses, before any work is done, a destination spinal cannot write. */
export function checkPictureDestination(option: string, dest: string): void {
  const ext = extname(dest).toLowerCase();
  if (UNWRITTEN.has(ext)) throw new UsageError(`${option} ${dest}: spinal writes .svg or .png pictures, not ${ext}`);
  if (isPng(dest)) requirePackages(`PNG output (${option} ${dest})`, ['@resvg/resvg-js']);
}

/** Writes `text` (SVG, or another drawing language) to `dest`, as PNG when the name says so. */
export async function writePicture(dest: string, text: string, io: Io): Promise<void> {
  if (isStdout(dest)) {
    io.out(text);
    return;
  }
  const bytes = isPng(dest) ? await svgToPng(text) : new TextEncoder().encode(text);
  try {
    writeFileAtomic(dest, bytes);
  } catch (e) {
    throw e instanceof WeightsError ? new UserError(e.message) : e;
  }
  io.err(`wrote '${dest}'\n`);
}

export async function svgToPng(svg: string): Promise<Uint8Array> {
  requirePackages('PNG output', ['@resvg/resvg-js']);
  const resvg = await import('@resvg/resvg-js');
  const image = new resvg.Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return image.render().asPng();
}
