#!/usr/bin/env node
// Enforces the package dependency direction from docs/architecture.md: no cycles and no
// @kode package depending on one it is not allowed to. Prints each violation and exits 1.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const allowed = {
  '@kode/config': [],
  '@kode/audit-log': [],
  '@kode/snapshot': [],
  '@kode/lang': [],
  '@kode/blindfold': [],
  '@kode/context': ['@kode/lang'],
  '@kode/gate': ['@kode/lang', '@kode/context', '@kode/config', '@kode/snapshot'],
  '@kode/providers': ['@kode/config'],
  '@kode/core': [
    '@kode/gate',
    '@kode/context',
    '@kode/snapshot',
    '@kode/providers',
    '@kode/blindfold',
    '@kode/audit-log',
    '@kode/config',
    '@kode/lang',
  ],
  '@kode/mcp': ['@kode/core', '@kode/config', '@kode/gate', '@kode/context', '@kode/audit-log'],
};
// test-utils and the CLI may use any public package (the CLI only through public entry points).
const unrestricted = new Set(['@kode/test-utils', '@kode/cli']);

const problems = [];
for (const group of ['packages', 'apps']) {
  if (!existsSync(group)) continue;
  for (const dir of readdirSync(group)) {
    const manifestPath = join(group, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((name) =>
      name.startsWith('@kode/'),
    );
    if (unrestricted.has(manifest.name)) continue;
    const allowList = allowed[manifest.name];
    if (!allowList) {
      problems.push(`${manifest.name}: not in tools/check-deps.mjs; add its allowed dependencies there`);
      continue;
    }
    for (const dep of deps) {
      if (dep === '@kode/test-utils') continue;
      if (!allowList.includes(dep)) problems.push(`${manifest.name} must not depend on ${dep}`);
    }
  }
}
// Relative imports into another package's src are forbidden too.
const crossImport = /from\s+['"](\.\.\/)+(packages|apps)\//;
for (const group of ['packages', 'apps']) {
  if (!existsSync(group)) continue;
  for (const dir of readdirSync(group)) {
    const src = join(group, dir, 'src');
    if (!existsSync(src)) continue;
    for (const file of readdirSync(src, { recursive: true })) {
      const path = join(src, String(file));
      if (!/\.(ts|tsx|js|mjs)$/.test(path)) continue;
      if (crossImport.test(readFileSync(path, 'utf8')))
        problems.push(`${path}: imports another package by relative path`);
    }
  }
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`✗ ${problem}`);
  process.exit(1);
}
console.error('✓ package dependency direction holds');
