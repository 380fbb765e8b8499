// How a TS/JS function or class can be called (CallableShape) and its signature fingerprint (SPEC §4.5: parameter
// count, optional/rest flags, parameter and return type text; class: constructor and public member names). Shapes
// only say "too few" or "too many" where TypeScript itself would: anything a type could widen counts as optional.
import type { CallableShape } from '../symbols/types.js';
import { ts } from './compiler.js';
import type { TypeScript } from './compiler.js';

export interface ShapeContext {
  readonly sourceFile: TypeScript.SourceFile;
  /** JavaScript: every parameter may be left out (what TypeScript assumes for .js files). */
  readonly isJavaScript: boolean;
  readonly scanner: TypeScript.Scanner;
}

type Signature = TypeScript.SignatureDeclaration;

/** Shapes of a function's declarations: the overload signatures when there are any, else the implementation. */
export function functionShapes(
  context: ShapeContext,
  declarations: readonly Signature[],
): readonly CallableShape[] | undefined {
  // In JavaScript a JSDoc `@type` or `@overload` says how the function may be called, whatever its parameters say.
  if (
    context.isJavaScript &&
    declarations.some((declaration) => /@(?:type|overload)\b/.test(leadingText(context, declaration)))
  ) {
    return undefined;
  }
  const overloads = declarations.filter((declaration) => !hasBody(declaration));
  const implementations = declarations.filter(hasBody);
  if (implementations.length > 1) return undefined; // JavaScript redeclaration: the last one wins at run time
  const callable = overloads.length > 0 && !context.isJavaScript ? overloads : implementations;
  if (callable.length === 0) return undefined;
  return callable.map((declaration) => shapeOf(context, declaration, new Set()));
}

/** Constructor shapes; undefined when unknown (decorated, or inherits a constructor from a base class). */
export function classShapes(
  context: ShapeContext,
  node: TypeScript.ClassLikeDeclaration,
): readonly CallableShape[] | undefined {
  if (ts.canHaveDecorators(node) && (ts.getDecorators(node)?.length ?? 0) > 0) return undefined;
  const classTypeParameters = new Set((node.typeParameters ?? []).map((parameter) => parameter.name.text));
  const constructors = node.members.filter(ts.isConstructorDeclaration);
  if (constructors.length === 0) {
    const extendsSomething = (node.heritageClauses ?? []).some(
      (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword,
    );
    return extendsSomething ? undefined : [{ required: 0, optional: 0, rest: false }];
  }
  const overloads = constructors.filter((declaration) => !hasBody(declaration));
  const implementations = constructors.filter(hasBody);
  const callable = overloads.length > 0 && !context.isJavaScript ? overloads : implementations;
  if (callable.length === 0) return undefined;
  return callable.map((declaration) => shapeOf(context, declaration, classTypeParameters));
}

function hasBody(declaration: Signature): boolean {
  return 'body' in declaration && declaration.body !== undefined;
}

function shapeOf(context: ShapeContext, node: Signature, outerTypeParameters: ReadonlySet<string>): CallableShape {
  const parameters = node.parameters.filter((parameter) => !isThisParameter(parameter));
  const last = parameters.at(-1);
  const hasRest = last?.dotDotDotToken !== undefined;
  const fixed = hasRest ? parameters.slice(0, -1) : parameters;
  // `arguments` makes any count legal at run time; the text test is cheap and errs towards "anything goes".
  const usesArguments = node.getText(context.sourceFile).includes('arguments');
  if (context.isJavaScript) {
    return { required: 0, optional: fixed.length, rest: hasRest || usesArguments || jsDocVariadic(context, node) };
  }
  const typeParameters = new Set([
    ...outerTypeParameters,
    ...(node.typeParameters ?? []).map((parameter) => parameter.name.text),
  ]);
  let required = 0;
  fixed.forEach((parameter, index) => {
    const optional =
      parameter.questionToken !== undefined ||
      parameter.initializer !== undefined ||
      mayAcceptVoid(parameter.type, typeParameters);
    if (!optional) required = index + 1;
  });
  return { required, optional: fixed.length - required, rest: hasRest || usesArguments };
}

function isThisParameter(parameter: TypeScript.ParameterDeclaration): boolean {
  return ts.isIdentifier(parameter.name) && parameter.name.text === 'this';
}

/**
 * TypeScript lets a caller leave out trailing parameters whose type accepts `void`. A type parameter may be
 * instantiated with `void` and conditional or indexed types may evaluate to it: all count as "may be left out".
 */
function mayAcceptVoid(type: TypeScript.TypeNode | undefined, typeParameters: ReadonlySet<string>): boolean {
  if (type === undefined) return false;
  if (type.kind === ts.SyntaxKind.VoidKeyword) return true;
  if (ts.isParenthesizedTypeNode(type)) return mayAcceptVoid(type.type, typeParameters);
  if (ts.isUnionTypeNode(type)) return type.types.some((member) => mayAcceptVoid(member, typeParameters));
  if (ts.isIndexedAccessTypeNode(type) || ts.isConditionalTypeNode(type) || ts.isTypeQueryNode(type)) return true;
  if (ts.isTypeReferenceNode(type)) {
    if (ts.isIdentifier(type.typeName) && typeParameters.has(type.typeName.text)) return true;
    // An alias could still stand for void; one wrapping a type parameter (NoInfer<T>, Maybe<T>) often does.
    return (type.typeArguments ?? []).some((argument) => mayAcceptVoid(argument, typeParameters));
  }
  return false;
}

/** A JSDoc `@param {...T}` declares a variadic JavaScript function. */
function jsDocVariadic(context: ShapeContext, node: TypeScript.Node): boolean {
  return /\{\s*\.\.\./.test(leadingText(context, node));
}

/** The comments before a function's statement (`const f = () => ...` included), where its JSDoc lives. */
function leadingText(context: ShapeContext, node: TypeScript.Node): string {
  let owner = node;
  if (ts.isVariableDeclaration(owner.parent)) owner = owner.parent.parent.parent;
  return context.sourceFile.text.slice(owner.getFullStart(), owner.getStart(context.sourceFile));
}

/** Token text with trivia and comments dropped: layout and comments never change a fingerprint. */
export function normalizedText(context: ShapeContext, node: TypeScript.Node | undefined): string {
  if (node === undefined) return '';
  const { scanner, sourceFile } = context;
  scanner.setText(sourceFile.text, node.getStart(sourceFile), node.getEnd() - node.getStart(sourceFile));
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    tokens.push(scanner.getTokenText());
  }
  return tokens.join(' ');
}

export function functionFingerprint(context: ShapeContext, node: Signature): string {
  const typeParameters =
    node.typeParameters === undefined
      ? ''
      : `<${node.typeParameters.map((parameter) => normalizedText(context, parameter)).join(',')}>`;
  const parameters = node.parameters.map((parameter) => {
    const name = isThisParameter(parameter) ? 'this' : '';
    const flags = `${parameter.dotDotDotToken === undefined ? '' : '...'}${
      parameter.questionToken !== undefined || parameter.initializer !== undefined ? '?' : ''
    }`;
    return `${name}${flags}:${normalizedText(context, parameter.type)}`;
  });
  return `${typeParameters}(${parameters.join(',')})=>${normalizedText(context, node.type)}`;
}

export function classFingerprint(context: ShapeContext, node: TypeScript.ClassLikeDeclaration): string {
  const head = [
    node.typeParameters === undefined
      ? ''
      : `<${node.typeParameters.map((parameter) => normalizedText(context, parameter)).join(',')}>`,
    ...(node.heritageClauses ?? []).map((clause) => normalizedText(context, clause)),
  ].join(' ');
  const constructors = node.members
    .filter(ts.isConstructorDeclaration)
    .map((declaration) => functionFingerprint(context, declaration));
  const members = node.members
    .filter((member) => !ts.isConstructorDeclaration(member) && !isPrivateMember(member))
    .map((member) => {
      const isStatic = ts.canHaveModifiers(member) && hasModifier(member, ts.SyntaxKind.StaticKeyword);
      return `${isStatic ? 'static ' : ''}${memberName(context, member)}`;
    });
  return `class${head}(${constructors.join('|')}){${[...new Set(members)].sort().join(',')}}`;
}

function isPrivateMember(member: TypeScript.ClassElement): boolean {
  if (member.name !== undefined && ts.isPrivateIdentifier(member.name)) return true;
  if (ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member)) return true;
  return (
    ts.canHaveModifiers(member) &&
    (hasModifier(member, ts.SyntaxKind.PrivateKeyword) || hasModifier(member, ts.SyntaxKind.ProtectedKeyword))
  );
}

function memberName(context: ShapeContext, member: TypeScript.ClassElement): string {
  if (ts.isIndexSignatureDeclaration(member)) return `[${normalizedText(context, member.parameters[0]?.type)}]`;
  const name = member.name;
  if (name === undefined) return '';
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return normalizedText(context, name);
}

export function hasModifier(node: TypeScript.HasModifiers, kind: TypeScript.SyntaxKind): boolean {
  return ts.getModifiers(node)?.some((modifier) => modifier.kind === kind) ?? false;
}
