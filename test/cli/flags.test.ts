import { describe, expect, it } from 'vitest';
import { inFlagTerms } from '../../src/cli/flags.js';
import { option } from '../../src/diagnostics/option.js';

describe('the command line says the options a library message names as flags', () => {
  it('names the flag of each option it knows, and leaves other text as it is', () => {
    expect(inFlagTerms(`name them with ${option('map')}`)).toBe('name them with --map FILE.json');
    expect(inFlagTerms(`${option('key')} 'epoch' holds a number`)).toBe("--key 'epoch' holds a number");
    expect(inFlagTerms(`re-attach with ${option('resume')} abc1; or ${option('upload')}`)).toBe('re-attach with --resume abc1; or --upload-data');
    expect(inFlagTerms('`unknown` and `map` and \'map\'')).toBe("`unknown` and --map FILE.json and 'map'");
  });
});
