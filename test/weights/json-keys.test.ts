import { describe, expect, it } from 'vitest';
import { findDuplicateKey, findMiswrittenCount } from '../../src/runtime/safetensors-loader.js';

describe('findDuplicateKey', () => {
  it('finds nothing in objects without repeats, however keys look in strings and arrays', () => {
    expect(findDuplicateKey('{"a":{"a":1,"b":"a\\":"},"b":["a","a"],"c":[{"x":1},{"x":2}]}')).toBeUndefined();
    expect(findDuplicateKey('[{"a":1},{"a":1}]')).toBeUndefined();
  });

  it('finds a repeat at the top level and inside an entry', () => {
    expect(findDuplicateKey('{ "a" : 1 , "b" : 2 , "a" : 3 }')).toEqual({ key: 'a', within: undefined });
    expect(findDuplicateKey('{"t":{"shape":[1],"s":{"q":1},"shape":[2]}}')).toEqual({ key: 'shape', within: 't' });
  });

  it('compares decoded keys', () => {
    expect(findDuplicateKey('{"\\u00e9":1,"é":2}')).toEqual({ key: 'é', within: undefined });
  });

  it('survives deep nesting', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(findDuplicateKey(`{"a":${deep}}`)).toBeUndefined();
  });
});

describe('findMiswrittenCount', () => {
  it('finds sizes and offsets not written as digits, and only in shape and data_offsets of a tensor', () => {
    expect(findMiswrittenCount('{"a":{"shape":[2, 3],"data_offsets":[0,24]}}')).toBeUndefined();
    expect(findMiswrittenCount('{"a":{"shape":[2, 3.0],"data_offsets":[0,24]}}')).toEqual({ tensor: 'a', field: 'shape', text: '3.0' });
    expect(findMiswrittenCount('{"a":{"shape":[2],"data_offsets":[0,8E0]}}')).toEqual({ tensor: 'a', field: 'data_offsets', text: '8E0' });
    expect(findMiswrittenCount('{"a":{"shape":[-0]}}')).toEqual({ tensor: 'a', field: 'shape', text: '-0' });
    expect(findMiswrittenCount('{"__metadata__":{"shape":"1.5"},"a":{"x":[1.5],"y":{"shape":[1.5]},"shape":[[1.5]]}}')).toBeUndefined();
    expect(findMiswrittenCount('{"a\\\\":{"shape":[1],"data_offsets":[0,4.0]}}')).toEqual({ tensor: 'a\\', field: 'data_offsets', text: '4.0' });
  });
});
