// Number formatting for tables and generated code's comments: exact integers with thousands
// separators.

// One formatter for every call: toLocaleString with options builds a new one each time, which
// dominates drawing a graph of thousands of layers.
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function int(n: number | bigint): string {
  return INTEGER.format(n);
}

export function ratio(r: number): string {
  return `${r.toFixed(3)}x`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A fraction as a percentage with two decimals: 0.97531 -> "97.53%". */
export function percent(f: number): string {
  return `${(f * 100).toFixed(2)}%`;
}

/** A model's inputs for a title: `784` for one, `pixels 784 + conv1 1,440 + conv2 320` for several. */
export function inputsText(inputs: readonly { readonly name: string; readonly size: number }[]): string {
  return inputs.length === 1 ? int(inputs[0].size) : inputs.map((i) => `${i.name} ${int(i.size)}`).join(' + ');
}
