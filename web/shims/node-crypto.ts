// node:crypto in the page: createHash('sha256') over UTF-8 text, hex digest (FIPS 180-4).
const K = new Uint32Array(64);
const INITIAL = new Uint32Array(8);
{
  // The constants are the fractional parts of the cube roots (K) and square roots (H) of the primes.
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const frac = (x: number): number => Math.floor((x - Math.floor(x)) * 2 ** 32) >>> 0;
  primes.forEach((p, i) => { K[i] = frac(Math.cbrt(p)); if (i < 8) INITIAL[i] = frac(Math.sqrt(p)); });
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

function sha256(bytes: Uint8Array): Uint8Array {
  const length = Math.ceil((bytes.length + 9) / 64) * 64;
  const data = new Uint8Array(length);
  data.set(bytes);
  data[bytes.length] = 0x80;
  const view = new DataView(data.buffer);
  view.setUint32(length - 8, Math.floor((bytes.length * 8) / 2 ** 32));
  view.setUint32(length - 4, (bytes.length * 8) >>> 0);
  const h = INITIAL.slice();
  const w = new Uint32Array(64);
  for (let block = 0; block < length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => { h[i] = (h[i] + v) >>> 0; });
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}

export function createHash(algorithm: string) {
  if (algorithm !== 'sha256') throw new Error(`only sha256 is available in the playground, not ${algorithm}`);
  const parts: Uint8Array[] = [];
  const hash = {
    update(text: string | Uint8Array) {
      parts.push(typeof text === 'string' ? new TextEncoder().encode(text) : text);
      return hash;
    },
    digest(encoding: 'hex') {
      if (encoding !== 'hex') throw new Error('only hex digests are available in the playground');
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { all.set(p, at); at += p.length; }
      return [...sha256(all)].map((b) => b.toString(16).padStart(2, '0')).join('');
    },
  };
  return hash;
}
export default { createHash };
