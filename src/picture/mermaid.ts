// A Picture as a mermaid flowchart. Node ids are generated (n0, n1, ...) since IR ids hold dots;
// labels are quoted with mermaid's entity codes for the characters that would end or break them.
import type { BoxKind, Picture } from './picture.js';

export function escapeMermaid(text: string): string {
  return text.replace(/[#"<>&|`]/g, (c) => `#${c.charCodeAt(0)};`);
}

const label = (lines: readonly string[]) => `"${lines.flatMap((l) => l.split('\n')).map(escapeMermaid).join('<br/>')}"`;

const CLASS: Record<BoxKind, string> = {
  input: 'fill:#e8f0fe', row: 'stroke-dasharray:4 3', sublayer: 'fill:#fde8d7',
  dense: 'fill:#fef3c7', output: 'fill:#dcfce7', glue: 'fill:#ffffff', result: 'fill:#e8f0fe',
};

export function toMermaid(p: Picture): string {
  const id = new Map(p.boxes.map((b, i) => [b.id, `n${i}`]));
  const inCluster = new Set(p.clusters.flatMap((c) => c.boxes));
  const byId = new Map(p.boxes.map((b) => [b.id, b]));
  const node = (boxId: string, indent: string) => `${indent}${id.get(boxId)}[${label(byId.get(boxId)!.lines)}]:::${byId.get(boxId)!.kind}`;
  // The front matter is YAML: a JSON string is a valid YAML double-quoted scalar.
  const lines = ['---', `title: ${JSON.stringify(p.title)}`, '---', 'flowchart TB'];
  lines.push(...p.boxes.filter((b) => !inCluster.has(b.id)).map((b) => node(b.id, '  ')));
  p.clusters.forEach((c, i) => {
    lines.push(`  subgraph c${i}[${label([c.title])}]`, ...c.boxes.map((b) => node(b, '    ')), '  end');
  });
  lines.push(...p.arrows.map((a) => `  ${id.get(a.from)} -->|${label([a.label])}| ${id.get(a.to)}`));
  lines.push(...Object.entries(CLASS).map(([kind, style]) => `  classDef ${kind} ${style}`));
  return `${lines.join('\n')}\n`;
}
