// Names and text in generated C++: any model name compiles and stays distinct, comments carry
// no raw user text, and float literals come back as exactly the same float32.
import { execFileSync } from 'node:child_process';
import { fileStem } from '../../../src/backends/file-stem.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commentText, cppIdentifier, cppInputName, cppString, isPlainIdentifier } from '../../../src/backends/cpp/names.js';
import { floatLiteral } from '../../../src/backends/cpp/literals.js';
import { cppNames, emitCpp } from '../../../src/backends/cpp/emit.js';
import { buildDriver, compilerCommand, STRICT_FLAGS } from '../../../src/backends/cpp/toolchain.js';
import { optimize } from '../../../src/passes/optimize.js';
import type { Graph } from '../../../src/ir/graph.js';
import { compileText, onlyModel } from '../../support/front.js';
import { scratch } from '../../support/scratch.js';
import { errorOf, TOLERANCE, withWeights } from './helpers.js';

/** C++ keywords, macros of the standard headers and of GCC, reserved forms, and near-collisions. */
const ODD_NAMES = [
  'int', 'class', 'new', 'namespace', 'operator', 'and', 'xor', 'char8_t', 'co_await', 'requires', 'this',
  'std', 'spinal_', 'rt', 'detail', 'Model', 'Workspace', 'main', 'kInputs', 'typeof',
  'errno', 'linux', 'unix', 'stdin', 'EOF', 'NULL', 'M_PI', 'SIZE_MAX', 'assert', 'offsetof',
  '_Model', '_', '__x', 'a__b', 'x_', 'int_', 'int_u_', '_uint_', 'Int', 'INT', 'int_u',
];

describe('cppIdentifier', () => {
  it('keeps plain names and escapes the others', () => {
    expect(cppIdentifier('mnist_spinal')).toBe('mnist_spinal');
    expect(cppIdentifier('int')).toBe('int_');
    expect(cppIdentifier('int_')).toBe('int_u_');
    expect(cppIdentifier('_Model')).toBe('_uModel_');
    expect(cppIdentifier('EOF')).toBe('EOF_');
    expect(cppIdentifier('2x')).toBe('_d2x_');
    expect(cppIdentifier('a.b')).toBe('a_x002eb_');
    expect(cppIdentifier('')).toBe('_e_');
  });

  it('gives every name a valid, unreserved identifier, distinct for distinct names', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09_.*/\\ \n'.split(''), 'é', '\u{1F600}'), maxLength: 12 }), fc.string({ maxLength: 6 }), (a, b) => {
        const [x, y] = [cppIdentifier(a), cppIdentifier(b)];
        expect(x).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        expect(x).not.toMatch(/__|^_[A-Z]/);
        if (a !== b) expect(x).not.toBe(y);
      }),
      { numRuns: 2000 },
    );
    const all = ODD_NAMES.map(cppIdentifier);
    expect(new Set(all).size).toBe(ODD_NAMES.length);
    for (const name of ODD_NAMES.filter((n) => isPlainIdentifier(n))) expect(cppIdentifier(name)).toBe(name);
  });
});

describe('cppInputName', () => {
  it('escapes names predict and the layer functions use, and the form of the constants; keeps the others', () => {
    for (const name of ['y', 'batch', 'ws', 'done', 'rows', 'chunk', 'run', 'predict', 'detail', 'Model', 'Workspace', 'Inputs', 'kOutputs']) {
      expect(cppInputName(name)).toBe(`${name}_`);
    }
    expect(cppInputName('kInput_x')).toBe('kInput_ux_');
    expect(cppInputName('pixels')).toBe('pixels');
    expect(cppInputName('x')).toBe('x');
    expect(cppInputName('keys')).toBe('keys');
    expect(cppInputName('int')).toBe('int_');
  });

  it('gives distinct inputs distinct valid names', () => {
    fc.assert(
      fc.property(fc.constantFrom('y', 'y_', 'y_u', 'kOutputs', 'kOutputs_', 'int', 'int_', 'batch', 'x', '_x', 'kInput_y'), fc.string({ unit: fc.constantFrom('a', 'y', 'k', 'O', '_', '1'), maxLength: 8 }), (a, b) => {
        const [x, y] = [cppInputName(a), cppInputName(b)];
        expect(x).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
        if (a !== b) expect(x).not.toBe(y);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('comments and strings', () => {
  const dir = scratch('cpp-evil');

  it('never let text end a comment or continue it onto code', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '/', '\\', '\n', '\r', '\u2028', 'a', ' ', '?') }), (text) => {
        const safe = commentText(text);
        expect(safe).not.toMatch(/[\n\r\\]|[^\x20-\x7e]|\*\/|\/\*/);
      }),
    );
    expect(cppString('a"b\\c\n?é')).toBe('"a\\"b\\\\c\\012\\077\\303\\251"');
  });

  it('writes a model named with comment closers and newlines as compilable code, its name nowhere raw', () => {
    const graph = optimize(onlyModel('model m(w = 2) { input 4 spinal { width w layers 2 } output 2 }').graph);
    const evil: Graph = { ...graph, name: 'x */ #error\n#error \\', params: { 'w */ \\': 2 } };
    const header = emitCpp(evil);
    expect(header).not.toMatch(/^\s*#error/m);
    const comments = header.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('//') || l.startsWith('/*'));
    expect(comments.filter((l) => l.includes('x * / #error'))).not.toEqual([]);
    for (const line of comments) expect(line).not.toMatch(/\\$|\*\/.*\*\/|^\/\/.*\*\//);
    const { file, namespace } = cppNames(evil);
    expect(file).toBe(`${fileStem(evil.name)}.hpp`);
    expect(namespace).not.toMatch(/[^A-Za-z0-9_]/);
    writeFileSync(join(dir, file), header);
    writeFileSync(join(dir, 'main.cpp'), `#include "${file}"\nint main() { return spinal::${namespace}::kInputs == 4 ? 0 : 1; }\n`);
    execFileSync(compilerCommand(), [...STRICT_FLAGS, join(dir, 'main.cpp'), '-o', join(dir, 'main')]);
    execFileSync(join(dir, 'main'));
  });
});

describe('the header file name', () => {
  it('follows the file-stem rule of every backend: `model con` gives con_.hpp beside con_.ts', () => {
    const graph = optimize(onlyModel('model con { input 4 spinal { width 2 layers 2 } output 2 }').graph);
    expect(cppNames(graph).file).toBe('con_.hpp');
    expect(fileStem(graph.name)).toBe('con_');
  });
});

describe('GNU and MSVC keywords and macros', () => {
  const dir = scratch('cpp-dialects');
  const names = ['typeof', 'synchronized', 'reflexpr', 'gcnew', 'sealed', 'linux', 'unix', 'sun', 'near', 'far', 'hyper', 'interface'];

  it('are escaped, and their headers compile under -std=c++17 and -std=gnu++17', () => {
    for (const name of names) expect(cppIdentifier(name)).toBe(`${name}_`);
    const graph = optimize(onlyModel('model m { input 4 spinal { width 2 layers 2 } output 2 }').graph);
    const includes = names.map((name) => {
      const { file } = cppNames({ ...graph, name });
      writeFileSync(join(dir, file), emitCpp({ ...graph, name }));
      return `#include "${file}"`;
    });
    const uses = names.map((name) => `spinal::${cppNames({ ...graph, name }).namespace}::kInputs`).join(' + ');
    writeFileSync(join(dir, 'main.cpp'), `${includes.join('\n')}\nint main() { return ${uses} == ${4 * names.length} ? 0 : 1; }\n`);
    for (const std of ['-std=c++17', '-std=gnu++17']) {
      execFileSync(compilerCommand(), [...STRICT_FLAGS, std, '-fsyntax-only', join(dir, 'main.cpp')]);
    }
  });
});

describe('float literals', () => {
  const dir = scratch('cpp-floats');
  const values = [0, -0, 1, -1, 0.1, 1 / 3, 3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45, 2.350988701644575e-38, 16777217, 123456.789, -7.5e-12];
  it('are short and exact in JavaScript', () => {
    expect(floatLiteral(0.1)).toBe('0.1f');
    expect(floatLiteral(1)).toBe('1.0f');
    expect(floatLiteral(-0)).toBe('-0.0f');
    expect(floatLiteral(1e21)).toBe('1e+21f');
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(Object.is(Math.fround(Number(floatLiteral(v).slice(0, -1))), Math.fround(v))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('are read back by the C++ compiler as the same float32 bits', () => {
    const random = fc.sample(fc.float({ noNaN: true, noDefaultInfinity: true }), { numRuns: 2000, seed: 5 });
    const all = [...values, ...random].map(Math.fround);
    writeFileSync(join(dir, 'f.cpp'), [
      '#include <cstdio>',
      '#include <cstring>',
      '#include <cstdint>',
      `const float v[] = {${all.map(floatLiteral).join(', ')}};`,
      'int main() { for (float f : v) { std::uint32_t b; std::memcpy(&b, &f, 4); std::printf("%08x\\n", b); } }',
    ].join('\n'));
    execFileSync(compilerCommand(), [...STRICT_FLAGS, join(dir, 'f.cpp'), '-o', join(dir, 'f')]);
    const bits = execFileSync(join(dir, 'f'), { encoding: 'utf8' }).trim().split('\n');
    const view = new DataView(new ArrayBuffer(4));
    expect(bits).toEqual(all.map((f) => (view.setFloat32(0, f), view.getUint32(0).toString(16).padStart(8, '0'))));
  });
});

describe('models with odd names', () => {
  // Each a different size, so that a mix-up between two would show in the numbers.
  const source = ODD_NAMES.map((name, i) => `model ${name} { input ${i + 2} spinal { width 2 layers 2 } output ${1 + (i % 3)} }`).join('\n');
  const compiled = compileText(source);
  const dir = scratch('cpp-names');
  const models = withWeights(dir, compiled.models.map((m) => optimize(m.graph)));
  let bin = '';
  beforeAll(async () => {
    // GNU mode as well: it predefines `linux` and `unix` as macros.
    bin = await buildDriver(dir, models.map((m) => ({ graph: m.graph })), { flags: ['-std=gnu++17'] });
  }, 300_000);

  it('all compile into one program and compute their own model', async () => {
    expect(compiled.diagnostics).toEqual([]);
    expect(models.map((m) => m.graph.name)).toEqual(ODD_NAMES);
    const namespaces = models.map((m) => cppNames(m.graph).namespace);
    expect(new Set(namespaces).size).toBe(ODD_NAMES.length);
    for (const [i, m] of models.entries()) expect(await errorOf(bin, i, m, 3)).toBeLessThanOrEqual(TOLERANCE);
    const header = readFileSync(join(dir, `m0_int.hpp`), 'utf8');
    expect(header).toContain('namespace int_ {');
    expect(header).toContain('spinal::int_::Model::load');
  });
});
