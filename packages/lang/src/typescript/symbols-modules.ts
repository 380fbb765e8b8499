// The module-level statements of a TS/JS file: import bindings (ES imports, `import x = require()`, top-level
// `const x = require()`), re-exports, local export lists, and the flags that make the export set unknowable.
import type { SymbolImport, SymbolReExport } from '../symbols/types.js';
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import type { Piece } from './symbols-declarations.js';
import { isGlobalAugmentation, piecesOf, valuePiece } from './symbols-declarations.js';
import { skipOuterExpressions } from './symbols-scopes.js';
import type { ShapeContext } from './symbols-shapes.js';
import { hasModifier } from './symbols-shapes.js';

/** `export { local as exported }`, `export default local`, `export function local`. */
export interface LocalExport {
  readonly local: string;
  readonly exported: string;
  readonly node: TypeScript.Node;
}

export interface ModuleStatements {
  readonly pieces: readonly Piece[];
  readonly localExports: readonly LocalExport[];
  /** `export default <expression>` that is not a plain name. */
  readonly defaultPiece: Piece | undefined;
  readonly imports: readonly SymbolImport[];
  readonly reExports: readonly SymbolReExport[];
  /** Any ES module syntax (import, export): the file is a module. */
  readonly esModule: boolean;
  readonly exportEquals: boolean;
  /** `export { ... }` or `export default/=` statements (a .d.ts without them exports every declaration). */
  readonly explicitExportList: boolean;
  /** `declare module "x"` or `declare global`. */
  readonly ambient: boolean;
}

export function readModuleStatements(context: ShapeContext, options: { requireIsNodes: boolean }): ModuleStatements {
  const { sourceFile } = context;
  const pieces: Piece[] = [];
  const localExports: LocalExport[] = [];
  const imports: SymbolImport[] = [];
  const reExports: SymbolReExport[] = [];
  let defaultPiece: Piece | undefined;
  let esModule = false;
  let exportEquals = false;
  let explicitExportList = false;
  let ambient = false;
  const position = (node: TypeScript.Node) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return { line: line + 1, column: character + 1 };
  };

  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement)) {
      esModule = true;
      if (!ts.isStringLiteralLike(statement.moduleSpecifier)) continue;
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause === undefined) {
        imports.push({ local: '', imported: '*', specifier, kind: 'import', ...position(statement.moduleSpecifier) });
        continue;
      }
      const add = (name: TypeScript.Identifier, imported: string, typeOnly: boolean) =>
        imports.push({ local: name.text, imported, specifier, kind: 'import', ...position(name), typeOnly });
      if (clause.name !== undefined) add(clause.name, 'default', clause.isTypeOnly);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) add(bindings.name, '*', clause.isTypeOnly);
      else if (bindings !== undefined) {
        for (const element of bindings.elements) {
          add(element.name, (element.propertyName ?? element.name).text, clause.isTypeOnly || element.isTypeOnly);
        }
      }
    } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      esModule = true;
      const expression = statement.moduleReference.expression;
      if (!ts.isStringLiteralLike(expression)) continue;
      imports.push({
        local: statement.name.text,
        imported: '*',
        specifier: expression.text,
        kind: 'import-equals',
        ...position(statement.name),
        typeOnly: statement.isTypeOnly,
      });
      if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
        localExports.push({ local: statement.name.text, exported: statement.name.text, node: statement });
      }
    } else if (ts.isExportDeclaration(statement)) {
      esModule = true;
      const clause = statement.exportClause;
      if (statement.moduleSpecifier !== undefined) {
        if (!ts.isStringLiteralLike(statement.moduleSpecifier)) continue;
        const names =
          clause === undefined
            ? ('*' as const)
            : ts.isNamespaceExport(clause)
              ? [{ imported: '*', exported: clause.name.text }]
              : clause.elements.map((element) => ({
                  imported: (element.propertyName ?? element.name).text,
                  exported: element.name.text,
                }));
        reExports.push({
          specifier: statement.moduleSpecifier.text,
          kind: 'export-from',
          names,
          line: position(statement).line,
        });
        continue;
      }
      explicitExportList = true;
      if (clause !== undefined && ts.isNamedExports(clause)) {
        for (const element of clause.elements) {
          const local = (element.propertyName ?? element.name).text;
          localExports.push({ local, exported: element.name.text, node: element });
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      esModule = true;
      explicitExportList = true;
      if (statement.isExportEquals === true) exportEquals = true;
      else if (ts.isIdentifier(skipOuterExpressions(statement.expression))) {
        const local = (skipOuterExpressions(statement.expression) as TypeScript.Identifier).text;
        localExports.push({ local, exported: 'default', node: statement });
      } else defaultPiece = valuePiece(context, 'default', statement, statement.expression);
    } else if (ts.isNamespaceExportDeclaration(statement)) {
      esModule = true;
    } else if (
      ts.isModuleDeclaration(statement) &&
      (ts.isStringLiteral(statement.name) || isGlobalAugmentation(statement))
    ) {
      ambient = true;
    } else {
      const required = options.requireIsNodes ? requireBindings(statement, position) : undefined;
      if (required !== undefined) {
        imports.push(...required);
        continue;
      }
      const declared = piecesOf(context, statement);
      pieces.push(...declared);
      if (ts.canHaveModifiers(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
        esModule = true;
        const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
        for (const entry of declared) {
          localExports.push({ local: entry.name, exported: isDefault ? 'default' : entry.name, node: statement });
        }
      }
    }
  }
  return {
    pieces,
    localExports,
    defaultPiece,
    imports,
    reExports,
    esModule,
    exportEquals,
    explicitExportList,
    ambient,
  };
}

/**
 * `const x = require('m')` (binding `*`), `const { a, b: c } = require('m')`, `const a = require('m').a`. Undefined
 * when the statement is not one of these; an element too complex to follow (nested pattern, default) is left out.
 */
function requireBindings(
  statement: TypeScript.Statement,
  position: (node: TypeScript.Node) => { line: number; column: number },
): SymbolImport[] | undefined {
  if (!ts.isVariableStatement(statement) || ts.getModifiers(statement) !== undefined) return undefined;
  const declarations = statement.declarationList.declarations;
  const found: SymbolImport[] = [];
  for (const declaration of declarations) {
    const initializer =
      declaration.initializer === undefined ? undefined : skipOuterExpressions(declaration.initializer);
    if (initializer === undefined) return undefined;
    const call = ts.isPropertyAccessExpression(initializer)
      ? skipOuterExpressions(initializer.expression)
      : initializer;
    const specifier = requireSpecifier(call);
    if (specifier === undefined) return undefined;
    const member = ts.isPropertyAccessExpression(initializer) ? initializer.name.text : undefined;
    const base = { specifier, kind: 'require' as const };
    if (ts.isIdentifier(declaration.name)) {
      found.push({ ...base, local: declaration.name.text, imported: member ?? '*', ...position(declaration.name) });
    } else if (ts.isObjectBindingPattern(declaration.name) && member === undefined) {
      for (const element of declaration.name.elements) {
        const property = element.propertyName ?? element.name;
        if (element.dotDotDotToken !== undefined || element.initializer !== undefined) continue;
        if (!ts.isIdentifier(element.name) || !(ts.isIdentifier(property) || ts.isStringLiteral(property))) continue;
        found.push({ ...base, local: element.name.text, imported: property.text, ...position(element.name) });
      }
    }
  }
  return found.length > 0 || declarations.length > 0 ? found : undefined;
}

function requireSpecifier(node: TypeScript.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const [argument] = node.arguments;
  if (!ts.isIdentifier(node.expression) || node.expression.text !== 'require') return undefined;
  return argument !== undefined && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}
