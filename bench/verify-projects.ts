// The project generators of the verify benchmark (TypeScript and Python here, Rust and Go in
// verify-projects-native.ts). Every file has a generic registry class, a record type, a
// function using another module, and imports of three kinds: builtin/stdlib, other project modules (absolute and
// relative) and declared third-party packages. Every import resolves, so a correct gate passes every file.
export interface ProjectShape {
  /** Project-relative path -> content, manifests included. */
  readonly files: ReadonlyMap<string, string>;
  readonly target: string;
  readonly anchor: string;
  readonly replacement: (iteration: number) => string;
}

interface Layout {
  readonly perDirectory: number;
  readonly directory: (index: number) => number;
  /** An earlier file, in any directory: the absolute/cross-module import. */
  readonly crossDependency: (index: number) => number | undefined;
  /** An earlier file in an earlier directory (Go packages must not import cyclically). */
  readonly earlierDirectoryDependency: (index: number) => number | undefined;
  /** The previous file of the same directory: the sibling/relative import. */
  readonly sibling: (index: number) => number | undefined;
}

export function layout(files: number): Layout {
  const perDirectory = files >= 500 ? 50 : 10;
  const directory = (index: number) => Math.floor(index / perDirectory);
  return {
    perDirectory,
    directory,
    crossDependency: (index) => (index === 0 ? undefined : index - 1 - ((index * 7) % Math.min(index, 40))),
    earlierDirectoryDependency: (index) =>
      directory(index) === 0 ? undefined : (directory(index) - 1) * perDirectory + (index % perDirectory),
    sibling: (index) => (index % perDirectory === 0 ? undefined : index - 1),
  };
}

export const factor = (index: number) => (index % 9) + 1;

/** The file the hunk edits: in the middle of the project, so it has every kind of import. */
export const targetIndex = (files: number) => Math.floor(files / 2) + 3;

export function typescriptProject(files: number): ProjectShape {
  const { directory, crossDependency, sibling } = layout(files);
  const path = (index: number) => `src/feature-${directory(index)}/unit-${index}.ts`;
  const from = (index: number, target: number) =>
    directory(index) === directory(target)
      ? `./unit-${target}.js`
      : `../feature-${directory(target)}/unit-${target}.js`;
  const output = new Map<string, string>([
    [
      'package.json',
      json({ name: 'bench-ts-app', private: true, type: 'module', devDependencies: { '@types/node': '*' } }),
    ],
    [
      'tsconfig.json',
      json({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    ],
  ]);
  for (let index = 0; index < files; index += 1) {
    const cross = crossDependency(index);
    const previous = sibling(index);
    const lines: string[] = [];
    if (index % 5 === 0) lines.push("import { EventEmitter } from 'node:events';");
    if (index % 3 === 0) lines.push("import { createHash } from 'node:crypto';");
    if (cross !== undefined) lines.push(`import { Registry${cross}, scale${cross} } from '${from(index, cross)}';`);
    if (previous !== undefined) lines.push(`import type { Entity${previous} } from '${from(index, previous)}';`);
    lines.push(
      '',
      `export const FACTOR_${index} = ${factor(index)};`,
      '',
      `export interface Entity${index} {`,
      '  readonly id: string;',
      '  readonly weight: number;',
      '  readonly tags: readonly string[];',
      '}',
      '',
      `export class Registry${index}<T extends Entity${index} = Entity${index}> {`,
      '  readonly #items = new Map<string, T>();',
      '',
      '  add(item: T): this {',
      '    this.#items.set(item.id, item);',
      '    return this;',
      '  }',
      '',
      '  find(id: string): T | undefined {',
      '    return this.#items.get(id);',
      '  }',
      '',
      '  map<U>(transform: (item: T) => U): U[] {',
      '    return [...this.#items.values()].map(transform);',
      '  }',
      '}',
      '',
      `export type Outcome${index}<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };`,
      '',
      `export function scale${index}(values: readonly number[]): Outcome${index}<number> {`,
      "  if (values.length === 0) return { ok: false, error: 'empty' };",
      '  let total = 0;',
      '  for (const value of values) total += value;',
      `  const scaled = total * FACTOR_${index};`,
    );
    if (cross !== undefined) {
      lines.push(
        `  const nested = scale${cross}([scaled]);`,
        '  return { ok: true, value: nested.ok ? nested.value : scaled };',
      );
    } else lines.push('  return { ok: true, value: scaled };');
    lines.push('}');
    if (previous !== undefined) {
      lines.push(
        '',
        `export function describe${index}(entity: Entity${previous}): string {`,
        "  return `${entity.id}:${String(entity.weight)}:${entity.tags.join(',')}`;",
        '}',
      );
    }
    if (cross !== undefined) lines.push('', `export const registry${index} = new Registry${cross}();`);
    if (index % 5 === 0) lines.push('', `export const events${index} = new EventEmitter();`);
    if (index % 3 === 0) {
      lines.push(
        '',
        `export function fingerprint${index}(text: string): string {`,
        "  return createHash('sha256').update(text).digest('hex');",
        '}',
      );
    }
    output.set(path(index), `${lines.join('\n')}\n`);
  }
  const target = targetIndex(files);
  return {
    files: output,
    target: path(target),
    anchor: `  const scaled = total * FACTOR_${target};`,
    replacement: (iteration) => `  const scaled = total * FACTOR_${target} + ${iteration % 97};`,
  };
}

export function pythonProject(files: number): ProjectShape {
  const { directory, crossDependency, sibling } = layout(files);
  const module = (index: number) => `app.feature_${directory(index)}.unit_${index}`;
  const output = new Map<string, string>([
    [
      'pyproject.toml',
      [
        '[project]',
        'name = "bench-py-app"',
        'version = "0.1.0"',
        'requires-python = ">=3.11"',
        'dependencies = ["requests>=2.31", "PyYAML>=6.0", "attrs>=23.1"]',
        '',
        '[build-system]',
        'requires = ["hatchling"]',
        'build-backend = "hatchling.build"',
        '',
      ].join('\n'),
    ],
    ['app/__init__.py', '"""Generated application package."""\n'],
  ]);
  for (let index = 0; index < files; index += 1) {
    const cross = crossDependency(index);
    const previous = sibling(index);
    if (index % layout(files).perDirectory === 0) output.set(`app/feature_${directory(index)}/__init__.py`, '');
    const lines = [`"""Unit ${index} of the generated benchmark project."""`, 'from __future__ import annotations', ''];
    lines.push(
      'import json',
      'import os',
      'from dataclasses import dataclass, field',
      'from typing import Generic, TypeVar',
      '',
    );
    if (index % 3 === 0) lines.push('import yaml');
    if (index % 5 === 0) lines.push('import requests');
    if (index % 7 === 0) lines.push('import attr');
    if (cross !== undefined) lines.push(`from ${module(cross)} import Record${cross}, scale_${cross}`);
    if (previous !== undefined) lines.push(`from . import unit_${previous}`);
    if (index > 1 && directory(index) > 0) lines.push(`from ..feature_0 import unit_${index % 2}`);
    lines.push(
      '',
      `FACTOR_${index} = ${factor(index)}`,
      'T = TypeVar("T")',
      '',
      '',
      '@dataclass',
      `class Record${index}:`,
      '    name: str',
      '    weight: float = 0.0',
      '    tags: list[str] = field(default_factory=list)',
      '',
      '',
      `class Registry${index}(Generic[T]):`,
      '    def __init__(self) -> None:',
      '        self._items: dict[str, T] = {}',
      '',
      '    def add(self, key: str, item: T) -> None:',
      '        self._items[key] = item',
      '',
      '    def get(self, key: str) -> T | None:',
      '        return self._items.get(key)',
      '',
      '',
      `def scale_${index}(values: list[float]) -> float:`,
      '    total = 0.0',
      '    for value in values:',
      '        total += value',
      `    scaled = total * FACTOR_${index}`,
      '    match scaled:',
      '        case 0:',
      '            return 0.0',
      '        case _:',
      cross === undefined ? '            return scaled' : `            return scale_${cross}([scaled])`,
      '',
      '',
      `def dump_${index}(record: Record${index}) -> str:`,
      `    payload = {"name": record.name, "weight": record.weight, "path": os.path.join("data", record.name)}`,
      index % 3 === 0 ? '    return yaml.safe_dump(payload) + json.dumps(payload)' : '    return json.dumps(payload)',
      '',
    );
    output.set(`app/feature_${directory(index)}/unit_${index}.py`, lines.join('\n'));
  }
  const target = targetIndex(files);
  return {
    files: output,
    target: `app/feature_${directory(target)}/unit_${target}.py`,
    anchor: `    scaled = total * FACTOR_${target}`,
    replacement: (iteration) => `    scaled = total * FACTOR_${target} + ${iteration % 97}`,
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
