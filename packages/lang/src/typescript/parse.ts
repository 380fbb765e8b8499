import { createSourceFile, ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import type {
  Definition,
  DefinitionKind,
  ImportKind,
  ImportRecord,
  Language,
  ParsedFile,
  SyntaxDiagnostic,
} from '../types.js';

export function scriptKindFor(path: string): TypeScript.ScriptKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.ts') || lower.endsWith('.mts') || lower.endsWith('.cts')) return ts.ScriptKind.TS;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

// Sloppy-mode JavaScript accepts legacy octal (`010`) and leading-zero decimals (`08`); TypeScript's parser flags them
// because it cannot know whether a .js file is a strict-mode module. Reporting them would be a false alarm.
const SLOPPY_MODE_CODES: ReadonlySet<number> = new Set([1121, 1489, 1085]);

export function parseTypeScript(options: { language: Language; path: string; text: string }): ParsedFile {
  const scriptKind = scriptKindFor(options.path);
  const isJavaScript = scriptKind === ts.ScriptKind.JS || scriptKind === ts.ScriptKind.JSX;
  const sourceFile = createSourceFile(options.path, options.text, scriptKind);
  const position = (offset: number) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset);
    return { line: line + 1, column: character + 1 };
  };
  // Flow-typed JavaScript (`// @flow`) is valid in its ecosystem but not parseable as JS/TS: say nothing about it.
  const isFlow = isJavaScript && /^\s*(?:\/\/|\/\*|\*)\s*@flow\b/m.test(options.text.slice(0, 2_000));
  const diagnostics: SyntaxDiagnostic[] = isFlow
    ? []
    : syntacticDiagnostics(sourceFile)
        .filter((diagnostic) => !(isJavaScript && SLOPPY_MODE_CODES.has(diagnostic.code)))
        .map((diagnostic) => ({
          ...position(diagnostic.start ?? 0),
          message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        }));
  const collected = collectImportsAndDefinitions(sourceFile, position);
  const isDeclarationFile = /\.d\.[mc]?ts$/i.test(options.path) || /\.d\.[^/]*\.ts$/i.test(options.path);
  const suppressedLines = suppressedImportLines(options.text);
  const imports = collected.imports.map((record) => {
    // In a declaration file every import is a type import; an import under @ts-ignore/@ts-expect-error or in a
    // @ts-nocheck file is allowed to fail (libraries import optional peers' types that way).
    const suppressed = suppressedLines === 'all' || suppressedLines.has(record.line);
    if (!isDeclarationFile && !suppressed) return record;
    return { ...record, ...(isDeclarationFile ? { typeOnly: true } : {}), ...(suppressed ? { optional: true } : {}) };
  });
  return { language: options.language, diagnostics, imports, definitions: collected.definitions, incomplete: false };
}

/** Lines whose errors a `@ts-ignore`/`@ts-expect-error` comment suppresses (its own line and the next). */
function suppressedImportLines(text: string): ReadonlySet<number> | 'all' {
  if (!/@ts-(?:ignore|expect-error|nocheck)/.test(text)) return new Set();
  if (/^\s*\/\/\s*@ts-nocheck/m.test(text.slice(0, 5_000))) return 'all';
  const lines = new Set<number>();
  text.split('\n').forEach((line, index) => {
    if (/\/[/*].*@ts-(?:ignore|expect-error)/.test(line)) {
      lines.add(index + 1);
      lines.add(index + 2);
    }
  });
  return lines;
}

function syntacticDiagnostics(sourceFile: TypeScript.SourceFile): readonly TypeScript.Diagnostic[] {
  // `parseDiagnostics` is what `Program.getSyntacticDiagnostics` returns for TS files, minus the program. It is not in
  // the public typings, so fall back to a one-file program if a future compiler renames it.
  const internal: unknown = (sourceFile as unknown as { parseDiagnostics?: unknown }).parseDiagnostics;
  if (Array.isArray(internal)) return internal as readonly TypeScript.Diagnostic[];
  const host: TypeScript.CompilerHost = {
    getSourceFile: (fileName) => (fileName === sourceFile.fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (fileName) => fileName === sourceFile.fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [sourceFile.fileName],
    options: { noLib: true, noResolve: true, allowJs: true },
    host,
  });
  return program.getSyntacticDiagnostics(sourceFile);
}

type PositionOf = (offset: number) => { line: number; column: number };

function collectImportsAndDefinitions(sourceFile: TypeScript.SourceFile, position: PositionOf) {
  const imports: ImportRecord[] = [];
  const requireRecords: ImportRecord[] = [];
  const definitions: Definition[] = [];
  let requireIsShadowed = false;

  const addImport = (
    target: ImportRecord[],
    specifierNode: TypeScript.Node,
    kind: ImportKind,
    extra: Partial<ImportRecord>,
  ) => {
    if (!ts.isStringLiteralLike(specifierNode)) return;
    target.push({ specifier: specifierNode.text, kind, ...position(specifierNode.getStart(sourceFile)), ...extra });
  };
  const addDefinition = (node: TypeScript.Node, name: string, kind: DefinitionKind, parent: string | undefined) => {
    const start = node.getStart(sourceFile);
    definitions.push({
      name,
      kind,
      startLine: position(start).line,
      endLine: position(node.getEnd()).line,
      startOffset: start,
      endOffset: node.getEnd(),
      ...(parent === undefined ? {} : { parent }),
    });
  };

  // `insideTry` covers every guard that lets a dynamic import fail or not run: try blocks, if/else, conditionals.
  const visit = (node: TypeScript.Node, parent: string | undefined, insideTry: boolean): void => {
    let childParent = parent;
    if (ts.isImportDeclaration(node)) {
      addImport(imports, node.moduleSpecifier, 'import', { typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const typeOnly =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((element) => element.isTypeOnly));
      addImport(imports, node.moduleSpecifier, 'export-from', { typeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      addImport(imports, node.moduleReference.expression, 'import-equals', { typeOnly: node.isTypeOnly });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      addImport(imports, node.argument.literal, 'dynamic-import', { typeOnly: true });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const [first] = node.arguments;
      if (first !== undefined && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        addImport(imports, first, 'dynamic-import', insideTry ? { optional: true } : {});
      } else if (
        first !== undefined &&
        node.arguments.length === 1 &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'require'
      ) {
        addImport(requireRecords, first, 'require', insideTry ? { optional: true } : {});
      }
    } else if (
      (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node)) &&
      node.name !== undefined &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'require'
    ) {
      // AMD and bundler shims define their own `require`: its arguments are not Node module specifiers.
      requireIsShadowed = true;
    }

    const definition = definitionOf(node, parent);
    if (definition !== undefined) {
      addDefinition(node, definition.name, definition.kind, parent);
      if (definition.container) childParent = definition.name;
    }

    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, childParent, true);
      if (node.catchClause !== undefined) visit(node.catchClause, childParent, insideTry);
      if (node.finallyBlock !== undefined) visit(node.finallyBlock, childParent, insideTry);
      return;
    }
    const guarded = insideTry || ts.isIfStatement(node) || ts.isConditionalExpression(node);
    ts.forEachChild(node, (child) => visit(child, childParent, guarded));
  };
  visit(sourceFile, undefined, false);
  if (!requireIsShadowed) imports.push(...requireRecords);
  imports.sort((left, right) => left.line - right.line || left.column - right.column);
  return { imports, definitions };
}

function isTypeOnlyImport(node: TypeScript.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

function definitionOf(
  node: TypeScript.Node,
  parent: string | undefined,
): { name: string; kind: DefinitionKind; container: boolean } | undefined {
  const nameText = (name: TypeScript.Node | undefined): string | undefined =>
    name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))
      ? name.text
      : undefined;
  if (ts.isFunctionDeclaration(node)) {
    const name =
      nameText(node.name) ??
      (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : undefined);
    return name === undefined ? undefined : { name, kind: 'function', container: false };
  }
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
    const name =
      nameText(node.name) ?? (ts.isVariableDeclaration(node.parent) ? nameText(node.parent.name) : undefined);
    return name === undefined ? undefined : { name, kind: 'class', container: true };
  }
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const name = nameText(node.name);
    return name === undefined || parent === undefined ? undefined : { name, kind: 'method', container: false };
  }
  if (ts.isConstructorDeclaration(node) && parent !== undefined)
    return { name: 'constructor', kind: 'method', container: false };
  if (ts.isPropertyDeclaration(node) && node.initializer !== undefined && isFunctionLike(node.initializer)) {
    const name = nameText(node.name);
    return name === undefined ? undefined : { name, kind: 'method', container: false };
  }
  if (ts.isInterfaceDeclaration(node)) return { name: node.name.text, kind: 'interface', container: true };
  if (ts.isTypeAliasDeclaration(node)) return { name: node.name.text, kind: 'type', container: false };
  if (ts.isEnumDeclaration(node)) return { name: node.name.text, kind: 'enum', container: false };
  if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) {
    return { name: node.name.text, kind: 'namespace', container: true };
  }
  if (ts.isVariableDeclaration(node) && node.initializer !== undefined && isFunctionLike(node.initializer)) {
    const name = nameText(node.name);
    return name === undefined ? undefined : { name, kind: 'function', container: false };
  }
  return undefined;
}

function isFunctionLike(node: TypeScript.Node): boolean {
  let inner = node;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner) || ts.isSatisfiesExpression(inner)) {
    inner = inner.expression;
  }
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner);
}
