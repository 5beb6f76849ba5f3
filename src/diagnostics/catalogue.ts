// The one catalogue of diagnostic codes. Codes are stable: never renumber, only add.
// Each entry has a title, a minimal example file that triggers it (tested), and the wording of
// what is reported: its message template and hint template (see wording.ts for `{name}`
// placeholders and `{n|one|other}` plurals). A message whose shape varies by case has named
// variants; `parts` are pieces that a message argument is built from. Call sites pass the code,
// the arguments and which variant; the words live here. Entries marked `severity: 'warning'` are
// lint warnings: the model compiles, but is likely not what was meant (`--deny-warnings` turns
// them into errors).

export const CATALOGUE = {
  SPN001: {
    title: 'unexpected character', example: 'model m { input 4 $ output 2 }',
    message: 'unexpected character {char}',
    hint: {
      negative: 'numbers are never negative in a .spinal file',
      fraction: 'a number starts with a digit: write 0.{digits}',
      nonAscii: 'names are ASCII letters, digits and _',
      other: 'names are letters, digits and _; comments start with # or //',
    },
  },
  SPN002: {
    title: 'syntax error', example: 'model m { input 4 output }',
    message: {
      expected: 'expected {expected}, found {found}',
      newModel: "expected 'model' to start a new model, found {found}",
      emptyParams: "a parameter list needs at least one parameter ('name = value'), found {found}; a model without parameters has no '()'",
      atLeastOne: 'expected at least one of {expected}, found {found}',
    },
    hint: { keyword: "'{word}' is a keyword; a number or a parameter's name goes here" },
    parts: { endOfFile: 'the end of the file', nothing: 'nothing', alternatives: '{first} or {last}' },
  },
  SPN003: {
    title: 'misspelled keyword', example: 'model m { input 4 dens 3 output 2 }',
    message: "unknown keyword '{word}'",
    hint: "did you mean '{guess}'?",
  },
  SPN004: {
    title: 'reserved keyword used as a name', example: 'model m(width = 3) { input 4 output 2 }',
    message: "'{word}' is a reserved keyword and cannot be used as a name",
    hint: "choose another name, such as '{word}_'",
  },
  SPN005: {
    title: 'number out of range', example: 'model m { input 1e400 output 2 }',
    message: 'the number {text} is too large to represent',
  },
  SPN006: {
    title: 'file too large', example: '',
    message: 'file is {length} characters long; the limit is {limit}',
    hint: 'a .spinal file describes models in a few lines; is this the right file?',
  },
  SPN010: {
    title: 'duplicate model name', example: 'model m { input 4 output 2 }\nmodel m { input 4 output 2 }',
    message: "model '{name}' is already declared on line {line}",
    hint: 'give each model and variant its own name',
  },
  SPN011: {
    title: 'unknown base model', example: 'model v = nothere()',
    message: "no model named '{name}'",
    hint: { didYouMean: "did you mean '{guess}'?", declare: "declare 'model {name} { ... }' first" },
  },
  SPN012: {
    title: 'variant cycle', example: 'model a = b()\nmodel b = a()',
    message: {
      short: "variant '{name}' derives from itself: {path}",
      long: "variant '{name}' derives from itself: {path} -> ... -> '{name}' ({length} variants)",
    },
    hint: 'a chain of variants must end at a model with a body',
  },
  SPN013: {
    title: 'unknown parameter', example: 'model m(w = 3) { input 4 dense w output 2 }\nmodel v = m(x = 1)',
    message: "model '{model}' has no parameter '{name}'",
    hint: { didYouMean: "did you mean '{guess}'?", parameters: "'{model}' has parameters {parameters}", none: "'{model}' has no parameters" },
  },
  SPN014: {
    title: 'duplicate parameter', example: 'model m(w = 3, w = 4) { input 4 output 2 }',
    message: "parameter '{name}' is given twice",
  },
  SPN015: {
    title: 'unknown name', example: 'model m { input 4 dense width2 output 2 }',
    message: "unknown name '{name}'",
    hint: {
      didYouMean: "did you mean '{guess}'?",
      inScope: 'parameters in scope: {parameters}',
      declare: 'declare it as a parameter: model name({name} = ...) { ... }',
    },
  },
  SPN020: {
    title: 'missing input', example: 'model m { dense 4 output 2 }',
    message: "model '{name}' has no 'input' statement",
    hint: "start the body with 'input N', N the number of features",
  },
  SPN021: {
    title: 'input is not first', example: 'model m { dense 4 input 4 output 2 }',
    message: "'input' must be the first statement of a model",
    hint: 'move it to the top of the body',
  },
  SPN022: {
    title: 'duplicate input', example: 'model m { input 4 input 4 output 2 }',
    message: "'input' is given twice; the first is on line {line}",
  },
  SPN023: {
    title: 'missing output', example: 'model m { input 4 dense 3 }',
    message: "model '{name}' has no 'output' statement",
    hint: "end the body with 'output N', N the number of outputs",
  },
  SPN024: {
    title: 'output is not last', example: 'model m { input 4 output 2 dense 3 }',
    message: "'output' must be the last statement of a model",
    hint: 'move it to the end of the body',
  },
  SPN025: {
    title: 'duplicate output', example: 'model m { input 4 output 2 output 2 }',
    message: "'output' is given twice; the first is on line {line}",
  },
  SPN030: {
    title: 'not a positive integer', example: 'model m { input 4 dense 2.5 output 2 }',
    message: '{what} must be a positive integer, got {value}{from}',
    hint: { round: 'use {rounded}' },
  },
  SPN031: {
    title: 'dropout out of range', example: 'model m { input 4 dropout 1 output 2 }',
    message: 'dropout probability must be at least 0 and below 1, got {value}{from}',
    hint: 'a probability such as 0.5',
  },
  SPN032: {
    title: 'size too large', example: 'model m { input 100000000000 output 2 }',
    message: '{what} {value}{from} is larger than the limit {max}',
  },
  SPN040: {
    title: 'spinal block without width', example: 'model m { input 4 spinal { layers 2 } output 2 }',
    message: "spinal block has no 'width'",
    hint: "add 'width N': the neurons of each sub-layer",
  },
  SPN041: {
    title: 'spinal block without layers', example: 'model m { input 4 spinal { width 2 } output 2 }',
    message: "spinal block has no 'layers'",
    hint: "add 'layers N': the number of sub-layers",
  },
  SPN042: {
    title: 'setting given twice in a spinal block', example: 'model m { input 4 spinal { width 2 width 3 layers 2 } output 2 }',
    message: "'{setting}' is given twice in this spinal block; the first is on line {line}",
    hint: 'keep one',
  },
  SPN043: {
    title: 'empty split row', example: 'model m { input 2 spinal { split 1:1:1 width 2 layers 2 } output 2 }',
    message: 'row {row} of {rows} would be empty: {features} features split {ratios} gives rows of {sizes}',
    hint: 'use at most {features} rows, or a larger layer before the block',
  },
  SPN044: {
    title: 'interleaved split with unequal ratios', example: 'model m { input 8 spinal { split 1:2 interleaved width 2 layers 2 } output 2 }',
    message: 'an interleaved split deals features out in turn, so its ratios must be equal, got {ratios}',
    hint: "use {equal} interleaved, or drop 'interleaved'",
  },
  SPN045: {
    title: 'invalid tie', example: 'model m { input 8 spinal { width 2 layers 4 tie 2..4 to 3 } output 2 }',
    message: {
      outOfRange: 'sub-layer {sub} is out of range: the block has {layers} {layers|sub-layer|sub-layers}',
      empty: 'the range {first}..{last} is empty',
      self: 'sub-layer {owner} cannot be tied to itself',
      twice: 'sub-layer {sub} is tied twice; the first tie is on line {line}',
      chained: 'sub-layer {owner} is itself tied to sub-layer {root}, so it has no weights of its own',
    },
    hint: {
      outOfRange: 'tie sub-layers 1 to {layers}',
      empty: 'write the lower sub-layer first: tie {last}..{first} to {owner}',
      self: 'tie the other sub-layers to {owner}',
      twice: 'tie each sub-layer once',
      chained: 'tie to {root} instead',
    },
  },
  SPN046: {
    title: 'tied sub-layers of different shapes', example: 'model m { input 8 spinal { width 2 layers 3 tie 2 to 1 } output 2 }',
    message: 'tied sub-layers need weights of one shape: {wrong}, {owner}',
    hint: {
      firstSubLayer: 'sub-layer 1 reads its row alone; tie it only to a sub-layer whose row is smaller by the width',
      rows: 'tie sub-layers whose rows have the same size',
    },
    parts: {
      reads: 'sub-layer {sub} reads {features} {features|feature|features} ({source})',
      rowAlone: 'row 1 alone',
      rowAndPrevious: "row {row} and sub-layer {previous}'s {width}",
    },
  },
  SPN050: {
    title: 'model too large', example: 'model m { input 1000000 dense 1000000 dense 1000000 output 2 }',
    message: {
      macs: "model '{name}' needs {count} multiply-accumulates, more than the limit {max}",
      parameters: "model '{name}' needs {count} parameters, more than the limit {max}",
    },
    hint: {
      macs: 'use smaller sizes or widths: the limit on multiply-accumulates keeps every count exact, and {parameterLimit} does not change it',
      parameters: 'use smaller sizes or widths, or raise the limit with {parameterLimit}',
    },
  },
  SPN051: {
    title: 'too many layers', example: 'model m { input 4 spinal { width 2 layers 100000 } output 2 }',
    message: '{what} {value}{from} is larger than the limit {max}',
  },
  SPN052: {
    title: 'too many layers in one file',
    example: 'model m { input 4 spinal { width 1 layers 4096 } output 2 }\nmodel v1 = m() model v2 = m() model v3 = m() model v4 = m() model v5 = m() model v6 = m() model v7 = m() model v8 = m() model v9 = m() model v10 = m() model v11 = m() model v12 = m() model v13 = m() model v14 = m() model v15 = m() model v16 = m()',
    message: "with '{name}' this file declares {layers} layers, more than the limit {max}",
    hint: 'split the models over several files, or use fewer variants',
  },
  SPN060: {
    title: 'rows no sub-layer reads', severity: 'warning', example: 'model m { input 8 spinal { split 1:1:1:1 width 2 layers 2 } output 2 }',
    message: {
      lastRow: '{layers} {layers|sub-layer|sub-layers} read only the first {layers} of {rows} rows: row {rows} ({unread} {unread|feature|features}) feeds nothing',
      lastRows: '{layers} {layers|sub-layer|sub-layers} read only the first {layers} of {rows} rows: rows {from} to {rows} ({unread} {unread|feature|features}) feed nothing',
    },
    hint: "use 'layers {rows}' or more, or split into {layers} {layers|row|rows}",
  },
  SPN061: {
    title: 'softmax or log_softmax before the output layer', severity: 'warning', example: 'model m { input 8 dense 4 softmax output 2 }',
    message: '{activation} on {where}, before the output layer: {effect}, which squeezes what the next layer sees',
    hint: "use relu (or another activation) here; {activation} belongs on 'output', or in the loss",
    parts: {
      dense: 'dense {index}',
      spinal: 'spinal block {index}',
      softmax: 'its outputs sum to 1',
      log_softmax: 'its outputs are log-probabilities, all at most 0',
    },
  },
  SPN062: {
    title: 'split rows of very unequal size', severity: 'warning', example: 'model m { input 12 spinal { split 1:5 width 2 layers 2 } output 2 }',
    message: 'rows of very unequal size: {sizes} features (the largest is {ratio} times the smallest)',
    hint: 'sub-layers reading the small rows see little of the input; use ratios within {max}:1 of each other',
  },
  SPN070: {
    title: 'unknown value', example: 'model m { pixels = input 4 dense 2 from pixel output 2 }',
    message: "no value named '{name}' in model '{model}'",
    hint: {
      didYouMean: "did you mean '{guess}'?",
      values: 'its values: {names}',
      none: "name the value where it is made, as in '{name} = spinal from ...'",
    },
  },
  SPN071: {
    title: 'duplicate value name', example: 'model m { x = input 4 x = dense 2 output 2 }',
    message: {
      value: "'{name}' already names a value, on line {line}",
      parameter: "'{name}' is a parameter of the model (line {line}) and cannot also name a value",
    },
    hint: 'give each value its own name',
  },
  SPN072: {
    title: 'input never read', example: 'model m { x = input 4 y = input 3 output 2 from x }',
    message: "input '{name}' is never read",
    hint: "read it with 'from {name}', or remove it",
  },
  SPN073: {
    title: 'value never read', example: 'model m { x = input 4 dense 3 output 2 from x }',
    message: 'the value of {what} is never read',
    hint: "read it with 'from', or remove the statement; a statement without 'from' reads the one just before it",
    parts: { named: "'{name}'", unnamed: "this '{kind}'" },
  },
  SPN074: {
    title: 'value depends on itself', example: 'model m { x = input 4 a = dense 2 from x, b b = dense 2 from a output 2 from b }',
    message: "'{name}' depends on itself: {path}",
    hint: 'a value can read only values computed without it',
  },
  SPN075: {
    title: 'value read twice by one statement', example: 'model m { x = input 4 output 2 from x, x }',
    message: "'{name}' is listed twice",
    hint: 'list each value once',
  },
  SPN076: {
    title: 'named output', example: 'model m { input 4 y = output 2 }',
    message: "the output takes no name: it is the model's result",
    hint: "remove '{name} ='",
  },
  SPN077: {
    title: 'unnamed input of several', example: 'model m { x = input 4 input 3 output 2 from x }',
    message: 'a model with {count} inputs names each of them',
    hint: "write 'name = input N'",
  },
} as const satisfies Record<string, Entry>;

/** Templates of one kind for a code: one, or named variants. */
export type Templates = string | { readonly [variant: string]: string };

export interface Entry {
  readonly title: string;
  readonly example: string;
  readonly severity?: 'warning';
  readonly message: Templates;
  readonly hint?: Templates;
  readonly parts?: { readonly [part: string]: string };
}

/** Wording shared by several codes. */
export const PHRASES = {
  /** Where a value that came from a parameter was set: appended to the value in a message. */
  from: ' ({name} = {value}, {origin})',
  defaultOf: "default of '{model}'",
  argumentOf: "argument of '{variant}'",
  override: '--set {name}={value}',
  /** A lint warning under denyWarnings. */
  denied: '{message} (a warning, denied)',
} as const;

export type Code = keyof typeof CATALOGUE;

/** The codes of lint warnings. */
export type WarningCode = { [K in Code]: (typeof CATALOGUE)[K] extends { severity: 'warning' } ? K : never }[Code];

/** A code's severity: 'error' unless the catalogue marks it as a warning. */
export function severityOf(code: Code): 'error' | 'warning' {
  const entry = CATALOGUE[code];
  return 'severity' in entry ? entry.severity : 'error';
}
