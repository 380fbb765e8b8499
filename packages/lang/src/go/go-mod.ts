import path from 'node:path';
import type { ProjectFileSystem } from '../overlay.js';
import { ancestors, memo } from '../project-cache.js';

export interface GoModule {
  readonly file: string;
  readonly directory: string;
  readonly modulePath: string;
  readonly goVersion: string | undefined;
  readonly requires: readonly string[];
  /** `replace old => ./local` (local target resolved to an absolute directory) or `=> other/module v1`. */
  readonly replaces: readonly { readonly from: string; readonly localDirectory?: string; readonly to?: string }[];
}

/** Parses go.mod: module, go, require and replace, in line and block forms. */
export function parseGoMod(text: string, file: string): GoModule | undefined {
  const directory = path.dirname(file);
  let modulePath: string | undefined;
  let goVersion: string | undefined;
  const requires: string[] = [];
  const replaces: { from: string; localDirectory?: string; to?: string }[] = [];
  let block: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block !== undefined) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      handle(block, line);
      continue;
    }
    const opening = /^(\w+)\s*\($/.exec(line);
    if (opening?.[1] !== undefined) {
      block = opening[1];
      continue;
    }
    const directive = /^(\w+)\s+(.*)$/.exec(line);
    if (directive?.[1] !== undefined && directive[2] !== undefined) handle(directive[1], directive[2]);
  }
  function handle(directive: string, rest: string) {
    const unquote = (value: string) => value.replace(/^"(.*)"$/, '$1');
    if (directive === 'module') modulePath = unquote(rest.trim());
    else if (directive === 'go') goVersion = rest.trim();
    else if (directive === 'require') {
      const name = rest.split(/\s+/)[0];
      if (name !== undefined) requires.push(unquote(name));
    } else if (directive === 'replace') {
      const [left, right] = rest.split('=>').map((part) => part.trim());
      const from = left?.split(/\s+/)[0];
      const target = right?.split(/\s+/)[0];
      if (from === undefined || target === undefined) return;
      const isLocal = target.startsWith('./') || target.startsWith('../') || path.isAbsolute(target);
      replaces.push(
        isLocal
          ? { from: unquote(from), localDirectory: path.resolve(directory, target) }
          : { from: unquote(from), to: unquote(target) },
      );
    }
  }
  return modulePath === undefined ? undefined : { file, directory, modulePath, goVersion, requires, replaces };
}

export function findGoModule(fileSystem: ProjectFileSystem, fromFile: string): GoModule | undefined {
  for (const directory of ancestors(path.dirname(fromFile))) {
    const file = path.join(directory, 'go.mod');
    if (!fileSystem.fileExists(file)) continue;
    return memo({
      fileSystem,
      key: `go.mod:${file}`,
      dependsOn: [file],
      compute: (files) => parseGoMod(files.readFile(file) ?? '', file),
    });
  }
  return undefined;
}

/** Modules of the go.work above the module (`use ./a`), as module path -> directory. */
export function workspaceModules(fileSystem: ProjectFileSystem, fromDirectory: string): ReadonlyMap<string, string> {
  for (const directory of ancestors(fromDirectory)) {
    const file = path.join(directory, 'go.work');
    const text = fileSystem.readFile(file);
    if (text === undefined) continue;
    const modules = new Map<string, string>();
    const uses = [
      ...text.matchAll(/^\s*(?:use\s+)?(\.{1,2}\/[^\s)]*|\.)\s*$/gm),
      ...text.matchAll(/^\s*use\s+(\S+)\s*$/gm),
    ];
    for (const match of uses) {
      const moduleDirectory = path.resolve(directory, (match[1] ?? '').replace(/^"(.*)"$/, '$1'));
      const goMod = fileSystem.readFile(path.join(moduleDirectory, 'go.mod'));
      const parsed = goMod === undefined ? undefined : parseGoMod(goMod, path.join(moduleDirectory, 'go.mod'));
      if (parsed !== undefined) modules.set(parsed.modulePath, moduleDirectory);
    }
    return modules;
  }
  return new Map();
}

/** Module paths listed in vendor/modules.txt (`# example.com/mod v1.2.3`). */
export function vendoredModules(fileSystem: ProjectFileSystem, moduleDirectory: string): readonly string[] {
  const text = fileSystem.readFile(path.join(moduleDirectory, 'vendor', 'modules.txt'));
  if (text === undefined) return [];
  return [...text.matchAll(/^# (\S+)/gm)].map((match) => match[1] ?? '').filter((name) => name !== '');
}
