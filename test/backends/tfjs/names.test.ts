import { describe, expect, it } from 'vitest';
import { IdentifierPool, fileStem, identifier } from '../../../src/backends/tfjs/names.js';

describe('names in generated code', () => {
  it('turns any string into a valid identifier', () => {
    expect(identifier('spinal1.sub2')).toBe('spinal1_sub2');
    expect(identifier('9lives')).toBe('_9lives');
    expect(identifier('')).toBe('model');
    expect(identifier('delete')).toBe('delete_');
    expect(identifier('a-b c')).toBe('a_b_c');
  });

  it('makes file stems portable', () => {
    expect(fileStem('mnist_cnn_spinal')).toBe('mnist_cnn_spinal');
    expect(fileStem('con')).toBe('con_');
    expect(fileStem('LPT1')).toBe('LPT1_');
    expect(fileStem('../etc/passwd')).toBe('___etc_passwd');
    expect(fileStem('delete')).toBe('delete');
  });

  it('never hands out the same identifier twice, nor a reserved one', () => {
    const pool = new IdentifierPool(['params']);
    expect([pool.take('a.b'), pool.take('a_b'), pool.take('a.b'), pool.take('params')]).toEqual(['a_b', 'a_b_2', 'a_b_3', 'params_2']);
  });
});
