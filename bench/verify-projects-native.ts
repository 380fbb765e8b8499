// The Rust and Go generators of the verify benchmark; shapes and layout as in verify-projects.ts.
import { factor, layout, targetIndex } from './verify-projects.js';
import type { ProjectShape } from './verify-projects.js';

export function rustProject(files: number): ProjectShape {
  const { directory, crossDependency, sibling, perDirectory } = layout(files);
  const directories = Math.ceil(files / perDirectory);
  const output = new Map<string, string>([
    [
      'Cargo.toml',
      [
        '[package]',
        'name = "bench-rs-app"',
        'version = "0.1.0"',
        'edition = "2021"',
        '',
        '[dependencies]',
        'serde = { version = "1", features = ["derive"] }',
        'anyhow = "1"',
        '',
      ].join('\n'),
    ],
    [
      'src/lib.rs',
      `//! Generated benchmark crate.\n${Array.from({ length: directories }, (_, d) => `pub mod feature_${d};`).join('\n')}\n`,
    ],
  ]);
  for (let d = 0; d < directories; d += 1) {
    const members = Array.from({ length: perDirectory }, (_, k) => d * perDirectory + k).filter((i) => i < files);
    output.set(`src/feature_${d}/mod.rs`, `${members.map((i) => `pub mod unit_${i};`).join('\n')}\n`);
  }
  for (let index = 0; index < files; index += 1) {
    const cross = crossDependency(index);
    const previous = sibling(index);
    const lines = [
      `//! Unit ${index} of the generated benchmark crate.`,
      'use std::collections::HashMap;',
      'use std::fmt;',
    ];
    lines.push('use serde::{Deserialize, Serialize};');
    if (index % 4 === 0) lines.push('use anyhow::{Context, Result};');
    if (cross !== undefined)
      lines.push(`use crate::feature_${directory(cross)}::unit_${cross}::{scale_${cross}, Record${cross}};`);
    if (previous !== undefined) lines.push(`use super::unit_${previous}::Registry${previous};`);
    lines.push(
      '',
      `pub const FACTOR_${index}: f64 = ${factor(index)}.0;`,
      '',
      '#[derive(Debug, Clone, Serialize, Deserialize)]',
      `pub struct Record${index} {`,
      '    pub name: String,',
      '    pub weight: f64,',
      '    pub tags: Vec<String>,',
      '}',
      '',
      `impl fmt::Display for Record${index} {`,
      "    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {",
      '        write!(formatter, "{}:{}", self.name, self.weight)',
      '    }',
      '}',
      '',
      `pub struct Registry${index}<T: Clone> {`,
      '    items: HashMap<String, T>,',
      '}',
      '',
      `impl<T: Clone> Registry${index}<T> {`,
      '    pub fn new() -> Self {',
      '        Self { items: HashMap::new() }',
      '    }',
      '',
      '    pub fn add(&mut self, key: &str, item: T) {',
      '        self.items.insert(key.to_owned(), item);',
      '    }',
      '',
      '    pub fn get(&self, key: &str) -> Option<&T> {',
      '        self.items.get(key)',
      '    }',
      '}',
      '',
      `pub fn scale_${index}(values: &[f64]) -> f64 {`,
      '    let total: f64 = values.iter().sum();',
      `    let scaled = total * FACTOR_${index};`,
      '    let Some(first) = values.first() else {',
      '        return scaled;',
      '    };',
      cross === undefined ? '    scaled + first' : `    scaled + first + scale_${cross}(&[total])`,
      '}',
    );
    if (cross !== undefined) {
      lines.push('', `pub fn wrap_${index}(record: Record${cross}) -> Record${index} {`);
      lines.push(`    Record${index} { name: record.name, weight: record.weight, tags: record.tags }`, '}');
    }
    if (previous !== undefined) {
      lines.push(
        '',
        `pub fn registry_${index}() -> Registry${previous}<Record${index}> {`,
        `    Registry${previous}::new()`,
        '}',
      );
    }
    if (index % 4 === 0) {
      lines.push('', `pub fn parse_${index}(text: &str) -> Result<f64> {`);
      lines.push('    text.trim().parse::<f64>().context("not a number")', '}');
    }
    output.set(`src/feature_${directory(index)}/unit_${index}.rs`, `${lines.join('\n')}\n`);
  }
  const target = targetIndex(files);
  return {
    files: output,
    target: `src/feature_${directory(target)}/unit_${target}.rs`,
    anchor: `    let scaled = total * FACTOR_${target};`,
    replacement: (iteration) => `    let scaled = total * FACTOR_${target} + ${iteration % 97}.0;`,
  };
}

export function goProject(files: number): ProjectShape {
  const { directory, earlierDirectoryDependency } = layout(files);
  const modulePath = 'example.com/benchapp';
  const output = new Map<string, string>([
    ['go.mod', `module ${modulePath}\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n`],
  ]);
  for (let index = 0; index < files; index += 1) {
    const dependency = earlierDirectoryDependency(index);
    const imports = ['"fmt"', '"strings"'];
    if (dependency !== undefined) imports.push('', `"${modulePath}/internal/feature${directory(dependency)}"`);
    if (index % 3 === 0) imports.push(...(dependency === undefined ? [''] : []), '"github.com/google/uuid"');
    const lines = [
      `// Unit ${index} of the generated benchmark module.`,
      `package feature${directory(index)}`,
      '',
      'import (',
    ];
    lines.push(...imports.map((line) => (line === '' ? '' : `\t${line}`)), ')', '');
    lines.push(
      `const Factor${index} = ${factor(index)}.0`,
      '',
      `type Record${index} struct {`,
      '\tName   string',
      '\tWeight float64',
      '\tTags   []string',
      '}',
      '',
      `type Registry${index}[T any] struct {`,
      '\titems map[string]T',
      '}',
      '',
      `func NewRegistry${index}[T any]() *Registry${index}[T] {`,
      `\treturn &Registry${index}[T]{items: map[string]T{}}`,
      '}',
      '',
      `func (registry *Registry${index}[T]) Add(key string, item T) {`,
      '\tregistry.items[key] = item',
      '}',
      '',
      `func Scale${index}(values []float64) float64 {`,
      '\ttotal := 0.0',
      '\tfor _, value := range values {',
      '\t\ttotal += value',
      '\t}',
      `\tscaled := total * Factor${index}`,
      dependency === undefined
        ? '\treturn scaled'
        : `\treturn scaled + feature${directory(dependency)}.Scale${dependency}([]float64{total})`,
      '}',
      '',
      `func Describe${index}(record Record${index}) string {`,
      index % 3 === 0
        ? '\treturn fmt.Sprintf("%s:%v:%s:%s", record.Name, record.Weight, strings.Join(record.Tags, ","), uuid.NewString())'
        : '\treturn fmt.Sprintf("%s:%v:%s", record.Name, record.Weight, strings.Join(record.Tags, ","))',
      '}',
    );
    output.set(`internal/feature${directory(index)}/unit${index}.go`, `${lines.join('\n')}\n`);
  }
  const target = targetIndex(files);
  return {
    files: output,
    target: `internal/feature${directory(target)}/unit${target}.go`,
    anchor: `\tscaled := total * Factor${target}`,
    replacement: (iteration) => `\tscaled := total*Factor${target} + ${iteration % 97}`,
  };
}
