// node:os in the page: the memory the browser reports (navigator.deviceMemory, in GiB, capped
// at 8 by browsers), or 4 GiB where it reports none.
const GIB = 1024 ** 3;
export function totalmem(): number {
  const reported = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return (reported ?? 4) * GIB;
}
export default { totalmem };
