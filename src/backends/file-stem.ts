// The file stem for a model's output files, the same rule for every backend: portable across
// file systems and never a path. Spinal names are identifiers already, but a graph built through
// the API may carry any string, and a valid name can still be a Windows device name (`con`).
// - every character outside [A-Za-z0-9_] becomes `_` (no separators, no `..`); a leading digit
//   gets a `_` prefix; an empty name becomes `model`;
// - a stem that is a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, any case) gets a
//   `_` suffix.

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

export function wordChars(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (cleaned === '') return 'model';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

export function fileStem(modelName: string): string {
  const stem = wordChars(modelName);
  return WINDOWS_DEVICE.test(stem) ? `${stem}_` : stem;
}
