/**
 * The transformer that rewrites one chunk of a snippet for the sandbox: operators and `Math` calls become
 * calls on the runtime (`a * b` becomes `__gg.mul(a, b, 7)`, where 7 numbers the source site of `a * b`),
 * conditions read a lifted number's truthiness, named functions and loops mark their groups, top-level
 * number literals become leaves, and the selection's end becomes the output.
 */
import type * as TS from 'typescript';
import type { NetworkNames } from './networkNames.ts';
import { RUNTIME_GLOBAL, type GroupSite, type Site } from './protocol.ts';
import { SnippetError } from './snippetError.ts';

const ARITHMETIC: ReadonlyMap<number, string> = new Map();
/** Operators whose result is a boolean (after the rewrite of `===`, `==` and their negations). */
const BOOLEAN_OPERATORS: ReadonlySet<number> = new Set();
const COMPOUND: ReadonlyMap<number, string> = new Map();

export function operatorTables(ts: typeof TS): void {
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

/** The names of one rewrite, each listed once. */
export class LabelTable {
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

/**
 * The transformer that rewrites one chunk. `offset` is the chunk's offset in the document;
 * `isSelection` marks the chunk whose end is the output; `network` names what goes to the runtime's `nn`.
 */
export function createRewriter(ts: typeof TS, offset: number, isSelection: boolean, sites: Site[], groupSites: GroupSite[], labels: LabelTable, network: NetworkNames): TS.TransformerFactory<TS.SourceFile> {
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

    /** A temporary variable, declared (`var`) in the enclosing function; its name is reserved, so it clashes with nothing of the user's. */
    const temporary = (): TS.Identifier => {
      const name = f.createUniqueName(`${RUNTIME_GLOBAL}T`);
      context.hoistVariableDeclaration(name);
      return name;
    };
    const comma = (expressions: readonly TS.Expression[]): TS.Expression =>
      f.createParenthesizedExpression(expressions.length === 1 ? expressions[0] : f.createCommaListExpression(expressions));

    /**
     * An assignment target whose object and key are evaluated once, before anything else, as JavaScript does:
     * `setup` evaluates them into temporaries, then `read` and `write` use those.
     */
    interface Reference {
      readonly setup: TS.Expression[];
      read(): TS.Expression;
      write(value: TS.Expression): TS.Expression;
      /** The variable's name, for labels (members get none). */
      readonly name?: string;
    }

    function reference(target: TS.Expression): Reference {
      let inner = target;
      while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
      if (ts.isIdentifier(inner)) {
        return { setup: [], read: () => f.createIdentifier(inner.text), write: (value) => f.createAssignment(f.createIdentifier(inner.text), value), name: inner.text };
      }
      if (ts.isPropertyAccessExpression(inner) && !inner.questionDotToken) {
        const member = (object: TS.Expression) => f.createPropertyAccessExpression(object, ts.isPrivateIdentifier(inner.name) ? f.createPrivateIdentifier(inner.name.text) : f.createIdentifier(inner.name.text));
        if (inner.expression.kind === ts.SyntaxKind.SuperKeyword) return { setup: [], read: () => member(f.createSuper()), write: (value) => f.createAssignment(member(f.createSuper()), value) };
        const object = temporary();
        return { setup: [f.createAssignment(object, visitExpression(inner.expression))], read: () => member(object), write: (value) => f.createAssignment(member(object), value) };
      }
      if (ts.isElementAccessExpression(inner) && !inner.questionDotToken) {
        const object = inner.expression.kind === ts.SyntaxKind.SuperKeyword ? undefined : temporary();
        const key = temporary();
        const base = () => (object ? object : f.createSuper());
        return {
          setup: [...(object ? [f.createAssignment(object, visitExpression(inner.expression))] : []), f.createAssignment(key, visitExpression(inner.argumentExpression))],
          read: () => f.createElementAccessExpression(base(), key),
          write: (value) => f.createAssignment(f.createElementAccessExpression(base(), key), value),
        };
      }
      return fail('this assignment target is not supported in a snippet: assign to a variable, a property or an array element', target);
    }

    /** `target op= value`, `++target`, `target--`: the new value is named like the variable it lands in. */
    function update(node: TS.Node, target: TS.Expression, operation: string, value: TS.Expression, returnOld: boolean): TS.Expression {
      const at = site(node);
      const ref = reference(target);
      const computed = (old: TS.Expression) => {
        const result = runtime(operation, [old, value, number(at)]);
        return ref.name === undefined ? result : runtime('label', [result, label(ref.name)]);
      };
      if (!returnOld) return comma([...ref.setup, ref.write(computed(ref.read()))]);
      // `x++` used as a value: the old value, read before the assignment.
      const old = temporary();
      return comma([...ref.setup, f.createAssignment(old, ref.read()), ref.write(computed(old)), old]);
    }

    /** `target ||= value`, `&&=`, `??=`: the target is read once, and assigned only when the operator says so. */
    function logicalAssignment(node: TS.BinaryExpression): TS.Expression {
      const ref = reference(node.left);
      const current = temporary();
      const value = visitExpression(node.right);
      const assigned = ref.write(ref.name === undefined || isFunctionLike(node.right) ? value : runtime('label', [value, label(ref.name)]));
      const read = f.createAssignment(current, ref.read());
      let choice: TS.Expression;
      if (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken) choice = f.createBinaryExpression(current, ts.SyntaxKind.QuestionQuestionToken, assigned);
      else if (node.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken) choice = f.createConditionalExpression(runtime('truthy', [current]), undefined, current, undefined, assigned);
      else choice = f.createConditionalExpression(runtime('truthy', [current]), undefined, assigned, undefined, current);
      return comma([...ref.setup, read, choice]);
    }

    /** `x && y`, `x || y`: `x` is evaluated once and read as a condition; the result is `x` or `y`, as in JavaScript. */
    function logical(node: TS.BinaryExpression): TS.Expression {
      const left = temporary();
      const right = visitExpression(node.right);
      const test = runtime('truthy', [f.createAssignment(left, visitExpression(node.left))]);
      return node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken
        ? comma([f.createConditionalExpression(test, undefined, right, undefined, left)])
        : comma([f.createConditionalExpression(test, undefined, left, undefined, right)]);
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
        if (operator === ts.SyntaxKind.AmpersandAmpersandToken || operator === ts.SyntaxKind.BarBarToken) return withRange(logical(node), node);
        if (operator === ts.SyntaxKind.BarBarEqualsToken || operator === ts.SyntaxKind.AmpersandAmpersandEqualsToken || operator === ts.SyntaxKind.QuestionQuestionEqualsToken) {
          return withRange(logicalAssignment(node), node);
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
      // A thrown value that is not an error has no stack: the runtime notes where it was thrown.
      if (ts.isThrowStatement(node)) return f.updateThrowStatement(node, runtime('threw', [visitExpression(node.expression), number(site(node))]));
      if (ts.isConditionalExpression(node)) {
        return f.updateConditionalExpression(node, truthy(node.condition), node.questionToken, visitExpression(node.whenTrue), node.colonToken, visitExpression(node.whenFalse));
      }
      if (ts.isIfStatement(node)) {
        return f.updateIfStatement(node, truthy(node.expression), ts.visitNode(node.thenStatement, visit, ts.isStatement), ts.visitNode(node.elseStatement, visit, ts.isStatement));
      }
      // `new MLP(…)`, `mlp(x)`, `mseLoss(…)`: the runtime's nn gets the expression's site (networkNames.ts).
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && network.classes.has(node.expression.text)) {
        const args = f.createArrayLiteralExpression((node.arguments ?? []).map((argument) => ts.visitNode(argument, visit, ts.isExpression)));
        return withRange(runtime('nnNew', [f.createIdentifier(node.expression.text), number(site(node)), args]), node);
      }
      if (ts.isCallExpression(node) && !node.questionDotToken && ts.isIdentifier(node.expression) && network.callees.has(node.expression.text)) {
        const args = f.createArrayLiteralExpression(node.arguments.map((argument) => ts.visitNode(argument, visit, ts.isExpression)));
        return withRange(runtime('nnCall', [f.createIdentifier(node.expression.text), string(node.expression.text), number(site(node)), args]), node);
      }
      // `Number(x)`: a cut with its own site; `Array(n)`: a lifted length is its value.
      const single = (ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && node.arguments?.length === 1 && !ts.isSpreadElement(node.arguments[0]);
      if (single && ts.isCallExpression(node) && (node.expression).text === 'Number') {
        return withRange(runtime('number', [visitExpression(node.arguments[0]), number(site(node))]), node);
      }
      if (single && (node.expression).text === 'Array') {
        const argument = runtime('plainLength', [visitExpression(node.arguments[0])]);
        return ts.isCallExpression(node)
          ? f.updateCallExpression(node, node.expression, node.typeArguments, [argument])
          : f.updateNewExpression(node, node.expression, node.typeArguments, [argument]);
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

    // Temporaries of top-level code are declared at the top of the chunk.
    context.startLexicalEnvironment();
    const statements = sourceFile.statements.map((statement) => ts.visitNode(statement, visit, ts.isStatement));
    const withTemporaries = (list: TS.Statement[]) => [...(context.endLexicalEnvironment() ?? []), ...list];
    if (!isSelection) return f.updateSourceFile(sourceFile, withTemporaries(statements));

    // The output: the last expression statement if the snippet ends with one (empty statements do not
    // count), else the last declared variable.
    let lastIndex = sourceFile.statements.length - 1;
    while (lastIndex >= 0 && ts.isEmptyStatement(sourceFile.statements[lastIndex])) lastIndex--;
    const last = sourceFile.statements[lastIndex] as TS.Statement | undefined;
    if (last && ts.isExpressionStatement(last)) {
      const expression = statements[lastIndex] as TS.ExpressionStatement;
      const text = ts.isIdentifier(last.expression) ? last.expression.text : last.expression.getText(sourceFile).replace(/\s+/g, ' ');
      statements[lastIndex] = f.createExpressionStatement(withRange(runtime('output', [expression.expression, number(site(last.expression)), label(text.length > 40 ? 'output' : text)]), last));
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
    return f.updateSourceFile(sourceFile, withTemporaries(statements));
  };
}
