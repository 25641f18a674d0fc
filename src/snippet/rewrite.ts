/**
 * From the user's TypeScript to a script the sandbox runs: parse with the TypeScript compiler API, find the
 * top-level declarations the selection needs, and rewrite operators and `Math` calls into calls on the
 * runtime (`a * b` becomes `__gg.mul(a, b, 7)`, where 7 numbers the source site of `a * b`). TypeScript's
 * own emit then strips the types. Every position the rewriter records is an offset in the user's document.
 */
import type * as TS from 'typescript';
import { RUNTIME_GLOBAL, type GroupSite, type Site } from './protocol.ts';
import { findGlobals } from './globals.ts';
import { loadTypeScript } from './typescriptLoader.ts';

/** A failure located in the document by offsets; `evaluate` turns offsets into lines and columns. */
export class SnippetError extends Error {
  constructor(message: string, readonly start: number, readonly end: number = start, readonly setting?: string) {
    super(message);
  }
}

export interface RewriteRequest {
  /** The whole document: declarations the selection uses are taken from it. */
  readonly text: string;
  readonly fileName: string;
  /** Offsets of the selection in `text`. */
  readonly start: number;
  readonly end: number;
}

/** One piece of the generated script: a statement of the document or the selection, and its source map. */
export interface Chunk {
  readonly offset: number;
  readonly text: string;
  /** First line of this chunk's code in the generated script, 1-based. */
  readonly firstLine: number;
  readonly lineCount: number;
  /** The source map's `mappings` (generated chunk code to chunk text). */
  readonly mappings: string;
}

export interface RewriteResult {
  readonly script: string;
  readonly sites: Site[];
  readonly groupSites: GroupSite[];
  /** The names the rewritten code gives values, referred to by index (`__gg.label(x, 3)`). */
  readonly labels: string[];
  readonly chunks: Chunk[];
}

/** The names of one rewrite, each listed once. */
class LabelTable {
  readonly labels: string[] = [];
  private readonly indices = new Map<string, number>();

  indexOf(label: string): number {
    let index = this.indices.get(label);
    if (index === undefined) {
      index = this.labels.push(label) - 1;
      this.indices.set(label, index);
    }
    return index;
  }
}

const ARITHMETIC: ReadonlyMap<number, string> = new Map();
/** Operators whose result is a boolean (after the rewrite of `===`, `==` and their negations). */
const BOOLEAN_OPERATORS: ReadonlySet<number> = new Set();
const COMPOUND: ReadonlyMap<number, string> = new Map();

function operatorTables(ts: typeof TS): void {
  if (ARITHMETIC.size > 0) return;
  const arithmetic = ARITHMETIC as Map<number, string>;
  arithmetic.set(ts.SyntaxKind.PlusToken, 'add').set(ts.SyntaxKind.MinusToken, 'sub').set(ts.SyntaxKind.AsteriskToken, 'mul')
    .set(ts.SyntaxKind.SlashToken, 'div').set(ts.SyntaxKind.PercentToken, 'mod').set(ts.SyntaxKind.AsteriskAsteriskToken, 'pow');
  const boolean = BOOLEAN_OPERATORS as Set<number>;
  for (const kind of [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken,
    ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
    ts.SyntaxKind.InstanceOfKeyword, ts.SyntaxKind.InKeyword]) boolean.add(kind);
  const compound = COMPOUND as Map<number, string>;
  compound.set(ts.SyntaxKind.PlusEqualsToken, 'add').set(ts.SyntaxKind.MinusEqualsToken, 'sub').set(ts.SyntaxKind.AsteriskEqualsToken, 'mul')
    .set(ts.SyntaxKind.SlashEqualsToken, 'div').set(ts.SyntaxKind.PercentEqualsToken, 'mod').set(ts.SyntaxKind.AsteriskAsteriskEqualsToken, 'pow');
}

/** JavaScript or TypeScript, with or without JSX, by the file's extension. */
export function scriptKindOf(ts: typeof TS, fileName: string): TS.ScriptKind {
  if (/\.(m|c)?jsx?$/i.test(fileName)) return fileName.toLowerCase().endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return fileName.toLowerCase().endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** Rewrites the selection (and the declarations it needs) into a script for the sandbox. Throws `SnippetError`. */
export function rewriteSnippet(request: RewriteRequest): RewriteResult {
  const ts = loadTypeScript();
  operatorTables(ts);
  const { text, start, end } = request;
  const kind = scriptKindOf(ts, request.fileName);
  const selectionText = text.slice(start, end);
  if (selectionText.trim() === '') throw new SnippetError('nothing to evaluate: select the code to differentiate', start, end);

  const selection = ts.createSourceFile('selection.ts', selectionText, ts.ScriptTarget.ES2022, true, kind);
  throwSyntaxError(ts, selection, start);
  const document = ts.createSourceFile(request.fileName, text, ts.ScriptTarget.ES2022, true, kind);

  const dependencies = findDependencies(ts, document, selection, start, end);
  const sites: Site[] = [];
  const groupSites: GroupSite[] = [];
  const labels = new LabelTable();
  const pieces = [
    ...dependencies.map((statement) => ({ offset: statement.getStart(document), text: text.slice(statement.getStart(document), statement.end), isSelection: false })),
    { offset: start, text: selectionText, isSelection: true },
  ];
  // One function around everything: V8 optimises a function's locals far better than a script's top-level
  // bindings (a loop over `let x` at the top level ran about 3x slower).
  // Its parameters make the runtime and the globals a snippet uses most into locals (global lookups in a vm
  // context go through an interceptor and are slow). The runtime's `run` calls it (an arrow function, so
  // that the snippet's `arguments` is not the runtime's), catching whatever it throws inside the context.
  const lines = ['"use strict";', `globalThis.${RUNTIME_GLOBAL}Run((${RUNTIME_GLOBAL}, Math, exports) => {`];
  const chunks: Chunk[] = [];
  for (const piece of pieces) {
    const output = ts.transpileModule(piece.text, {
      fileName: kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX ? 'chunk.js' : 'chunk.ts',
      reportDiagnostics: true,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, sourceMap: true, removeComments: true,
        useDefineForClassFields: true, jsx: ts.JsxEmit.Preserve, allowJs: true,
      },
      transformers: { before: [createRewriter(ts, piece.offset, piece.isSelection, sites, groupSites, labels)] },
    });
    const diagnostic = output.diagnostics?.find((item) => item.category === ts.DiagnosticCategory.Error);
    if (diagnostic) throw new SnippetError(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), piece.offset + (diagnostic.start ?? 0));
    const code = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n').replace(/^"use strict";\n/, '');
    const codeLines = code.split('\n');
    const map = JSON.parse(output.sourceMapText ?? '{"mappings":""}') as { mappings: string };
    // "use strict" is removed above, so the map's lines move up by one when it was there.
    const shift = output.outputText.startsWith('"use strict";\n') ? 1 : 0;
    chunks.push({ offset: piece.offset, text: piece.text, firstLine: lines.length + 1 - shift, lineCount: codeLines.length + shift, mappings: map.mappings });
    lines.push(...codeLines);
  }
  lines.push('});');
  return { script: lines.join('\n'), sites, groupSites, labels: labels.labels, chunks };
}

function throwSyntaxError(ts: typeof TS, file: TS.SourceFile, offset: number): void {
  const diagnostics = (file as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first) throw new SnippetError(ts.flattenDiagnosticMessageText(first.messageText, '\n'), offset + first.start, offset + first.start + first.length);
}

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
  if (ts.isQualifiedName(parent)) return false;
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
function findDependencies(ts: typeof TS, document: TS.SourceFile, selection: TS.SourceFile, start: number, end: number): TS.Statement[] {
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

/**
 * The transformer that rewrites one chunk. `offset` is the chunk's offset in the document;
 * `isSelection` marks the chunk whose end is the output.
 */
function createRewriter(ts: typeof TS, offset: number, isSelection: boolean, sites: Site[], groupSites: GroupSite[], labels: LabelTable): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (sourceFile) => {
    const f = context.factory;
    let uniqueCounter = 0;
    const runtime = (method: string, args: readonly TS.Expression[]) =>
      f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(RUNTIME_GLOBAL), method), undefined, args);
    const number = (value: number) => f.createNumericLiteral(value);
    const string = (value: string) => f.createStringLiteral(value);
    const label = (name: string) => number(labels.indexOf(name));
    const site = (node: TS.Node, left?: number, right?: number): number => {
      sites.push(left === undefined && right === undefined ? [offset + node.getStart(sourceFile), offset + node.end] : [offset + node.getStart(sourceFile), offset + node.end, left ?? -1, right ?? -1]);
      return sites.length - 1;
    };
    const isNumericLiteral = (node: TS.Expression): boolean =>
      ts.isNumericLiteral(node) || (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand))
      || (ts.isParenthesizedExpression(node) && isNumericLiteral(node.expression));
    /** A literal operand gets a site of its own, for its constant node's range. */
    const operandSite = (node: TS.Expression): number | undefined => (isNumericLiteral(node) ? site(node) : undefined);
    const fail = (message: string, node: TS.Node): never => {
      throw new SnippetError(message, offset + node.getStart(sourceFile), offset + node.end);
    };
    const withRange = <T extends TS.Node>(created: T, original: TS.Node): T => ts.setTextRange(created, original);

    function visitExpression(node: TS.Expression): TS.Expression {
      return ts.visitNode(node, visit, ts.isExpression);
    }

    /** `target op= value`, `++target`, `target--`: the new value is named like the variable it lands in. */
    function update(node: TS.Node, target: TS.Expression, operation: string, value: TS.Expression, returnOld: boolean): TS.Expression {
      const at = site(node);
      const inner = ts.isParenthesizedExpression(target) ? target.expression : target;
      if (ts.isIdentifier(inner)) {
        const assignment = f.createAssignment(inner, runtime('label', [runtime(operation, [inner, value, number(at)]), label(inner.text)]));
        // For `x++` used as a value, the old value is read before the assignment: postfix(old, assignment).
        return returnOld ? runtime('first', [inner, assignment]) : f.createParenthesizedExpression(assignment);
      }
      if (ts.isPropertyAccessExpression(inner)) {
        return runtime('updateMember', [visitExpression(inner.expression), string(inner.name.text), string(operation), value, number(at), returnOld ? f.createTrue() : f.createFalse()]);
      }
      if (ts.isElementAccessExpression(inner)) {
        return runtime('updateMember', [visitExpression(inner.expression), visitExpression(inner.argumentExpression), string(operation), value, number(at), returnOld ? f.createTrue() : f.createFalse()]);
      }
      return fail('this assignment target is not supported in a snippet: assign to a variable, a property or an array element', target);
    }

    const isResultUnused = (node: TS.Node): boolean =>
      ts.isExpressionStatement(node.parent) || (ts.isForStatement(node.parent) && node.parent.incrementor === node);

    /** The name a function gets in groups: its own, or the variable or property it is assigned to. */
    function functionName(node: TS.FunctionLikeDeclaration): string | undefined {
      if (node.name && ts.isIdentifier(node.name)) return node.name.text;
      const parent = node.parent;
      if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
      return undefined;
    }

    /** Wraps a function's body so that nodes made during a call belong to a group for that call. */
    function groupBody(node: TS.FunctionLikeDeclaration, body: TS.ConciseBody): TS.Block {
      const name = functionName(node)!;
      const groupSite = groupSites.push({ kind: 'call', name, site: site(node) }) - 1;
      const token = f.createUniqueName(`__ggCall${uniqueCounter++}`);
      const statements = ts.isBlock(body) ? body.statements : [f.createReturnStatement(body)];
      return f.createBlock([
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(token, undefined, undefined, runtime('enter', [number(groupSite)]))], ts.NodeFlags.Const)),
        f.createTryStatement(f.createBlock(statements, true), undefined, f.createBlock([f.createExpressionStatement(runtime('exit', [token]))], true)),
      ], true);
    }

    const LOOP_NAMES: Partial<Record<TS.SyntaxKind, string>> = {
      [ts.SyntaxKind.ForStatement]: 'for', [ts.SyntaxKind.ForOfStatement]: 'for…of', [ts.SyntaxKind.ForInStatement]: 'for…in',
      [ts.SyntaxKind.WhileStatement]: 'while', [ts.SyntaxKind.DoStatement]: 'do',
    };

    /** Rewrites a loop so that each iteration is a group: `{ const t = loopEnter(g); try { for (…) { iteration(t); … } } finally { exit(t) } }`. */
    function groupLoop(loop: TS.IterationStatement, label: TS.Identifier | undefined): TS.Statement {
      // Numbered before the body is visited: loops and functions inside it number themselves after.
      const groupSite = groupSites.push({ kind: 'loop', name: LOOP_NAMES[loop.kind] ?? 'loop', site: site(loop) }) - 1;
      const token = f.createUniqueName(`__ggLoop${uniqueCounter++}`);
      const body = ts.visitNode(loop.statement, visit, ts.isStatement);
      const iterationBody = f.createBlock([f.createExpressionStatement(runtime('iteration', [token])), ...(ts.isBlock(body) ? body.statements : [body])], true);
      let rewritten: TS.Statement;
      if (ts.isForStatement(loop)) {
        rewritten = f.updateForStatement(loop, ts.visitNode(loop.initializer, visit, ts.isForInitializer), loop.condition && truthy(loop.condition),
          ts.visitNode(loop.incrementor, visit, ts.isExpression), iterationBody);
      } else if (ts.isForOfStatement(loop)) {
        rewritten = f.updateForOfStatement(loop, loop.awaitModifier, ts.visitNode(loop.initializer, visit, ts.isForInitializer), visitExpression(loop.expression), iterationBody);
      } else if (ts.isForInStatement(loop)) {
        rewritten = f.updateForInStatement(loop, ts.visitNode(loop.initializer, visit, ts.isForInitializer), visitExpression(loop.expression), iterationBody);
      } else if (ts.isWhileStatement(loop)) {
        rewritten = f.updateWhileStatement(loop, truthy(loop.expression), iterationBody);
      } else {
        const doLoop = loop as TS.DoStatement;
        rewritten = f.updateDoStatement(doLoop, iterationBody, truthy(doLoop.expression));
      }
      if (label) rewritten = f.createLabeledStatement(label, rewritten);
      return f.createBlock([
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(token, undefined, undefined, runtime('loopEnter', [number(groupSite)]))], ts.NodeFlags.Const)),
        f.createTryStatement(f.createBlock([rewritten], true), undefined, f.createBlock([f.createExpressionStatement(runtime('exit', [token]))], true)),
      ], true);
    }

    /** A condition's truthiness; a comparison or a `!` already gives a boolean and needs no call. */
    const truthy = (condition: TS.Expression): TS.Expression => {
      const inner = ts.isParenthesizedExpression(condition) ? condition.expression : condition;
      const boolean = (ts.isBinaryExpression(inner) && BOOLEAN_OPERATORS.has(inner.operatorToken.kind))
        || (ts.isPrefixUnaryExpression(inner) && inner.operator === ts.SyntaxKind.ExclamationToken)
        || inner.kind === ts.SyntaxKind.TrueKeyword || inner.kind === ts.SyntaxKind.FalseKeyword;
      return boolean ? visitExpression(condition) : runtime('truthy', [visitExpression(condition)]);
    };

    /** Whether `node` is a top-level `const`/`let` declaration of this chunk. */
    const isTopLevelDeclaration = (node: TS.VariableDeclaration) =>
      ts.isVariableDeclarationList(node.parent) && ts.isVariableStatement(node.parent.parent) && node.parent.parent.parent === sourceFile;

    /** `[1, [2, -3]]` as leaves `w[0]`, `w[1][0]`, `w[1][1]`, if every element is a number literal or such an array. */
    function arrayOfLeaves(node: TS.Expression, name: string): TS.Expression | undefined {
      const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
      if (isNumericLiteral(inner)) return runtime('leaf', [inner, label(name), number(site(inner))]);
      if (!ts.isArrayLiteralExpression(inner) || inner.elements.length === 0) return undefined;
      const elements: TS.Expression[] = [];
      for (const [index, element] of inner.elements.entries()) {
        const leaf = arrayOfLeaves(element, `${name}[${index}]`);
        if (!leaf) return undefined;
        elements.push(leaf);
      }
      return withRange(f.createArrayLiteralExpression(elements, false), inner);
    }

    const isFunctionLike = (node: TS.Expression) => ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node);

    function visit(node: TS.Node): TS.VisitResult<TS.Node> {
      if (ts.isIdentifier(node) && node.text.startsWith(RUNTIME_GLOBAL)) fail(`names starting with ${RUNTIME_GLOBAL} are reserved for Gradient Graph: rename \`${node.text}\``, node);
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) fail('a snippet runs on its own, without imports: remove the import or declare what it brings', node);
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) fail('import() is not available in a snippet: it runs without modules, files or network', node);
      if (ts.isFunctionLike(node) && (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node))
        && node.body && !node.asteriskToken && !node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) && functionName(node) !== undefined) {
        const visited = ts.visitEachChild(node, visit, context);
        const body = groupBody(node, visited.body!);
        if (ts.isFunctionDeclaration(visited)) return f.updateFunctionDeclaration(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.typeParameters, visited.parameters, visited.type, body);
        if (ts.isFunctionExpression(visited)) return f.updateFunctionExpression(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.typeParameters, visited.parameters, visited.type, body);
        if (ts.isArrowFunction(visited)) return f.updateArrowFunction(visited, visited.modifiers, visited.typeParameters, visited.parameters, visited.type, visited.equalsGreaterThanToken, body);
        const method = visited;
        return f.updateMethodDeclaration(method, method.modifiers, method.asteriskToken, method.name, method.questionToken, method.typeParameters, method.parameters, method.type, body);
      }
      if (ts.isLabeledStatement(node) && ts.isIterationStatement(node.statement, false)) return groupLoop(node.statement, node.label);
      if (ts.isIterationStatement(node, false)) return groupLoop(node, undefined);

      if (ts.isBinaryExpression(node)) {
        const operator = node.operatorToken.kind;
        const arithmetic = ARITHMETIC.get(operator);
        if (arithmetic) {
          const at = site(node, operandSite(node.left), operandSite(node.right));
          return withRange(runtime(arithmetic, [visitExpression(node.left), visitExpression(node.right), number(at)]), node);
        }
        const compound = COMPOUND.get(operator);
        if (compound) return withRange(update(node, node.left, compound, visitExpression(node.right), false), node);
        if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsEqualsToken) {
          const same = runtime('same', [visitExpression(node.left), visitExpression(node.right)]);
          return withRange(operator === ts.SyntaxKind.EqualsEqualsEqualsToken ? same : f.createLogicalNot(same), node);
        }
        if (operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken) {
          const equal = runtime('equal', [visitExpression(node.left), visitExpression(node.right)]);
          return withRange(operator === ts.SyntaxKind.EqualsEqualsToken ? equal : f.createLogicalNot(equal), node);
        }
        if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) {
          const right = f.createArrowFunction(undefined, undefined, [], undefined, undefined, visitExpression(node.right));
          return withRange(runtime(operator === ts.SyntaxKind.AmpersandAmpersandToken ? 'and' : 'or', [visitExpression(node.left), right]), node);
        }
        if (operator === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && !isFunctionLike(node.right)) {
          return withRange(f.createAssignment(node.left, runtime('label', [visitExpression(node.right), label(node.left.text)])), node);
        }
      }
      if (ts.isPrefixUnaryExpression(node)) {
        switch (node.operator) {
          case ts.SyntaxKind.MinusToken:
            if (ts.isNumericLiteral(node.operand)) return node;
            return withRange(runtime('neg', [visitExpression(node.operand), number(site(node))]), node);
          case ts.SyntaxKind.PlusToken:
            return withRange(runtime('plus', [visitExpression(node.operand)]), node);
          case ts.SyntaxKind.ExclamationToken:
            return withRange(f.createLogicalNot(truthy(node.operand)), node);
          case ts.SyntaxKind.PlusPlusToken:
          case ts.SyntaxKind.MinusMinusToken:
            return withRange(update(node, node.operand, node.operator === ts.SyntaxKind.PlusPlusToken ? 'add' : 'sub', number(1), false), node);
        }
      }
      if (ts.isPostfixUnaryExpression(node)) {
        const operation = node.operator === ts.SyntaxKind.PlusPlusToken ? 'add' : 'sub';
        return withRange(update(node, node.operand, operation, number(1), !isResultUnused(node)), node);
      }
      // switch compares with ===: the discriminant and the cases compare by data.
      if (ts.isSwitchStatement(node)) {
        const clauses = node.caseBlock.clauses.map((clause) => (ts.isCaseClause(clause)
          ? f.updateCaseClause(clause, runtime('plain', [visitExpression(clause.expression)]), clause.statements.map((statement) => ts.visitNode(statement, visit, ts.isStatement)))
          : ts.visitEachChild(clause, visit, context)));
        return f.updateSwitchStatement(node, runtime('plain', [visitExpression(node.expression)]), f.updateCaseBlock(node.caseBlock, clauses));
      }
      if (ts.isTypeOfExpression(node)) return withRange(runtime('typeOf', [visitExpression(node.expression)]), node);
      if (ts.isConditionalExpression(node)) {
        return f.updateConditionalExpression(node, truthy(node.condition), node.questionToken, visitExpression(node.whenTrue), node.colonToken, visitExpression(node.whenFalse));
      }
      if (ts.isIfStatement(node)) {
        return f.updateIfStatement(node, truthy(node.expression), ts.visitNode(node.thenStatement, visit, ts.isStatement), ts.visitNode(node.elseStatement, visit, ts.isStatement));
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)
        && node.expression.expression.text === 'Math' && ts.isIdentifier(node.expression.name)) {
        const args = node.arguments.map((argument) => ts.visitNode(argument, visit, ts.isExpression));
        // One plain argument takes the quick path (no rest parameter to allocate on every call).
        const quick = args.length === 1 && !ts.isSpreadElement(node.arguments[0]);
        return withRange(runtime(quick ? 'math1' : 'math', [number(site(node)), string(node.expression.name.text), ...args]), node);
      }
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const name = node.name.text;
        if (isTopLevelDeclaration(node)) {
          const leaf = isNumericLiteral(node.initializer)
            ? runtime('leaf', [node.initializer, label(name), number(site(node))])
            : arrayOfLeaves(node.initializer, name);
          if (leaf) return f.updateVariableDeclaration(node, node.name, node.exclamationToken, node.type, leaf);
        }
        if (!isFunctionLike(node.initializer) && !isNumericLiteral(node.initializer)) {
          return f.updateVariableDeclaration(node, node.name, node.exclamationToken, node.type, runtime('label', [visitExpression(node.initializer), label(name)]));
        }
      }
      return ts.visitEachChild(node, visit, context);
    }

    const statements = sourceFile.statements.map((statement) => ts.visitNode(statement, visit, ts.isStatement));
    if (!isSelection) return f.updateSourceFile(sourceFile, statements);

    // The output: the last expression statement if the snippet ends with one, else the last declared variable.
    const last = sourceFile.statements[sourceFile.statements.length - 1];
    if (last && ts.isExpressionStatement(last)) {
      const expression = statements[statements.length - 1] as TS.ExpressionStatement;
      const text = ts.isIdentifier(last.expression) ? last.expression.text : last.expression.getText(sourceFile).replace(/\s+/g, ' ');
      statements[statements.length - 1] = f.createExpressionStatement(withRange(runtime('output', [expression.expression, number(site(last.expression)), label(text.length > 40 ? 'output' : text)]), last));
    } else {
      const declaration = [...sourceFile.statements].reverse().filter(ts.isVariableStatement)
        .map((statement) => [...statement.declarationList.declarations].reverse().find((item) => ts.isIdentifier(item.name)))
        .find((item) => item !== undefined);
      if (!declaration) {
        throw new SnippetError('the snippet has no output: end it with the expression to differentiate, or declare a variable that holds it', offset + sourceFile.end, offset + sourceFile.end);
      }
      const name = (declaration.name as TS.Identifier).text;
      statements.push(f.createExpressionStatement(runtime('output', [f.createIdentifier(name), number(site(declaration.name)), label(name)])));
    }
    return f.updateSourceFile(sourceFile, statements);
  };
}
