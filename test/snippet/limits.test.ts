// The limits in the sandbox process arrangement: memory counts typed arrays and never takes the host down,
// the time limit ends every kind of blocking, output is capped with a note, stacks show only the document,
// and the rewrite has its own limits (nesting, time), each with a located error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphModel, SnippetErrorInfo } from '../../src/graph/model.ts';
import { evaluateSnippet, type EvaluateOptions } from '../../src/snippet/evaluate.ts';
import { LOG_LIMITS } from '../../src/snippet/protocol.ts';
import { nodesOf } from '../../src/graph/reader.ts';

async function errorOf(text: string, options: EvaluateOptions = {}): Promise<SnippetErrorInfo> {
  const result = await evaluateSnippet({ text, fileName: 'snippet.ts' }, options);
  assert.ok(!result.ok, 'expected an error');
  assert.doesNotMatch(result.error.message, /dist\/|node:internal|sandboxProcess|sandboxRuntime|gradient-graph-(snippet|runtime)\.js/);
  return result.error;
}

async function graphOf(text: string, options: EvaluateOptions = {}): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'snippet.ts' }, options);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.graph;
}

describe('memory', () => {
  it('typed arrays count: 1 GB of Float64Arrays under a 64 MB limit is the memory error', async () => {
    const text = 'const xs: Float64Array[] = [];\nfor (let i = 0; i < 8; i++) { const f = new Float64Array(2 ** 24); f.fill(1); xs.push(f); }\nxs.length';
    const error = await errorOf(text, { memoryLimitMb: 64, timeLimitMs: 20_000 });
    assert.match(error.message, /more than 64 MB of memory: make it do less, or raise gradientGraph\.memoryLimit/);
  });

  it('a Map grown without end is the memory error, and the next evaluation works', async () => {
    const error = await errorOf('const m = new Map<number, number[]>();\nlet i = 0;\nwhile (true) { m.set(i, [i, i, i]); i++; }\n1', { memoryLimitMb: 128, timeLimitMs: 30_000 });
    assert.match(error.message, /more than 128 MB of memory/);
    const graph = await graphOf('const a = 3;\na * a');
    assert.equal(nodesOf(graph)[graph.output].data, 9);
  });
});

describe('time', () => {
  it('a runaway loop is located at the loop, and the message says so once', async () => {
    const error = await errorOf('const a = 2;\nconst b = a * 3;\nwhile (true) {}\nb', { timeLimitMs: 300 });
    assert.equal(error.message, 'this loop did not finish within 300 ms: make it do less, or raise gradientGraph.timeLimit (CLI: --timeout)');
    assert.deepEqual([error.line, error.column], [3, 1]);
    assert.deepEqual(error.range, { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 15 });
  });

  it('the innermost running loop, also inside a function', async () => {
    const text = 'const a = 2;\nfunction spin(x: number) {\n  for (let i = 0; i < 3; i++) {\n    while (x > 0) x = x * 1;\n  }\n  return x;\n}\nspin(a)';
    const error = await errorOf(text, { timeLimitMs: 300, maxNodes: 50_000_000 });
    assert.match(error.message, /^this loop did not finish within 300 ms/);
    assert.deepEqual([error.line, error.column], [4, 5]);
  });

  it('outside any loop, the time limit points at the operation that ran last', async () => {
    const error = await errorOf('const a = 2;\nconst b = a * 3;\nfunction f(n: number): number { return n <= 0 ? 0 : f(n - 1) + f(n - 1); }\nf(40) + b', { timeLimitMs: 300 });
    assert.match(error.message, /^the snippet did not finish within 300 ms: make it do less, or raise gradientGraph\.timeLimit/);
    assert.deepEqual([error.line, error.column], [2, 11]);
  });

  it('a stack getter that never returns ends at the time limit', async () => {
    const started = performance.now();
    const error = await errorOf("const e = new Error('x');\nObject.defineProperty(e, 'stack', { get() { for (;;) {} } });\nthrow e;\n1", { timeLimitMs: 300 });
    assert.match(error.message, /did not finish within 300 ms/);
    assert.ok(performance.now() - started < 3000, 'ended soon after the limit');
  });

  it('a promise job that never ends is within the time limit', async () => {
    const error = await errorOf('const a = 2;\nPromise.resolve().then(() => { for (;;) {} });\na * 3', { timeLimitMs: 300 });
    assert.match(error.message, /did not finish within 300 ms/);
  });

  it('limits out of bounds are refused, with their bounds', async () => {
    const error = await errorOf('const a = 2;\na', { timeLimitMs: 2 ** 31 });
    assert.match(error.message, /gradientGraph\.timeLimit is 2,147,483,648; it must be from 100 to 3,600,000/);
  });
});

describe('output', () => {
  it('console output is capped in lines and characters, with a note of what was dropped', async () => {
    const graph = await graphOf('const s = "x".repeat(100000);\nfor (let i = 0; i < 2000; i++) console.log(s);\n1');
    const characters = graph.logs.reduce((sum, line) => sum + line.length, 0);
    assert.ok(characters <= LOG_LIMITS.characters + 2 * LOG_LIMITS.lineCharacters, `${characters} characters kept`);
    assert.match(graph.logs[0], /^x{10000}… \(the line goes on; 10000 characters are kept\)$/);
    assert.match(graph.logs.at(-1)!, /^… \d+ more console lines were not kept: the log keeps 1000 lines and 1000000 characters$/);
  });

  it('a stack shows the user\'s document only', async () => {
    const graph = await graphOf('const a = 2;\nconsole.log(new Error("here").stack);\nfunction f() { return new Error("in f").stack; }\nconsole.log(f());\na');
    assert.deepEqual(graph.logs, ['Error: here\n    at snippet.ts:2:13', 'Error: in f\n    at f (snippet.ts:3:23)\n    at snippet.ts:4:13']);
  });

  it('console.log of hostile values prints what it can and goes on', async () => {
    const graph = await graphOf([
      'const o: any = {};', 'o.self = o;',
      'console.log(o, { toJSON() { throw new Error("no"); } }, Symbol("s"), 10n, new Proxy({}, { get() { throw 1; }, ownKeys() { throw 2; } }));',
      '1',
    ].join('\n'));
    assert.deepEqual(graph.logs, ['[object] [object] Symbol(s) 10n [object]']);
  });
});

describe('the rewrite', () => {
  const repeat = (text: string, count: number) => Array.from({ length: count }, () => text).join('');
  const cases: Array<[name: string, text: string, column: number]> = [
    ['700 terms of a + a', `const a = 1;\nconst b = ${repeat('a + ', 700)}a;\nb`, 11],
    // TypeScript's parser itself overflows here: the place is the innermost parenthesis.
    ['1,000 nested parentheses', `const a = 1;\nconst b = ${repeat('(', 1000)}a${repeat(')', 1000)};\nb`, 1010],
    ['700 nested blocks', `const a = 1;\n${repeat('{', 700)}a;${repeat('}', 700)}\na`, 701],
  ];
  for (const [name, text, column] of cases) {
    it(`${name}: a located error, not a stack overflow`, async () => {
      const error = await errorOf(text);
      assert.match(error.message, /nested too deeply to rewrite \(\d+ levels here\): split it into smaller expressions or statements/);
      assert.deepEqual([error.line, error.column], [2, column]);
    });
  }

  it('a file too large to rewrite in time is refused at the rewrite limit', async () => {
    const text = `let x = 1;\n${Array.from({ length: 150_000 }, (_, index) => `x = x * 1.0000001 + ${index % 7};`).join('\n')}\nx`;
    const started = performance.now();
    const error = await errorOf(text, { rewriteTimeLimitMs: 300 });
    assert.match(error.message, /rewriting the snippet took longer than 0\.3 s: select less code/);
    assert.ok(performance.now() - started < 5000);
  });
});

describe('the statement under the cursor', () => {
  it('an empty selection evaluates the top-level statement at it, found in the sandbox', async () => {
    const text = 'const a = 2;\nconst b = a * 3;\nconst c = b + a;\n';
    const result = await evaluateSnippet({ text, fileName: 'snippet.ts', start: text.indexOf('b +'), end: text.indexOf('b +') });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.deepEqual(result.graph.source.range, { startLine: 2, startCharacter: 0, endLine: 2, endCharacter: 16 });
    assert.equal(nodesOf(result.graph)[result.graph.output].data, 8);
  });

  it('between statements, it says what to do', async () => {
    const text = 'const a = 2;\n\n\nconst b = a * 3;';
    const result = await evaluateSnippet({ text, fileName: 'snippet.ts', start: 13, end: 13 });
    assert.ok(!result.ok);
    assert.equal(result.error.message, 'nothing to evaluate: select the code to differentiate, or put the cursor in a statement');
  });
});
