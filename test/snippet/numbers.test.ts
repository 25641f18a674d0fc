// A lifted number behaves as the number it stands for wherever JavaScript reads a number's truthiness,
// identity or primitive value. Each snippet's output is compared with the same code run as plain
// JavaScript (its value is the reference), and each gradient with the derivative worked out by hand.
import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { describe, it } from 'node:test';
import ts from 'typescript';
import type { GraphModel } from '../../src/graph/model.ts';
import { evaluateSnippet } from '../../src/snippet/evaluate.ts';
import { nodesOf } from '../../src/graph/reader.ts';

/** The snippet run as plain JavaScript: the value of its last expression statement. */
function plainValue(code: string): unknown {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return vm.runInNewContext(js.replace(/^#!.*\n/, ''));
}

async function graphOf(code: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text: code, fileName: 'numbers.ts' });
  assert.ok(result.ok, result.ok ? '' : `${result.error.line}:${result.error.column} ${result.error.message}`);
  return result.graph;
}

const leafGrad = (graph: GraphModel, label: string) => nodesOf(graph)[graph.leaves.find((id) => nodesOf(graph)[id].label === label)!].grad;

// [what, snippet, ∂output/∂a]: the table, and the constructs next to each row.
const cases: Array<[name: string, code: string, gradient: number]> = [
  ['||= assigns when the target is 0', 'const a = 2; let z = 0; z ||= a * a; z', 4],
  ['&&= keeps a 0 target', 'const a = 2; let t = 0; t &&= a * a; t + a', 1],
  ['??= keeps a number, even 0', 'const a = 2; let n = 0; n ??= a * a; n + a', 1],
  ['||= on a member reads it once', 'const a = 2; const o = { x: 0 }; o.x ||= a * 3; o.x', 3],
  ['filter reads a callback returning a number as a boolean', 'const a = 2, b = 0; [a, b].filter((x) => x).length * a', 1],
  ['Boolean() of a lifted 0 is false', 'const a = 2, b = 0; Boolean(b) ? a : 2 * a', 2],
  ['filter(Boolean) drops lifted zeros', 'const a = 2, b = 0; [a, b, b].filter(Boolean).length * a', 1],
  ['some over lifted zeros is false', 'const a = 2, b = 0; ([b, b].some((x) => x) ? 10 : 1) * a', 1],
  ['find over lifted zeros finds nothing', 'const a = 2, b = 0; ([b, b].find((x) => x) === undefined ? 1 : 10) * a', 1],
  ['findIndex over lifted zeros is -1', 'const a = 2, b = 0; [b, b].findIndex((x) => x) * a', -1],
  ['every reads the callback as a boolean', 'const a = 2, b = 0; ([a, b].every((x) => x) ? 10 : 1) * a', 1],
  ['findLast and findLastIndex too', 'const a = 2, b = 0; ([a, b].findLast((x) => x) ?? 0) * [b, a].findLastIndex((x) => x) * a', 4],
  ['Array(n) with a lifted n is n elements long', 'const a = 2; const n = 3; Array(n).fill(a).reduce((s, x) => s + x, 0)', 3],
  ['new Array(n) too', 'const a = 2; const n = 2; new Array(n).fill(a).length * a', 2],
  ['indexOf finds a number among lifted numbers', 'const a = 2; const xs = [a, 3]; xs.indexOf(2) === 0 ? a * 10 : a', 10],
  ['includes finds it too', 'const a = 2; const xs = [a, 3]; xs.includes(2) ? a * 10 : a', 10],
  ['lastIndexOf of a lifted number', 'const a = 2; const xs = [2, 5, 2]; xs.lastIndexOf(a) * a', 2],
  ['Map keys compare by value', 'const a = 2; const m = new Map([[2, 10]]); (m.get(a) ?? -1) * a', 10],
  ['a lifted Map key finds its number', 'const a = 2; const m = new Map<number, number>(); m.set(a, 7); (m.get(2) ?? -1) * a', 7],
  ['Set membership by value', 'const a = 2; new Set([2]).has(a) ? a * 5 : a', 5],
  ['Object.is by value', 'const a = 2; Object.is(a, 2) ? a * 5 : a', 5],
  // A Set or a Map keys a number by its value but holds the lifted number itself, the first one stored.
  ['a Set holds the lifted number: spread, values() and forEach carry the gradient', 'const a = 2; const s = new Set([a * 3, 2, 6]); let t = 0; s.forEach((x) => { t += x; }); s.size * 100 + [...s][0] * a + [...s.values()][1] + t', 15],
  ['a Set keeps the first of equal numbers', 'const a = 2; const s = new Set([2, a]); s.add(a * 1); s.size * 100 + [...s][0] * a', 2],
  ['a Map holds the lifted key: keys() and entries() carry the gradient', 'const a = 2; const m = new Map([[a * 3, 1]]); m.set(6, a); let t = 0; for (const [k, v] of m.entries()) t += k * v; m.size * 100 + [...m.keys()][0] + t', 15],
  ['a Map found by a plain number after a lifted key, delete and clear', 'const a = 2; const m = new Map<number, number>(); m.set(a, a * a); const g = (m.get(2) ?? 0) * 10; m.delete(2); const s = new Set([a]); s.clear(); g + m.size + s.size + (m.has(a) || s.has(2) ? 100 : 0)', 40],
  ['a lifted -0 key becomes +0, as JavaScript makes it', 'const a = 0; const s = new Set([-a]); (Object.is([...s][0], 0) ? 3 : 1) * [...s][0] + a', -2],
  ['valueOf() of a lifted number keeps it lifted', 'const a = 2; a.valueOf() * a + Number.prototype.valueOf.call(a) * 3 + (a.valueOf() < 3 ? 1 : 0) + `${a.valueOf()}`.length', 7],
  // Values are JavaScript's to the last bit, so that code that branches on them goes the same way.
  ['a ** 3 is JavaScript\'s, not a * a * a', 'const a = -1.09; a ** 3', 3 * (1.09 * 1.09)],
  ['Math.hypot of three is one rounding, not a chain of two', 'const a = 1.2, b = 2.3, c = 0.7; Math.hypot(a, b, c)', 1.2 / Math.hypot(1.2, 2.3, 0.7)],
  ['Math.sign(-0) is -0 and Math.max(-0, 0) is +0', 'const a = 0; (Object.is(Math.sign(-a), -0) ? 2 : 1) * (Object.is(Math.max(-a, a), 0) ? 3 : 1) * a', 6],
  ['toString(radix)', 'const a = 5; parseInt(a.toString(2)) * 0 + a * 2', 2],
  ['toExponential, toPrecision, toFixed, toLocaleString', 'const a = 2; ((a as any).toExponential(2) + a.toPrecision(3) + a.toFixed(1) + a.toLocaleString()).length * a', 15],
  ['Number.prototype methods called on a lifted number', 'const a = 2; Number.prototype.toFixed.call(a, 2).length * a', 4],
  ['a string operand is converted as JavaScript converts it', 'const a = 2; a * ("3" as any)', 3],
  ['a Number object operand', 'const a = 2; a * (new Number(3) as any)', 3],
  ['an array operand', 'const a = 2; a * ([3] as any)', 3],
  ['an object with valueOf', 'const a = 2; a * ({ valueOf: () => 3 } as any)', 3],
  ['a boolean and null', 'const a = 2; a * (true as any) + a * (null as any)', 1],
  ['+ with a string concatenates', 'const a = 2; (a + "3" === "23" ? 7 : 1) * a', 7],
  ['+ with an object whose primitive is a string concatenates', 'const a = 2; (a + ({ toString: () => "x" } as any) === "2x" ? 7 : 1) * a', 7],
  ['a compound assignment reads its target before the right side', 'const a = 2; const arr = [1]; arr[0] += (arr[0] = 10, a); arr[0]', 1],
  ['x++ as a value is the old value', 'const a = 2; let x = a; const y = x++; y * 10 + x', 11],
  ['an element ++ evaluates the object and the key once', 'const a = 2; let k = 0; const xs = [a, a]; xs[k++]++; xs[0] * xs[1] + k', 5],
  ['an empty statement is not the end', 'const a = 2; a * 3;;', 3],
  ['typeof of a lifted number', "const a = 2; (typeof a === 'number' ? 4 : 1) * a", 4],
  ['Object.prototype.toString of a lifted number', "const a = 2; (Object.prototype.toString.call(a) === '[object Number]' ? 4 : 1) * a", 4],
  ['a lifted number\'s constructor is Number', 'const a = 2; ((a as any).constructor === Number ? 4 : 1) * a', 4],
  ['!, ternaries and conditions of lifted numbers', 'const a = 2, b = 0; (!b ? 3 : 1) * (b ? 1 : 2) * a', 6],
  ['&& and || give the operand itself', 'const a = 2, b = 0; (b || a) * (a && 3) * (b && 5)', 0],
];

describe('lifted numbers behave as numbers', () => {
  for (const [name, code, gradient] of cases) {
    it(name, async () => {
      const graph = await graphOf(code);
      assert.equal(nodesOf(graph)[graph.output].data, plainValue(code), 'the value plain JavaScript computes');
      assert.equal(leafGrad(graph, 'a'), gradient, '∂output/∂a');
    });
  }
});

describe('deliberate cuts', () => {
  // [snippet, op, ∂/∂a]: only the path around the cut carries a gradient (a = 2.5).
  for (const [code, op, gradient] of [['Number(a) * a', 'Number', 2.5], ['Math.fround(a) * a', 'fround', 2.5], ['Math.floor(a) * a', 'floor', 2], ['Math.imul(a, 3) + a', 'imul', 1]] as const) {
    it(`${op}: the value is JavaScript's, no gradient goes back through it, and the graph marks it`, async () => {
      const text = `const a = 2.5;\n${code}`;
      const graph = await graphOf(text);
      assert.equal(nodesOf(graph)[graph.output].data, plainValue(text));
      const node = nodesOf(graph).find((item) => item.op === op);
      assert.ok(node?.cut, `a ${op} node marked as a cut`);
      assert.deepEqual(node.local, node.inputs.map(() => 0));
      assert.equal(leafGrad(graph, 'a'), gradient);
    });
  }
});

describe('what the user wrote is reported as it is', () => {
  const errorOf = async (code: string) => {
    const result = await evaluateSnippet({ text: code, fileName: 'numbers.ts' });
    assert.ok(!result.ok);
    return result.error;
  };

  it('a #! first line is allowed', async () => {
    const graph = await graphOf('#!/usr/bin/env node\nconst a = 2;\na * a');
    assert.equal(nodesOf(graph)[graph.output].data, 4);
  });

  it("V8's own SyntaxErrors point at their line and column", async () => {
    const redeclared = await errorOf('const a = 2;\nconst b = 3;\nconst a = 4;\na');
    assert.deepEqual([redeclared.message, redeclared.line, redeclared.column], ["SyntaxError: Identifier 'a' has already been declared", 3, 7]);
  });

  it("a user's own EvalError is theirs", async () => {
    const error = await errorOf('const a = 2;\nthrow new EvalError("mine");');
    assert.deepEqual([error.message, error.line, error.column], ['EvalError: mine', 2, 7]);
  });

  it('a thrown object is described by its own toString, at its throw', async () => {
    const error = await errorOf('const a = 2;\nif (a > 1) throw { toString() { return "custom " + a; } };\na');
    assert.deepEqual([error.message, error.line, error.column], ['Error: the snippet threw custom 2', 2, 12]);
  });

  it('a thrown plain object is its JSON, a thrown number itself', async () => {
    assert.equal((await errorOf('const a = 2;\nthrow { code: 7 };')).message, 'Error: the snippet threw {"code":7}');
    assert.equal((await errorOf('const a = 2;\nthrow 42;')).message, 'Error: the snippet threw 42');
  });

  it('a Symbol output is called a symbol', async () => {
    assert.match((await errorOf("const a = 2;\nSymbol('s')")).message, /is a symbol;/);
  });
});
