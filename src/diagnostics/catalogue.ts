// The one catalogue of diagnostic codes. Codes are stable: never renumber, only add.
// Each entry has a title and a minimal example file that triggers it (tested). Entries marked
// `severity: 'warning'` are lint warnings: the model compiles, but is likely not what was meant
// (`--deny-warnings` turns them into errors).

export const CATALOGUE = {
  SPN001: { title: 'unexpected character', example: 'model m { input 4 $ output 2 }' },
  SPN002: { title: 'syntax error', example: 'model m { input 4 output }' },
  SPN003: { title: 'misspelled keyword', example: 'model m { input 4 dens 3 output 2 }' },
  SPN004: { title: 'reserved keyword used as a name', example: 'model m(width = 3) { input 4 output 2 }' },
  SPN005: { title: 'number out of range', example: 'model m { input 1e400 output 2 }' },
  SPN006: { title: 'file too large', example: '' },
  SPN010: { title: 'duplicate model name', example: 'model m { input 4 output 2 }\nmodel m { input 4 output 2 }' },
  SPN011: { title: 'unknown base model', example: 'model v = nothere()' },
  SPN012: { title: 'variant cycle', example: 'model a = b()\nmodel b = a()' },
  SPN013: { title: 'unknown parameter', example: 'model m(w = 3) { input 4 dense w output 2 }\nmodel v = m(x = 1)' },
  SPN014: { title: 'duplicate parameter', example: 'model m(w = 3, w = 4) { input 4 output 2 }' },
  SPN015: { title: 'unknown name', example: 'model m { input 4 dense width2 output 2 }' },
  SPN020: { title: 'missing input', example: 'model m { dense 4 output 2 }' },
  SPN021: { title: 'input is not first', example: 'model m { dense 4 input 4 output 2 }' },
  SPN022: { title: 'duplicate input', example: 'model m { input 4 input 4 output 2 }' },
  SPN023: { title: 'missing output', example: 'model m { input 4 dense 3 }' },
  SPN024: { title: 'output is not last', example: 'model m { input 4 output 2 dense 3 }' },
  SPN025: { title: 'duplicate output', example: 'model m { input 4 output 2 output 2 }' },
  SPN030: { title: 'not a positive integer', example: 'model m { input 4 dense 2.5 output 2 }' },
  SPN031: { title: 'dropout out of range', example: 'model m { input 4 dropout 1 output 2 }' },
  SPN032: { title: 'size too large', example: 'model m { input 100000000000 output 2 }' },
  SPN040: { title: 'spinal block without width', example: 'model m { input 4 spinal { layers 2 } output 2 }' },
  SPN041: { title: 'spinal block without layers', example: 'model m { input 4 spinal { width 2 } output 2 }' },
  SPN042: { title: 'setting given twice in a spinal block', example: 'model m { input 4 spinal { width 2 width 3 layers 2 } output 2 }' },
  SPN043: { title: 'empty split row', example: 'model m { input 2 spinal { split 1:1:1 width 2 layers 2 } output 2 }' },
  SPN044: { title: 'interleaved split with unequal ratios', example: 'model m { input 8 spinal { split 1:2 interleaved width 2 layers 2 } output 2 }' },
  SPN045: { title: 'invalid tie', example: 'model m { input 8 spinal { width 2 layers 4 tie 2..4 to 3 } output 2 }' },
  SPN046: { title: 'tied sub-layers of different shapes', example: 'model m { input 8 spinal { width 2 layers 3 tie 2 to 1 } output 2 }' },
  SPN050: { title: 'model too large', example: 'model m { input 1000000 dense 1000000 dense 1000000 output 2 }' },
  SPN051: { title: 'too many layers', example: 'model m { input 4 spinal { width 2 layers 100000 } output 2 }' },
  SPN052: { title: 'too many layers in one file', example: 'model m { input 4 spinal { width 1 layers 4096 } output 2 }\nmodel v1 = m() model v2 = m() model v3 = m() model v4 = m() model v5 = m() model v6 = m() model v7 = m() model v8 = m() model v9 = m() model v10 = m() model v11 = m() model v12 = m() model v13 = m() model v14 = m() model v15 = m() model v16 = m()' },
  SPN060: { title: 'rows no sub-layer reads', severity: 'warning', example: 'model m { input 8 spinal { split 1:1:1:1 width 2 layers 2 } output 2 }' },
  SPN061: { title: 'softmax or log_softmax before the output layer', severity: 'warning', example: 'model m { input 8 dense 4 softmax output 2 }' },
  SPN062: { title: 'split rows of very unequal size', severity: 'warning', example: 'model m { input 12 spinal { split 1:5 width 2 layers 2 } output 2 }' },
} as const satisfies Record<string, { title: string; example: string; severity?: 'warning' }>;

export type Code = keyof typeof CATALOGUE;

/** The codes of lint warnings. */
export type WarningCode = { [K in Code]: (typeof CATALOGUE)[K] extends { severity: 'warning' } ? K : never }[Code];

/** A code's severity: 'error' unless the catalogue marks it as a warning. */
export function severityOf(code: Code): 'error' | 'warning' {
  const entry = CATALOGUE[code];
  return 'severity' in entry ? entry.severity : 'error';
}
