// dot to SVG with Graphviz compiled to WebAssembly: no system binary needed.
import { Graphviz } from '@hpcc-js/wasm-graphviz';

export async function dotToSvg(dot: string): Promise<string> {
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}
