import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTestCommand } from './detect-test-command.js';
import { makeTempDir } from './temp-dir.test-helpers.js';

const withTest = JSON.stringify({ name: 'x', scripts: { test: 'vitest run' } });
const withoutTest = JSON.stringify({ name: 'x', scripts: { build: 'tsc' } });

async function detect(files: Record<string, string>): Promise<string | null> {
  return detectTestCommand(await makeTempDir(files));
}

describe('detectTestCommand (spec §5.8)', () => {
  it('maps every marker to its command', async () => {
    expect(await detect({ 'go.mod': 'module x\n' })).toBe('go test ./...');
    expect(await detect({ 'package.json': withTest })).toBe('npm test');
    expect(await detect({ 'Cargo.toml': '[package]\n' })).toBe('cargo test');
    expect(await detect({ 'pyproject.toml': '[project]\n' })).toBe('pytest');
    expect(await detect({ 'requirements.txt': 'requests\n' })).toBe('python -m pytest');
    expect(await detect({ Gemfile: "source 'https://rubygems.org'\n" })).toBe('bundle exec rspec');
    expect(await detect({})).toBeNull();
  });

  it('picks the package manager from the lockfile', async () => {
    expect(await detect({ 'package.json': withTest, 'pnpm-lock.yaml': '' })).toBe('pnpm test');
    expect(await detect({ 'package.json': withTest, 'yarn.lock': '' })).toBe('yarn test');
    expect(await detect({ 'package.json': withTest, 'pnpm-lock.yaml': '', 'yarn.lock': '' })).toBe('pnpm test');
    expect(await detect({ 'package.json': withTest, 'package-lock.json': '{}' })).toBe('npm test');
  });

  it('lets the first marker in table order win', async () => {
    expect(await detect({ 'go.mod': '', 'package.json': withTest, 'Cargo.toml': '' })).toBe('go test ./...');
    expect(await detect({ 'package.json': withTest, 'Cargo.toml': '', Gemfile: '' })).toBe('npm test');
    expect(await detect({ 'Cargo.toml': '', 'pyproject.toml': '' })).toBe('cargo test');
    expect(await detect({ 'pyproject.toml': '', 'requirements.txt': '' })).toBe('pytest');
    expect(await detect({ 'requirements.txt': '', Gemfile: '' })).toBe('python -m pytest');
  });

  it('counts package.json only with a scripts.test entry', async () => {
    expect(await detect({ 'package.json': withoutTest })).toBeNull();
    expect(await detect({ 'package.json': withoutTest, 'Cargo.toml': '' })).toBe('cargo test');
    expect(await detect({ 'package.json': '{ not json', Gemfile: '' })).toBe('bundle exec rspec');
    expect(await detect({ 'package.json': JSON.stringify({ scripts: { test: 42 } }) })).toBeNull();
  });

  it('looks only at files in the project root', async () => {
    expect(await detect({ 'services/api/go.mod': '', 'tools/package.json': withTest })).toBeNull();
    const root = await makeTempDir();
    await mkdir(join(root, 'go.mod'));
    expect(await detectTestCommand(root)).toBeNull();
  });
});
