// JSON.parse keeps the last of two equal keys without a word. A weights file with a tensor
// listed twice is ambiguous, so the raw header text is scanned for repeated keys.

export interface DuplicateKey {
  readonly key: string;
  /** The top-level key (tensor name) of the object holding the duplicate; undefined at top level. */
  readonly within: string | undefined;
}

interface Frame {
  /** Keys seen so far in this object; undefined for arrays. */
  readonly keys: Set<string> | undefined;
  readonly within: string | undefined;
}

/**
 * The first repeated key of any object in `json`, which must already be valid JSON (the scan
 * relies on that). Iterative, so deep nesting cannot overflow the stack.
 */
export function findDuplicateKey(json: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  let lastTopKey: string | undefined;
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      const end = stringEnd(json, i);
      const top = stack[stack.length - 1];
      if (top?.keys && nextNonSpace(json, end) === ':') {
        const key = JSON.parse(json.slice(i, end)) as string;
        if (top.keys.has(key)) return { key, within: top.within };
        top.keys.add(key);
        if (stack.length === 1) lastTopKey = key;
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      const within = stack.length === 0 ? undefined : stack.length === 1 ? lastTopKey : stack[stack.length - 1].within;
      stack.push({ keys: c === '{' ? new Set() : undefined, within });
    } else if (c === '}' || c === ']') {
      stack.pop();
    }
    i++;
  }
  return undefined;
}

/** Index just past the closing quote of the string starting at `start`. */
function stringEnd(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
  return i + 1;
}

function nextNonSpace(json: string, from: number): string | undefined {
  let i = from;
  while (i < json.length && (json[i] === ' ' || json[i] === '\t' || json[i] === '\n' || json[i] === '\r')) i++;
  return json[i];
}

/** A size or offset in a header written other than as digits: `3.0`, `3e0`, `-0`. */
export interface MiswrittenCount {
  /** The tensor whose entry holds it. */
  readonly tensor: string;
  readonly field: 'shape' | 'data_offsets';
  /** The number as the file writes it. */
  readonly text: string;
}

/**
 * The first number in a tensor's `shape` or `data_offsets` that is not written as a plain
 * non-negative integer. JSON.parse reads `236.0` as 236 and `-0` as 0, so only the text tells;
 * the format (and the C++ loader) wants digits. `json` must already be valid JSON.
 */
export function findMiswrittenCount(json: string): MiswrittenCount | undefined {
  // The key most recently read at each depth of objects; arrays push undefined.
  const keys: (string | undefined)[] = [];
  const inObject: boolean[] = [];
  let pendingKey: string | undefined;
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      const end = stringEnd(json, i);
      if (inObject[inObject.length - 1] && nextNonSpace(json, end) === ':') pendingKey = JSON.parse(json.slice(i, end)) as string;
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      keys.push(pendingKey);
      inObject.push(c === '{');
      pendingKey = undefined;
    } else if (c === '}' || c === ']') {
      keys.pop();
      inObject.pop();
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i;
      while (end < json.length && /[-+.eE0-9]/.test(json[end])) end++;
      const text = json.slice(i, end);
      // Depth 3: the header object, a tensor's entry, and its shape or data_offsets list.
      const field = keys[2];
      if (keys.length === 3 && !inObject[2] && (field === 'shape' || field === 'data_offsets') && keys[1] !== undefined && keys[1] !== '__metadata__' && !/^[0-9]+$/.test(text)) {
        return { tensor: keys[1], field, text };
      }
      i = end;
      continue;
    }
    i++;
  }
  return undefined;
}
