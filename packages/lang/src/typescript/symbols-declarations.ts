// Module-level declarations of a TS/JS file as SymbolDeclarations: one per name, merging overloads and declaration
// merging (a class and its interface, a function and its namespace). A name whose binding is not certain (declared
// twice as a value, reassigned, given an explicit function type) gets no call shapes: its calls are not checked.
import type { CallableShape, SymbolDeclaration, SymbolKind } from '../symbols/types.js';
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';
import { bindingIdentifiers, skipOuterExpressions } from './symbols-scopes.js';
import type { ShapeContext } from './symbols-shapes.js';
import {
  classFingerprint,
  classShapes,
  functionFingerprint,
  functionShapes,
  hasModifier,
  normalizedText,
} from './symbols-shapes.js';

/** One declaration of a module-level name (a name may have several: overloads, merged declarations). */
export interface Piece {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly node: TypeScript.Node;
  readonly signature: string;
  readonly fingerprint: string;
  /** How it is called, when it is a function or class; `unknown` when it is a value of unknown shape. */
  readonly call:
    | { readonly type: 'function'; readonly node: TypeScript.SignatureDeclaration }
    | { readonly type: 'class'; readonly node: TypeScript.ClassLikeDeclaration }
    | { readonly type: 'unknown' }
    | undefined;
}

const MAX_SIGNATURE = 2_000;

/** Pieces declared by one top-level statement (imports, exports lists and expressions declare none). */
export function piecesOf(context: ShapeContext, statement: TypeScript.Statement): Piece[] {
  const { sourceFile } = context;
  const isDefault = ts.canHaveModifiers(statement) && hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
  if (ts.isFunctionDeclaration(statement)) {
    const name = statement.name?.text ?? (isDefault ? 'default' : undefined);
    if (name === undefined) return [];
    const signature = textBetween(sourceFile, statement, statement.body?.getStart(sourceFile));
    return [
      piece(name, 'function', statement, signature, functionFingerprint(context, statement), {
        type: 'function',
        node: statement,
      }),
    ];
  }
  if (ts.isClassDeclaration(statement)) {
    const name = statement.name?.text ?? (isDefault ? 'default' : undefined);
    if (name === undefined) return [];
    return [classPiece(context, name, statement, statement)];
  }
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
    const kind = ts.isInterfaceDeclaration(statement) ? 'interface' : 'type';
    const text = textBetween(sourceFile, statement, undefined);
    return [
      piece(statement.name.text, kind, statement, text, typeFingerprint(normalizedText(context, statement)), undefined),
    ];
  }
  if (ts.isEnumDeclaration(statement)) {
    const members = statement.members.map((member) => normalizedText(context, member)).join(',');
    const signature = textBetween(sourceFile, statement, statement.members.pos).replace(/\{$/, '').trim();
    return [piece(statement.name.text, 'enum', statement, signature, `enum{${members}}`, { type: 'unknown' })];
  }
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && !isGlobalAugmentation(statement)) {
    const body = statement.body;
    const exported =
      body !== undefined && ts.isModuleBlock(body)
        ? body.statements.flatMap((inner) =>
            ts.canHaveModifiers(inner) && hasModifier(inner, ts.SyntaxKind.ExportKeyword)
              ? piecesOf(context, inner).map((member) => member.name)
              : [],
          )
        : [];
    const signature = textBetween(sourceFile, statement, body?.getStart(sourceFile));
    const fingerprint = `namespace{${[...new Set(exported)].sort().join(',')}}`;
    return [piece(statement.name.text, 'namespace', statement, signature, fingerprint, undefined)];
  }
  if (ts.isVariableStatement(statement)) return variablePieces(context, statement);
  if (ts.isImportEqualsDeclaration(statement) && !ts.isExternalModuleReference(statement.moduleReference)) {
    const signature = textBetween(sourceFile, statement, undefined);
    return [
      piece(statement.name.text, 'unknown', statement, signature, normalizedText(context, statement.moduleReference), {
        type: 'unknown',
      }),
    ];
  }
  return [];
}

function variablePieces(context: ShapeContext, statement: TypeScript.VariableStatement): Piece[] {
  const { sourceFile } = context;
  const list = statement.declarationList;
  const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
  const keyword = sourceFile.text
    .slice(statement.getStart(sourceFile), list.declarations[0]?.getStart(sourceFile) ?? statement.getEnd())
    .trim();
  const pieces: Piece[] = [];
  for (const declaration of list.declarations) {
    const names = bindingIdentifiers(declaration.name);
    const initializer =
      declaration.initializer === undefined ? undefined : skipOuterExpressions(declaration.initializer);
    // Only an unannotated `const` keeps the shape of its function: a type annotation or `as` decides what callers
    // may pass, and `let`/`var` can be reassigned.
    const plain =
      isConst &&
      ts.isIdentifier(declaration.name) &&
      declaration.type === undefined &&
      declaration.initializer !== undefined &&
      !containsTypeAssertion(declaration.initializer);
    const name = names[0];
    if (plain && name !== undefined && initializer !== undefined) {
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) {
        const signature = `${keyword} ${textBetween(sourceFile, declaration, initializer.body.getStart(sourceFile))}`;
        pieces.push(
          piece(name, 'function', declaration, signature, functionFingerprint(context, initializer), {
            type: 'function',
            node: initializer,
          }),
        );
        continue;
      }
      if (ts.isClassExpression(initializer)) {
        pieces.push(classPiece(context, name, declaration, initializer));
        continue;
      }
    }
    const end = declaration.initializer?.getStart(sourceFile);
    const signature = `${keyword} ${textBetween(sourceFile, declaration, end).replace(/=$/, '').trim()}`;
    const fingerprint = `${isConst ? 'const' : 'let'}:${normalizedText(context, declaration.type)}`;
    for (const bound of names) {
      pieces.push(
        piece(bound, isConst ? 'constant' : 'variable', declaration, signature, fingerprint, { type: 'unknown' }),
      );
    }
  }
  return pieces;
}

function containsTypeAssertion(node: TypeScript.Expression): boolean {
  let inner: TypeScript.Node = node;
  while (ts.isParenthesizedExpression(inner) || ts.isSatisfiesExpression(inner) || ts.isNonNullExpression(inner)) {
    inner = inner.expression;
  }
  return ts.isAsExpression(inner) || ts.isTypeAssertionExpression(inner);
}

export function classPiece(
  context: ShapeContext,
  name: string,
  node: TypeScript.Node,
  declaration: TypeScript.ClassLikeDeclaration,
): Piece {
  const signature = textBetween(context.sourceFile, node, declaration.members.pos).replace(/\{$/, '').trim();
  return piece(name, 'class', node, signature, classFingerprint(context, declaration), {
    type: 'class',
    node: declaration,
  });
}

/** A piece for a value expression exported without a name of its own (`export default ...`, CommonJS exports). */
export function valuePiece(context: ShapeContext, name: string, node: TypeScript.Node, value: TypeScript.Node): Piece {
  const inner = ts.isExpression(value) ? skipOuterExpressions(value) : value;
  if (ts.isClassExpression(inner)) return classPiece(context, name, node, inner);
  if ((ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || ts.isMethodDeclaration(inner)) && inner.body) {
    const signature = textBetween(context.sourceFile, node, inner.body.getStart(context.sourceFile));
    return piece(name, 'function', node, signature, functionFingerprint(context, inner), {
      type: 'function',
      node: inner,
    });
  }
  const signature = textBetween(context.sourceFile, node, undefined);
  return piece(name, 'variable', node, signature, 'value', { type: 'unknown' });
}

function piece(
  name: string,
  kind: SymbolKind,
  node: TypeScript.Node,
  signature: string,
  fingerprint: string,
  call: Piece['call'],
): Piece {
  return { name, kind, node, signature, fingerprint, call };
}

const KIND_PRIORITY: readonly SymbolKind[] = [
  'function',
  'class',
  'enum',
  'constant',
  'variable',
  'namespace',
  'interface',
  'type',
  'unknown',
];

/**
 * One SymbolDeclaration for the pieces of one name. `certain` is false when something else may rebind the name
 * (an assignment, a second binding in a nested block): the declaration then has no call shapes.
 */
export function mergePieces(context: ShapeContext, pieces: readonly Piece[], certain: boolean): SymbolDeclaration {
  const first = pieces[0];
  if (first === undefined) throw new Error('mergePieces needs at least one piece');
  const { sourceFile } = context;
  const lineOf = (offset: number) => sourceFile.getLineAndCharacterOfPosition(offset).line + 1;
  const kind = KIND_PRIORITY.find((candidate) => pieces.some((entry) => entry.kind === candidate)) ?? 'unknown';
  const callable = certain ? shapesOf(context, pieces) : undefined;
  return {
    name: first.name,
    kind,
    line: lineOf(first.node.getStart(sourceFile)),
    endLine: lineOf(Math.max(...pieces.map((entry) => entry.node.getEnd()))),
    signature: pieces.map((entry) => entry.signature).join('\n'),
    fingerprint: pieces.map((entry) => entry.fingerprint).join(' & '),
    ...(callable === undefined ? {} : { callable }),
  };
}

function shapesOf(context: ShapeContext, pieces: readonly Piece[]): readonly CallableShape[] | undefined {
  const calls = pieces.flatMap((entry) => (entry.call === undefined ? [] : [entry.call]));
  if (calls.length === 0 || calls.some((call) => call.type === 'unknown')) return undefined;
  const functions = calls.flatMap((call) => (call.type === 'function' ? [call.node] : []));
  const classes = calls.flatMap((call) => (call.type === 'class' ? [call.node] : []));
  if (classes.length > 0)
    return functions.length === 0 && classes.length === 1 && classes[0] ? classShapes(context, classes[0]) : undefined;
  return functionShapes(context, functions);
}

export function isGlobalAugmentation(node: TypeScript.ModuleDeclaration): boolean {
  return (node.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
}

/** Source text from a node's start (JSDoc excluded) to `end`, trimmed and capped. */
export function textBetween(sourceFile: TypeScript.SourceFile, node: TypeScript.Node, end: number | undefined): string {
  const start = node.getStart(sourceFile);
  return sourceFile.text
    .slice(start, Math.max(start, end ?? node.getEnd()))
    .trim()
    .slice(0, MAX_SIGNATURE);
}

/**
 * `export declare interface X { a: string, }` and `interface X { a: string }` have the same fingerprint: modifiers
 * and member separators (`;` or `,`, trailing or not) do not change what callers see.
 */
function typeFingerprint(text: string): string {
  return text
    .replace(/^(?:(?:export|declare|default) )+/, '')
    .replace(/ ;/g, ' ,')
    .replace(/ ,(?= [}\]>)]|$)/g, '');
}
