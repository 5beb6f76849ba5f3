// node:url in the page: a module's URL (http:) stands for a path under the embedded '/dist/web'.
export function fileURLToPath(url: string | URL): string {
  const name = String(url).split('/').pop() ?? 'index.js';
  return `/dist/web/${name}`;
}
export default { fileURLToPath };
