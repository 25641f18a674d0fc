// The snippet language, by its rules, on small snippets whose answers are known analytically: which values
// are leaves and how they are named, constants, reassigned lets, the output rule, source ranges (with and
// without a selection offset), names resolved from the rest of the document, groups, a 50,000-iteration
// loop, the seeded Math.random, and TypeScript that must run as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphModel, GraphNode, SnippetErrorInfo, SourceRange } from '../../src/graph/model.ts';
import { evaluateSnippet, type EvaluateOptions } from '../../src/snippet/evaluate.ts';
import { nodesOf } from '../../src/graph/reader.ts';

/** A document, and optionally the selection in it, marked by `«` and `»` (removed from the text). */
function documentOf(marked: string): { text: string; start?: number; end?: number } {
  const start = marked.indexOf('«');
  if (start < 0) return { text: marked };
  const end = marked.indexOf('»') - 1;
  return { text: marked.replace('«', '').replace('»', ''), start, end };
}

async function graphOf(marked: string, options: EvaluateOptions = {}): Promise<GraphModel> {
  const result = await evaluateSnippet({ ...documentOf(marked), fileName: 'snippet.ts' }, options);
  assert.ok(result.ok, result.ok ? '' : `expected a graph, got the error ${result.error.message} (${result.error.line}:${result.error.column})`);
  return result.graph;
}

async function errorOf(marked: string, options: EvaluateOptions = {}): Promise<SnippetErrorInfo> {
  const result = await evaluateSnippet({ ...documentOf(marked), fileName: 'snippet.ts' }, options);
  assert.ok(!result.ok, 'expected an error, got a graph');
  return result.error;
}

/** The document's text in a range (0-based lines and characters). */
function textAt(text: string, range: SourceRange | undefined): string {
  assert.ok(range, 'the node has no range');
  const lines = text.split('\n');
  const offset = (line: number, character: number) => lines.slice(0, line).reduce((sum, item) => sum + item.length + 1, 0) + character;
  return text.slice(offset(range.startLine, range.startCharacter), offset(range.endLine, range.endCharacter));
}

const labelled = (graph: GraphModel, label: string): GraphNode[] => nodesOf(graph).filter((node) => node.label === label);
const leafNamed = (graph: GraphModel, label: string): GraphNode => {
  const found = graph.leaves.map((id) => nodesOf(graph)[id]).filter((node) => node.label === label);
  assert.equal(found.length, 1, `one leaf labelled ${label}`);
  return found[0];
};
const leafLabels = (graph: GraphModel): string[] => graph.leaves.map((id) => nodesOf(graph)[id].label ?? '');
const output = (graph: GraphModel): GraphNode => nodesOf(graph)[graph.output];
const near = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `expected ${expected}, got ${actual}`);

describe('leaves', () => {
  it('a top-level const or let initialised by a number literal is a leaf named like it, negative literals too', async () => {
    const graph = await graphOf('const a = 2;\nlet b = -3.5;\nconst p = 1, q = 0.25;\nconst d = a * b + p * q;\nd');
    assert.deepEqual(leafLabels(graph), ['a', 'b', 'p', 'q']);
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].data), [2, -3.5, 1, 0.25]);
    for (const id of graph.leaves) assert.equal(nodesOf(graph)[id].kind, 'leaf');
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].grad), [-3.5, 2, 0.25, 1]);
  });

  it('the elements of a top-level array of number literals are leaves w[0], W[1][0]', async () => {
    const text = 'const w = [0.5, -1.5];\nconst W = [[1, 2], [3, -4]];\nconst y = w[0] * W[1][0] + w[1] * W[0][1];\ny';
    const graph = await graphOf(text);
    assert.deepEqual(leafLabels(graph), ['w[0]', 'w[1]', 'W[0][0]', 'W[0][1]', 'W[1][0]', 'W[1][1]']);
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].data), [0.5, -1.5, 1, 2, 3, -4]);
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].grad), [3, 2, 0, -1.5, 0.5, 0]);
    // Each element's range is its own literal.
    assert.equal(textAt(text, leafNamed(graph, 'w[1]').range), '-1.5');
    assert.equal(textAt(text, leafNamed(graph, 'W[1][0]').range), '3');
  });

  it('values that are not number literals, and declarations that are not top level, are not leaves', async () => {
    const graph = await graphOf('const a = 2;\nconst v = [a, 3];\nfunction f(x: number) {\n  const k = 3;\n  return x * k;\n}\n{\n  const z = 4;\n  f(v[0] * v[1] * z);\n}\nf(a)');
    assert.deepEqual(leafLabels(graph), ['a']);
    assert.equal(output(graph).data, 6);
    assert.equal(leafNamed(graph, 'a').grad, 3);
  });

  it('a number literal inside an expression is a constant node, with gradient 0 and the literal\'s range', async () => {
    const text = 'const x = 3;\nconst y = 2 * x + x ** 2 - 1;\ny';
    const graph = await graphOf(text);
    const constants = nodesOf(graph).filter((node) => node.kind === 'const');
    assert.deepEqual(constants.map((node) => node.data), [2, 2, 1]);
    for (const node of constants) {
      assert.equal(node.grad, 0);
      assert.deepEqual(node.inputs, []);
      assert.equal(node.op, undefined);
      assert.equal(node.label, undefined);
      assert.equal(textAt(text, node.range), String(node.data));
    }
    assert.equal(output(graph).data, 14);
    assert.equal(leafNamed(graph, 'x').grad, 8);
  });

  it('every other declared variable labels the node it holds; a copy keeps the first name', async () => {
    const graph = await graphOf('const a = 2;\nconst b = a * 3;\nconst c = b;\nconst d = c + 1;\nd');
    assert.deepEqual(labelled(graph, 'b').map((node) => [node.kind, node.op, node.data]), [['op', '*', 6]]);
    assert.deepEqual(labelled(graph, 'c'), []);
    assert.deepEqual(labelled(graph, 'd').map((node) => [node.op, node.data]), [['+', 7]]);
  });
});

describe('a reassigned let', () => {
  it('keeps its initial value as the leaf; each later value is a new node with the same name', async () => {
    const graph = await graphOf('let x = 2;\nx = x * 3;\nx += 1;\nx++;\nx');
    const named = labelled(graph, 'x');
    assert.deepEqual(named.map((node) => [node.kind, node.data]), [['leaf', 2], ['op', 6], ['op', 7], ['op', 8]]);
    assert.deepEqual(output(graph), named[3]);
    assert.equal(graph.outputLabel, 'x');
    assert.equal(leafNamed(graph, 'x').grad, 3);
    assert.deepEqual(leafLabels(graph), ['x']);
  });

  it('a postfix ++ used as a value gives the old value', async () => {
    const graph = await graphOf('let i = 0;\nconst j = i++;\nj * 5 + i');
    assert.equal(output(graph).data, 1);
    assert.equal(leafNamed(graph, 'i').grad, 6);
  });
});

describe('the output', () => {
  it('is the last expression statement when the snippet ends with one, named by its text', async () => {
    const graph = await graphOf('const a = 2;\nconst b = a * 5;\na * a');
    assert.equal(graph.outputLabel, 'a * a');
    assert.equal(output(graph).data, 4);
    assert.equal(leafNamed(graph, 'a').grad, 4);
    assert.equal(labelled(graph, 'b')[0].grad, 0, 'b is not on the way to the output');
  });

  it('is the last declared variable when the snippet ends with a declaration', async () => {
    const graph = await graphOf('const a = 2;\nconst b = a * 5;\nconst c = a + 1;');
    assert.equal(graph.outputLabel, 'c');
    assert.equal(output(graph).data, 3);
    assert.equal(output(graph).label, 'c');
  });

  it('is the last declared variable when the snippet ends with another statement (a loop)', async () => {
    const graph = await graphOf('const a = 2;\nlet y = a * 1;\nfor (let i = 0; i < 3; i++) {\n  y = y * a;\n}');
    assert.equal(graph.outputLabel, 'y');
    assert.equal(output(graph).data, 16);
    assert.equal(leafNamed(graph, 'a').grad, 32);
  });

  it('can be a leaf itself, with gradient 1', async () => {
    const graph = await graphOf('const a = 2;\nconst b = 3;\na');
    assert.deepEqual(output(graph), leafNamed(graph, 'a'));
    assert.equal(graph.outputLabel, 'a');
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].grad), [1, 0]);
  });
});

describe('source ranges', () => {
  it('each node points at the exact text of the expression that made it', async () => {
    const text = 'const a = 2;\nconst b = -3;\nconst c = a * b + Math.exp(a);\nconst y = (a +\n  b) * 2;\nc * y';
    const graph = await graphOf(text);
    const byOp = (op: string) => nodesOf(graph).filter((node) => node.op === op).map((node) => textAt(text, node.range));
    assert.deepEqual(byOp('*'), ['a * b', '(a +\n  b) * 2', 'c * y']);
    assert.deepEqual(byOp('exp'), ['Math.exp(a)']);
    assert.deepEqual(byOp('+'), ['a * b + Math.exp(a)', 'a +\n  b']);
    assert.match(textAt(text, leafNamed(graph, 'b').range), /-3$/);
  });

  it('are in document coordinates when the selection is in the middle of a larger document', async () => {
    const marked = [
      '// a document with more than the selection',
      'const unused = 1;',
      '',
      'function twice(v: number) {',
      '  return 2 * v;',
      '}',
      '/* pick */ «const w = 1.5;',
      'const y = twice(w) *',
      '    Math.sin(w);',
      'y»',
      'const after = 2;',
    ].join('\n');
    const { text } = documentOf(marked);
    const graph = await graphOf(marked);
    assert.deepEqual(graph.source.range, { startLine: 6, startCharacter: 11, endLine: 9, endCharacter: 1 });
    const w = leafNamed(graph, 'w');
    assert.equal(w.range?.startLine, 6);
    assert.match(textAt(text, w.range), /^w = 1\.5;?$/);
    const ranges = (op: string) => nodesOf(graph).filter((node) => node.op === op).map((node) => [node.range?.startLine, textAt(text, node.range)]);
    assert.deepEqual(ranges('*'), [[4, '2 * v'], [7, 'twice(w) *\n    Math.sin(w)']]);
    assert.deepEqual(ranges('sin'), [[8, 'Math.sin(w)']]);
    const two = nodesOf(graph).find((node) => node.kind === 'const');
    assert.deepEqual(two?.range, { startLine: 4, startCharacter: 9, endLine: 4, endCharacter: 10 });
    near(output(graph).data, 3 * Math.sin(1.5));
    near(w.grad, 2 * Math.sin(1.5) + 3 * Math.cos(1.5));
  });
});

describe('names declared elsewhere in the document', () => {
  const document = [
    "import { something } from './somewhere';",
    'const scale = 3;',
    'const w = [0.5, -1];',
    'function f(x: number) {',
    '  return x * scale;',
    '}',
    'const broken = notDeclaredAnywhere();',
    '«const y = f(w[0]) + w[1] * 2;',
    'y»',
    'const later = g(5);',
    'function g(v: number) {',
    '  return v * v;',
    '}',
  ].join('\n');

  it('are evaluated before the selection, transitively (a function of the file that uses a top-level const)', async () => {
    const graph = await graphOf(document);
    assert.deepEqual(leafLabels(graph), ['scale', 'w[0]', 'w[1]']);
    assert.equal(output(graph).data, -0.5);
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].grad), [0.5, 3, 2]);
    assert.equal(textAt(documentOf(document).text, nodesOf(graph).find((node) => node.op === '*')?.range), 'x * scale');
  });

  it('include a function declared after the selection', async () => {
    const graph = await graphOf(document.replace('«const y = f(w[0]) + w[1] * 2;\ny»', '«const y = g(scale);\ny»'));
    assert.equal(output(graph).data, 9);
    assert.equal(leafNamed(graph, 'scale').grad, 6);
  });

  it('a selection inside a function: its own declaration hides the top-level one of the same name', async () => {
    const graph = await graphOf('const a = 1;\nfunction h() {\n  «const a = 5;\n  a * 2»;\n}');
    assert.deepEqual(leafLabels(graph), ['a']);
    assert.equal(leafNamed(graph, 'a').data, 5);
    assert.equal(output(graph).data, 10);
    assert.equal(leafNamed(graph, 'a').grad, 2);
  });

  it('a name found nowhere is an error naming it, at its position in the document', async () => {
    const marked = document.replace('«const y = f(w[0]) + w[1] * 2;\ny»', '«const y = f(w[0]) +\n  bogus * 2;\ny»');
    const error = await errorOf(marked);
    assert.match(error.message, /`bogus` is not defined/);
    assert.deepEqual([error.line, error.column], [9, 3]);
    assert.equal(textAt(documentOf(marked).text, error.range), 'bogus');
  });

  it('an unknown name inside a needed declaration is located there', async () => {
    const error = await errorOf(document.replace('«const y = f(w[0]) + w[1] * 2;\ny»', '«const z = broken * 2;\nz»'));
    assert.match(error.message, /`notDeclaredAnywhere` is not defined/);
    assert.deepEqual([error.line, error.column], [7, 16]);
  });

  it('an imported name is an error that says so', async () => {
    const error = await errorOf(document.replace('«const y = f(w[0]) + w[1] * 2;\ny»', '«const y = something * 2;\ny»'));
    assert.match(error.message, /`something` is imported/);
    assert.deepEqual([error.line, error.column], [8, 11]);
  });
});

describe('groups', () => {
  it('each call of a named function is a group `name(…)`, nested calls have their caller as parent', async () => {
    const text = 'function inner(v: number) {\n  return v * 2;\n}\nfunction outer(v: number) {\n  return inner(v) + 1;\n}\nconst x = 3;\nouter(x) * outer(x)';
    const graph = await graphOf(text);
    assert.deepEqual(graph.groups.map((group) => [group.kind, group.label, group.parent]),
      [['call', 'outer(…)', undefined], ['call', 'inner(…)', 0], ['call', 'outer(…)', undefined], ['call', 'inner(…)', 2]]);
    assert.match(textAt(text, graph.groups[1].range), /^function inner\(v: number\) \{[^]*\}$/);
    const products = nodesOf(graph).filter((node) => node.op === '*');
    assert.deepEqual(products.map((node) => node.group), [1, 3, undefined]);
    assert.deepEqual(nodesOf(graph).filter((node) => node.op === '+').map((node) => node.group), [0, 2]);
    assert.equal(output(graph).data, 49);
    assert.equal(leafNamed(graph, 'x').grad, 28);
  });

  it('each loop iteration is a group `for #i`; a call inside has the iteration as parent, an inner loop too', async () => {
    const text = [
      'function step(v: number) {',
      '  return v * 0.5;',
      '}',
      'const x = 2;',
      'let y = x * 1;',
      'for (let i = 0; i < 2; i++) {',
      '  y = step(y) + x;',
      '  for (let j = 0; j < 1; j++) y = y - 1;',
      '}',
      'y',
    ].join('\n');
    const graph = await graphOf(text);
    assert.deepEqual(graph.groups.map((group) => [group.kind, group.label, group.parent]), [
      ['iteration', 'for #0', undefined], ['call', 'step(…)', 0], ['iteration', 'for #0', 0],
      ['iteration', 'for #1', undefined], ['call', 'step(…)', 3], ['iteration', 'for #0', 3],
    ]);
    assert.match(textAt(text, graph.groups[0].range), /^for \(let i = 0; i < 2; i\+\+\) \{[^]*\}$/);
    assert.equal(textAt(text, graph.groups[2].range), 'for (let j = 0; j < 1; j++) y = y - 1;');
    assert.deepEqual(nodesOf(graph).filter((node) => node.op === '*').map((node) => node.group), [undefined, 1, 4]);
    assert.deepEqual(nodesOf(graph).filter((node) => node.op === '+').map((node) => node.group), [0, 3]);
    assert.deepEqual(nodesOf(graph).filter((node) => node.op === '-').map((node) => node.group), [2, 5]);
    // y = ((x/2 + x - 1)/2 + x - 1) = 1.75 x - 1.5
    assert.equal(output(graph).data, 2);
    assert.equal(leafNamed(graph, 'x').grad, 1.75);
  });
  it('a loop whose body holds a function and another loop keeps its own name and range', async () => {
    const text = [
      'const x = 2;',
      'let y = x * 1;',
      'for (let i = 0; i < 2; i++) {',
      '  const double = (v: number) => v * 2;',
      '  y = double(y);',
      '  let k = 0;',
      '  while (k < 1) {',
      '    y = y + x;',
      '    k++;',
      '  }',
      '}',
      'y',
    ].join('\n');
    const graph = await graphOf(text);
    assert.deepEqual(graph.groups.map((group) => [group.kind, group.label, group.parent]), [
      ['iteration', 'for #0', undefined], ['call', 'double(…)', 0], ['iteration', 'while #0', 0],
      ['iteration', 'for #1', undefined], ['call', 'double(…)', 3], ['iteration', 'while #0', 3],
    ]);
    assert.match(textAt(text, graph.groups[0].range), /^for \(let i = 0; i < 2; i\+\+\) \{[^]*\}$/);
    assert.equal(textAt(text, graph.groups[1].range), '(v: number) => v * 2');
    assert.match(textAt(text, graph.groups[2].range), /^while \(k < 1\) \{[^]*\}$/);
    assert.equal(output(graph).data, 14);
    assert.equal(leafNamed(graph, 'x').grad, 7);
  });
});

describe('a 50,000-iteration loop', () => {
  it('x ← 0.9999 x + 0.0001 sin x: the value and dx/dx₀ = Π (0.9999 + 0.0001 cos xᵢ)', async () => {
    const graph = await graphOf('let x = 0.5;\nfor (let i = 0; i < 50000; i++) x = x * 0.9999 + 0.0001 * Math.sin(x);\nx');
    let x = 0.5;
    let derivative = 1;
    for (let i = 0; i < 50000; i++) {
      derivative *= 0.9999 + 0.0001 * Math.cos(x);
      x = x * 0.9999 + 0.0001 * Math.sin(x);
    }
    assert.equal(output(graph).data, x);
    const leaf = leafNamed(graph, 'x');
    assert.equal(leaf.data, 0.5);
    near(leaf.grad, derivative, 1e-11);
    assert.equal(graph.groups.length, 50000);
    assert.equal(graph.groups[49999].label, 'for #49999');
  });
});

describe('Math.random', () => {
  it('is seeded: the same snippet gives the same numbers every time; the numbers are constants', async () => {
    const text = 'const a = 2;\nconst r = Math.random();\nconst s = Math.random();\na * r + s';
    const [first, second] = [await graphOf(text), await graphOf(text)];
    assert.equal(output(first).data, output(second).data);
    const r = leafNamed(first, 'a').grad;
    assert.equal(leafNamed(second, 'a').grad, r);
    assert.ok(r >= 0 && r < 1);
    const s = output(first).data - 2 * r;
    assert.ok(Math.abs(s - r) > 1e-9, 'two calls give two numbers');
    assert.deepEqual(leafLabels(first), ['a']);
  });
});

describe('TypeScript and JavaScript that must run as written', () => {
  it('a generic function\'s type parameter is stripped with the types', async () => {
    const graph = await graphOf('function id<T>(v: T): T {\n  return v;\n}\nconst a = 2;\nid(a) * 3');
    assert.equal(output(graph).data, 6);
    assert.equal(leafNamed(graph, 'a').grad, 3);
  });

  it('a generic class and a generic arrow function', async () => {
    const graph = await graphOf('class Box<T> {\n  constructor(readonly v: T) {}\n}\nconst pick = <T,>(v: T): T => v;\nconst a = 2;\npick(new Box(a).v) * 3');
    assert.equal(output(graph).data, 6);
  });

  it('a namespace declared in the snippet', async () => {
    const graph = await graphOf('namespace Config {\n  export const k = 3;\n}\nconst a = 2;\na * Config.k');
    assert.equal(output(graph).data, 6);
    assert.equal(leafNamed(graph, 'a').grad, 3);
  });

  it('== and != compare two values by their numbers, as === does', async () => {
    const graph = await graphOf('const a = 2;\nconst b = 2;\nconst same = a == b ? a * 10 : a * 100;\nconst different = a != b ? b * 100 : b * 10;\nsame + different');
    assert.equal(output(graph).data, 40);
    assert.deepEqual(graph.leaves.map((id) => nodesOf(graph)[id].grad), [10, 10]);
  });

  it('switch picks the case equal to the value', async () => {
    const graph = await graphOf('const a = 2;\nlet y = a * 1;\nswitch (a) {\n  case 2:\n    y = y * 10;\n    break;\n  default:\n    y = y * 100;\n}\ny');
    assert.equal(output(graph).data, 20);
    assert.equal(leafNamed(graph, 'a').grad, 10);
  });

  it('typeof of a number is "number", and Number.isFinite and Array#includes see numbers', async () => {
    const graph = await graphOf([
      'const a = 2;',
      'const t = typeof a === "number" ? a * 1 : a * 0;',
      'const f = Number.isFinite(a) ? a * 1 : a * 0;',
      'const i = [1, 2].includes(a) ? a * 1 : a * 0;',
      't + f + i',
    ].join('\n'));
    assert.equal(output(graph).data, 6);
    assert.equal(leafNamed(graph, 'a').grad, 3);
  });

  it('`arguments` inside a function', async () => {
    const graph = await graphOf('const a = 2;\nfunction f(_v: number) {\n  return arguments[0] * 2;\n}\nf(a)');
    assert.equal(output(graph).data, 4);
  });
});
