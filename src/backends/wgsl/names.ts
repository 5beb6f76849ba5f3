// Names in generated code. Identifiers are made by the compiler from layer names it chose
// itself (`spinal1.sub2`), prefixed so they can never meet a WGSL or TypeScript keyword; text in
// comments is reduced to characters that cannot end a comment or a line.

/** `spinal1.sub2` -> `layer_spinal1_sub2`. */
export function layerIdentifier(layer: string): string {
  return `layer_${layer.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

/** Text safe inside a `//` or `/* *\/` comment: letters, digits and a little punctuation. */
export function commentText(text: string): string {
  return text.replace(/[^A-Za-z0-9_.,:;=+\-()[\] ]/g, '?');
}
