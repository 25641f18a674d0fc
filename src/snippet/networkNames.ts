/**
 * The names whose `new` and calls the rewriter routes through the runtime's nn entry points
 * (sandboxNnGlobals.ts), so that the nodes a module makes get the expression's range and call groups:
 * `new Neuron(…)`, `new Layer(…)`, `new MLP(…)`, `mseLoss(…)`, and calls of a variable initialised with one
 * of those `new`s (`mlp(x)`). Calls the rewriter cannot see (`xs.map(mlp)`) still work: their nodes get the
 * module's `new` range. A document that declares one of the names itself (the lesson's own `class Neuron`)
 * uses its own, and its code is rewritten as if `nn` did not exist.
 */
import type * as TS from 'typescript';
import { NN_CLASSES } from './protocol.ts';

export interface NetworkNames {
  /** The nn classes the document does not declare itself: `new` of these goes through `nnNew`. */
  readonly classes: ReadonlySet<string>;
  /** Names whose calls go through `nnCall`: `mseLoss` and the variables initialised with `new` of a class above. */
  readonly callees: ReadonlySet<string>;
}

/** The network names of the files given (the document and the selection, parsed apart). */
export function findNetworkNames(ts: typeof TS, files: readonly TS.SourceFile[]): NetworkNames {
  const declared = new Set<string>();
  const initialised: Array<{ name: string; className: string }> = [];
  const visit = (node: TS.Node): void => {
    const named = node as TS.Node & { name?: TS.Node };
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)
      || ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isEnumDeclaration(node) || ts.isImportSpecifier(node) || ts.isImportClause(node)
      || ts.isNamespaceImport(node) || ts.isModuleDeclaration(node)) && named.name && ts.isIdentifier(named.name)) declared.add(named.name.text);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      let initializer = node.initializer;
      while (ts.isParenthesizedExpression(initializer) || ts.isAsExpression(initializer) || ts.isNonNullExpression(initializer)) initializer = initializer.expression;
      if (ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression)) initialised.push({ name: node.name.text, className: initializer.expression.text });
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(file);
  const classes = new Set<string>(NN_CLASSES.filter((name) => !declared.has(name)));
  const callees = new Set<string>(declared.has('mseLoss') ? [] : ['mseLoss']);
  for (const { name, className } of initialised) if (classes.has(className)) callees.add(name);
  return { classes, callees };
}
