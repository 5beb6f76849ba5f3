// The VS Code extension: its manifest contributes the language and the repository's grammar and
// starts `spinal lsp`; packaged with @vscode/vsce (installed in editors/vscode by
// .ci/setup.d/vscode-extension.sh, required under CI), the .vsix holds what the manifest names.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../support/samples.js';
import { run } from '../support/cli.js';

const ROOT = join(SAMPLES_DIR, '..');
const EXT = join(ROOT, 'editors', 'vscode');
const manifest = JSON.parse(readFileSync(join(EXT, 'package.json'), 'utf8'));
const grammarText = readFileSync(join(ROOT, 'grammar', 'spinal.tmLanguage.json'), 'utf8');
const VSCE = join(EXT, 'node_modules', '.bin', 'vsce');
const installed = existsSync(VSCE);

describe('editors/vscode', () => {
  it('contributes the language, the grammar of grammar/ and the server command', async () => {
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: 'spinal', extensions: ['.spinal'] });
    const [grammar] = manifest.contributes.grammars;
    expect(grammar.language).toBe('spinal');
    expect(grammar.scopeName).toBe(JSON.parse(grammarText).scopeName);
    expect(grammar.path).toBe('./syntaxes/spinal.tmLanguage.json');
    const args: string[] = manifest.contributes.configuration.properties['spinal.server.args'].default;
    expect(args[0]).toBe('lsp');
    const help = await run(...args, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('language server');
    const comments = JSON.parse(readFileSync(join(EXT, 'language-configuration.json'), 'utf8')).comments;
    expect(comments.lineComment).toBe('#');
  });

  it.skipIf(!installed && !process.env.CI)('packages with vsce: the .vsix holds the manifest, the grammar and the bundled client', () => {
    expect(installed, 'run .ci/setup.d/vscode-extension.sh to install @vscode/vsce in editors/vscode').toBe(true);
    const vsix = join(EXT, 'spinal.vsix');
    rmSync(vsix, { force: true });
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: EXT, encoding: 'utf8' });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout.split('\n').filter(Boolean).sort()).toEqual([
      '[Content_Types].xml', 'extension.vsixmanifest', 'extension/LICENSE.txt', 'extension/language-configuration.json',
      'extension/out/extension.js', 'extension/package.json', 'extension/readme.md', 'extension/syntaxes/spinal.tmLanguage.json',
    ]);
    const read = (entry: string): string => spawnSync('unzip', ['-p', vsix, entry], { encoding: 'utf8', maxBuffer: 1 << 24 }).stdout;
    expect(read('extension/syntaxes/spinal.tmLanguage.json')).toBe(grammarText);
    expect(JSON.parse(read('extension/package.json')).contributes).toEqual(manifest.contributes);
    const client = read('extension/out/extension.js');
    expect(client).toContain('require("vscode")');
    expect(client).toContain('spinal language server');
    rmSync(vsix, { force: true });
  });
});
