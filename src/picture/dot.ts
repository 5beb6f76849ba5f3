// A Picture in Graphviz's dot language. Every name and label is a quoted string with its
// quotes and backslashes escaped, so no user text can end a string or inject attributes.
import type { Box, BoxKind, Picture } from './picture.js';

export function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

const STYLE: Record<BoxKind, string> = {
  input: 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
  row: 'shape=box, style="rounded,dashed"',
  sublayer: 'shape=box, style=filled, fillcolor="#fde8d7"',
  dense: 'shape=box, style=filled, fillcolor="#fef3c7"',
  output: 'shape=box, style=filled, fillcolor="#dcfce7"',
  glue: 'shape=box, style=rounded, fontsize=10',
  result: 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
};

function box(b: Box, indent: string): string {
  return `${indent}${quoteDot(b.id)} [label=${quoteDot(b.lines.join('\n'))}, ${STYLE[b.kind]}];`;
}

export function toDot(p: Picture): string {
  const inCluster = new Set(p.clusters.flatMap((c) => c.boxes));
  const byId = new Map(p.boxes.map((b) => [b.id, b]));
  const lines = [
    `digraph ${quoteDot(p.title)} {`,
    `  label=${quoteDot(p.title)}; labelloc=t; fontname="Helvetica"; pad=0.3;`,
    '  rankdir=TB; node [fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9];',
    ...p.boxes.filter((b) => !inCluster.has(b.id)).map((b) => box(b, '  ')),
  ];
  for (const c of p.clusters) {
    lines.push(`  subgraph ${quoteDot(`cluster_${c.id}`)} {`, `    label=${quoteDot(c.title)}; style="rounded"; color="#9ca3af";`);
    lines.push(...c.boxes.map((id) => box(byId.get(id)!, '    ')), '  }');
  }
  lines.push(...p.arrows.map((a) => `  ${quoteDot(a.from)} -> ${quoteDot(a.to)} [label=${quoteDot(a.label)}];`), '}');
  return `${lines.join('\n')}\n`;
}
