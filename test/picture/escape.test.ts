import { describe, expect, it } from 'vitest';
import { quoteDot, toDot } from '../../src/picture/dot.js';
import { escapeMermaid, toMermaid } from '../../src/picture/mermaid.js';
import { dotToSvg } from '../../src/picture/svg.js';
import type { Picture } from '../../src/picture/picture.js';

const hostile = 'a "quoted" \\ name\nwith ]] |pipes| <b> #1 & `tick`';
const picture: Picture = {
  title: hostile,
  boxes: [
    { id: 'x"; evil [shape=star]', kind: 'input', lines: [hostile] },
    { id: 'y', kind: 'output', lines: ['out'] },
  ],
  arrows: [{ from: 'x"; evil [shape=star]', to: 'y', label: hostile }],
  clusters: [],
};

describe('escaping user text', () => {
  it('dot: quotes and backslashes cannot end a string', async () => {
    expect(quoteDot('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    // Graphviz parses it and keeps the text as written: the id stays a name, not an attribute list
    const svg = await dotToSvg(toDot(picture));
    expect(svg).toContain('a &quot;quoted&quot; \\ name');
    expect(svg).toContain('<title>x&quot;; evil [shape=star]</title>');
    expect(svg.match(/class="node"/g)).toHaveLength(2);
  });

  it('mermaid: the characters that end or break a label become entity codes', () => {
    expect(escapeMermaid('say "hi" <b> | #1 & `x`')).toBe('say #34;hi#34; #60;b#62; #124; #35;1 #38; #96;x#96;');
    const text = toMermaid(picture);
    const labels = [...text.matchAll(/\["([^"]*)"\]|\|"([^"]*)"\|/g)];
    expect(labels.length).toBe(3);
    expect(text).not.toMatch(/\[shape=star\]/);
    expect(text.split('\n')[1]).toBe(`title: ${JSON.stringify(hostile)}`);
  });
});
