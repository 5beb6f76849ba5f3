// A well-formedness check for generated SVG: every tag closed in order, one root <svg>.
// Enough to catch a truncated or mis-nested file; the text checks say what it draws.
export function svgProblems(svg: string): string[] {
  const problems: string[] = [];
  const body = svg.replace(/<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/, '').replace(/<!--[\s\S]*?-->/g, '').trim();
  if (!body.startsWith('<svg')) problems.push('does not start with <svg');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  if (!body.endsWith('</svg>')) problems.push('does not end with </svg>');
  return problems;
}

/** The text content of every <text> element, entities decoded. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    m[1].replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}
