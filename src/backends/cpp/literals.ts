// Numbers written into generated C++.

const scratch = new DataView(new ArrayBuffer(4));

function floatFromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

/** The gaps to the float32 values below and above `f` (a finite float32). */
function gaps(f: number): { down: number; up: number } {
  scratch.setFloat32(0, f);
  const bits = scratch.getUint32(0);
  const magnitudeUp = floatFromBits(bits + 1);
  const magnitudeDown = (bits & 0x7fffffff) === 0 ? floatFromBits(1) : floatFromBits(bits - 1);
  const gapAway = Math.abs(magnitudeUp - f);
  const gapToward = Math.abs(f - magnitudeDown);
  return { down: Math.min(gapAway, gapToward), up: Math.max(gapAway, gapToward) };
}

/**
 * A C++ float literal that the compiler turns back into exactly `value` rounded to float32:
 * the shortest decimal that lies well inside the value's rounding interval (9 significant
 * digits always do), so `0.1f`, not `0.100000001f`.
 */
export function floatLiteral(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) throw new Error(`floatLiteral: ${value} is not a finite float32`);
  if (f === 0) return Object.is(f, -0) ? '-0.0f' : '0.0f';
  const margin = 0.49 * gaps(f).down;
  let text = f.toPrecision(9);
  for (let p = 1; p < 9; p++) {
    const candidate = f.toPrecision(p);
    if (Math.abs(Number(candidate) - f) < margin) {
      text = candidate;
      break;
    }
  }
  const plain = text.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
  return `${/[.e]/.test(plain) ? plain : `${plain}.0`}f`;
}

/** A C++ double literal of `value` (shortest round trip, as JavaScript prints it). */
export function doubleLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`doubleLiteral: ${value} is not finite`);
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
