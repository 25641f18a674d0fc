/**
 * Which top-level declarations of the document a selection needs: the names it uses that it does not declare
 * itself, found transitively, in document order. A name found nowhere (and not a JavaScript global) is a
 * located error, as is a name that comes from an import (a snippet runs on its own).
 */
import type * as TS from 'typescript';
import { findGlobals } from './globals.ts';
import { SnippetError } from './snippetError.ts';

/** Names a statement or the selection declares anywhere inside it, and names it uses. */
function namesIn(ts: typeof TS, root: TS.Node): { declared: Set<string>; used: Map<string, number> } {
  const declared = new Set<string>();
  const used = new Map<string, number>();
  const declare = (name: TS.BindingName | TS.Identifier | undefined) => {
    if (!name) return;
    if (ts.isIdentifier(name)) declared.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) declare(element.name);
  };
  const visit = (node: TS.Node): void => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isTypeParameterDeclaration(node)) return;
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return;
    if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) declared.add(node.name.text);
    if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) declare(node.name);
    else if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isEnumDeclaration(node)) && node.name) declare(node.name);
    else if (ts.isIdentifier(node) && isReference(ts, node) && !used.has(node.text)) used.set(node.text, node.getStart());
    ts.forEachChild(node, visit);
  };
  visit(root);
  return { declared, used };
}

/** Whether an identifier reads a variable (not a property name, a declaration's name or a label). */
function isReference(ts: typeof TS, node: TS.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) || ts.isMetaProperty(parent)) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent)
    || ts.isSetAccessor(parent) || ts.isEnumMember(parent) || ts.isPropertySignature(parent)) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent)
    || ts.isClassDeclaration(parent) || ts.isClassExpression(parent) || ts.isEnumDeclaration(parent) || ts.isModuleDeclaration(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && (parent.name === node || parent.propertyName === node)) return false;
  if ((ts.isLabeledStatement(parent) || ts.isBreakStatement(parent) || ts.isContinueStatement(parent)) && parent.label === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent) || ts.isExportSpecifier(parent)) return false;
  return true;
}

/** The names a top-level statement declares. */
function topLevelNames(ts: typeof TS, statement: TS.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    const names: string[] = [];
    const collect = (name: TS.BindingName) => {
      if (ts.isIdentifier(name)) names.push(name.text);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    for (const declaration of statement.declarationList.declarations) collect(declaration.name);
    return names;
  }
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) return [statement.name.text];
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) return [statement.name.text];
  return [];
}

/**
 * The top-level statements of the document, outside the selection, that the selection needs, transitively,
 * in document order. A name found nowhere (and not a JavaScript global) is a located error.
 */
export function findDependencies(ts: typeof TS, document: TS.SourceFile, selection: TS.SourceFile, start: number, end: number): TS.Statement[] {
  const byName = new Map<string, TS.Statement>();
  const imported = new Set<string>();
  for (const statement of document.statements) {
    if (statement.end > start && statement.getStart(document) < end) continue;
    if (ts.isImportDeclaration(statement) && statement.importClause && !statement.importClause.isTypeOnly) {
      const clause = statement.importClause;
      if (clause.name) imported.add(clause.name.text);
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const element of clause.namedBindings.elements) imported.add(element.name.text);
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) imported.add(clause.namedBindings.name.text);
    }
    for (const name of topLevelNames(ts, statement)) if (!byName.has(name)) byName.set(name, statement);
  }
  const globals = findGlobals();
  const included = new Set<TS.Statement>();
  const pending: Array<{ root: TS.Node; offset: number }> = [{ root: selection, offset: start }];
  while (pending.length > 0) {
    const { root, offset } = pending.pop()!;
    const { declared, used } = namesIn(ts, root);
    for (const [name, position] of used) {
      if (declared.has(name)) continue;
      const statement = byName.get(name);
      if (statement) {
        if (!included.has(statement)) {
          included.add(statement);
          pending.push({ root: statement, offset: 0 });
        }
      } else if (imported.has(name)) {
        throw new SnippetError(`\`${name}\` is imported; a snippet runs on its own, without imports: declare \`${name}\` in the file or the selection`, offset + position, offset + position + name.length);
      } else if (!globals.has(name)) {
        throw new SnippetError(`\`${name}\` is not defined: declare it in the selection or at the top level of the file`, offset + position, offset + position + name.length);
      }
    }
  }
  return document.statements.filter((statement) => included.has(statement));
}
