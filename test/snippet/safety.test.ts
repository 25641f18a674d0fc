// What a snippet must not be able to do, and how every failure is reported: escape attempts, the time,
// memory and node limits, cancellation, syntax errors, runtime exceptions and outputs that are not numbers.
// Each gives a clear, located error without a stack trace of ours, and the calling process survives.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { GraphModel, SnippetErrorInfo } from '../../src/graph/model.ts';
import { evaluateSnippet, type EvaluateOptions } from '../../src/snippet/evaluate.ts';
import { nodesOf } from '../../src/graph/reader.ts';

/** Our own frames and files, which no error message may show. */
function assertNoStackOfOurs(error: SnippetErrorInfo): void {
  for (const text of [error.message, error.setting ?? '']) {
    assert.doesNotMatch(text, /\n\s*at /, 'a stack frame');
    assert.doesNotMatch(text, /gradient-graph-snippet\.js|gradient-graph-runtime\.js|sandboxProcess|sandboxRuntime|dist\/|node:internal/, 'a file of ours');
  }
  assert.ok(error.line >= 1 && error.column >= 1, `a 1-based position, got ${error.line}:${error.column}`);
}

async function errorOf(text: string, options: EvaluateOptions = {}, selection?: { start: number; end: number }): Promise<SnippetErrorInfo> {
  const result = await evaluateSnippet({ text, fileName: 'snippet.ts', ...selection }, options);
  assert.ok(!result.ok, `expected an error, got a graph with output ${result.ok ? nodesOf(result.graph)[result.graph.output].data : ''}`);
  assertNoStackOfOurs(result.error);
  return result.error;
}

async function graphOf(text: string): Promise<GraphModel> {
  const result = await evaluateSnippet({ text, fileName: 'snippet.ts' });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.graph;
}

/** Where V8 itself places an exception of the same code run as plain JavaScript: 1-based line and column. */
function nativePosition(code: string): [number, number] {
  try {
    new vm.Script(code, { filename: 'native.js' }).runInContext(vm.createContext({}));
  } catch (error) {
    const match = /native\.js:(\d+):(\d+)/.exec(String((error as Error).stack));
    assert.ok(match, 'the native stack has a position');
    return [Number(match[1]), Number(match[2])];
  }
  throw new Error('the code did not throw');
}

describe('escape attempts', () => {
  // [name, code, message, 1-based line, column]: no column where V8 picks the exact place (a call's callee or
  // arguments), and no position at all where the error may sensibly point at the declaration or the use.
  const attempts: Array<[name: string, code: string, message: RegExp, line?: number, column?: number]> = [
    ['process', 'process.exit(1);\n1', /`process` is not defined/, 1, 1],
    ['require', "const fs = require('fs');\n1", /`require` is not defined/, 1, 12],
    ['globalThis.constructor.constructor', "globalThis.constructor.constructor('return process')();\n1", /eval and new Function are not available/, 1],
    ['this.constructor.constructor', "this.constructor.constructor('return process')();\n1", /eval and new Function are not available/, 1],
    ["a value's constructor.constructor", "const a = 2;\n(a as any).constructor.constructor('return process')();\na", /eval and new Function are not available/, 2],
    ["console's constructors", "console.log.constructor('return process')();\n1", /eval and new Function are not available/, 1],
    ['import()', "const m = import('fs');\n1", /import\(\) is not available/, 1, 11],
    ['a static import', "import * as fs from 'fs';\nconst a = 2;\na", /without imports/, 1, 1],
    ['Function', "Function('return 1')();\n1", /eval and new Function are not available/, 1],
    ['new Function', "const a = 2;\nconst f = new Function('return 1');\na", /eval and new Function are not available/, 2],
    ['eval', "const a = 2;\neval('1');\na", /eval and new Function are not available/, 2],
    ['fetch', "fetch('https://example.com');\n1", /`fetch` is not defined/, 1, 1],
    ['setTimeout', 'const a = 2;\nsetTimeout(() => 0, 0);\na', /`setTimeout` is not defined/, 2, 1],
    ["the runtime's name", 'const __gg = 1;\n__gg', /reserved/],
  ];
  for (const [name, code, message, line, column] of attempts) {
    it(`${name}: ${message.source}`, async () => {
      const error = await errorOf(code);
      assert.match(error.message, message);
      if (line !== undefined) assert.equal(error.line, line);
      if (column !== undefined) assert.equal(error.column, column);
    });
  }

  it('finds none of Node\'s globals through globalThis, and no host object', async () => {
    const graph = await graphOf([
      "const names = ['process', 'require', 'module', 'Buffer', 'fetch', 'setTimeout', 'setInterval', 'queueMicrotask', 'structuredClone', 'global'];",
      "console.log(names.map((name) => typeof (globalThis as any)[name]).join(' '));",
      // The global's prototype chain and its constructors belong to the sandbox's own realm.
      'const g: any = globalThis;',
      'console.log(Object.getPrototypeOf(Object.getPrototypeOf(g)) === Object.prototype, g.constructor.constructor === Function, (this as any) === g);',
      '1',
    ].join('\n'));
    assert.deepEqual(graph.logs, [Array(10).fill('undefined').join(' '), 'true true true']);
  });
});

describe('limits', () => {
  it('while (true) {} stops at the time limit with an error naming gradientGraph.timeLimit', async () => {
    const started = performance.now();
    const error = await errorOf('const a = 2;\nwhile (true) {}\na', { timeLimitMs: 300 });
    assert.ok(performance.now() - started < 2000, 'the sandbox process is stopped at the limit');
    assert.match(error.message, /did not finish within 300 ms/);
    assert.match(error.message, /gradientGraph\.timeLimit/);
    assert.match(error.setting ?? '', /gradientGraph\.timeLimit/);
  });

  it('a node limit names gradientGraph.maxNodes and places the error at the operation that crossed it', async () => {
    const text = 'let x = 0.5;\nfor (let i = 0; i < 100000; i++) x = x * 0.9999 + 1;\nx';
    const error = await errorOf(text, { maxNodes: 1000 });
    assert.match(error.message, /more than 1000 nodes/);
    assert.match(error.message, /gradientGraph\.maxNodes/);
    assert.match(error.setting ?? '', /gradientGraph\.maxNodes/);
    assert.equal(error.line, 2);
  });

  it('a memory bomb gives the memory error naming gradientGraph.memoryLimit, and the calling process survives', async () => {
    // In a child process: if the sandbox process's heap limit took the calling process down, this test reports it
    // (and the test runner itself goes on).
    const evaluate = fileURLToPath(new URL('../../src/snippet/evaluate.ts', import.meta.url));
    const bomb = 'let s: string[] = ["ab"];\nwhile (true) s = s.concat(s.map((v) => v + "c"));\ns.length';
    const child = `
      const { evaluateSnippet } = require(${JSON.stringify(evaluate)});
      (async () => {
        const bomb = await evaluateSnippet({ text: ${JSON.stringify(bomb)}, fileName: 'bomb.ts' }, { memoryLimitMb: 64, timeLimitMs: 30000 });
        const after = await evaluateSnippet({ text: 'const a = 3;\\na * a', fileName: 'after.ts' });
        process.stdout.write(JSON.stringify({ bomb, after: after.ok ? after.graph.data[after.graph.output] : after.error }));
      })();`;
    const { code, signal, stdout, stderr } = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
      const process_ = spawn(process.execPath, ['--import', 'tsx', '-e', child], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      let out = '';
      let err = '';
      process_.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      process_.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      process_.on('close', (exitCode, exitSignal) => resolve({ code: exitCode, signal: exitSignal, stdout: out, stderr: err }));
    });
    const fatal = /FATAL ERROR[^\n]*/.exec(stderr)?.[0];
    assert.ok(code === 0 && signal === null, `the evaluating process died (exit code ${code}, signal ${signal})${fatal ? `: ${fatal}` : ''}`);
    const { bomb: result, after } = JSON.parse(stdout) as { bomb: { ok: boolean; error?: SnippetErrorInfo }; after: unknown };
    assert.equal(result.ok, false);
    assertNoStackOfOurs(result.error!);
    assert.match(result.error!.message, /more than 64 MB of memory/);
    assert.match(result.error!.message, /gradientGraph\.memoryLimit/);
    assert.match(result.error!.setting ?? '', /gradientGraph\.memoryLimit/);
    assert.equal(after, 9, 'an evaluation after the bomb works');
  });

  it('an AbortSignal cancels a running evaluation at once', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pending = errorOf('while (true) {}\n1', { signal: controller.signal, timeLimitMs: 10_000 });
    setTimeout(() => controller.abort(), 100);
    const error = await pending;
    assert.match(error.message, /cancelled/);
    assert.ok(performance.now() - started < 3000, 'cancelled long before the time limit');
  });

  it('an AbortSignal aborted before the start cancels too', async () => {
    const error = await errorOf('const a = 2;\na', { signal: AbortSignal.abort() });
    assert.match(error.message, /cancelled/);
  });

  it('the process still evaluates after every limit', async () => {
    const graph = await graphOf('const a = 3;\na * a');
    assert.equal(nodesOf(graph)[graph.output].data, 9);
  });
});

describe('syntax errors', () => {
  const cases: Array<[code: string, line: number, column: number, message: RegExp]> = [
    ['const a = 2;\nconst b = a * ;\nb', 2, 15, /Expression expected/],
    ['const a = (2;\na', 1, 13, /'\)' expected/],
    ['const a = 2;\nlet b = a +* 3;', 2, 12, /Expression expected/],
    ['const a = 2;\nif (a > 1 {\n  a;\n}', 2, 11, /'\)' expected/],
  ];
  for (const [code, line, column, message] of cases) {
    it(`${JSON.stringify(code)} at ${line}:${column}`, async () => {
      const error = await errorOf(code);
      assert.match(error.message, message);
      assert.deepEqual([error.line, error.column], [line, column]);
    });
  }

  it('in a selection, at its position in the document', async () => {
    const text = 'const k = 1;\n\nconst y = k +* 3;\ny\nconst after = 2;';
    const start = text.indexOf('const y');
    const error = await errorOf(text, {}, { start, end: text.indexOf('\nconst after') });
    assert.match(error.message, /Expression expected/);
    assert.deepEqual([error.line, error.column], [3, 14]);
  });

  it('type errors are not errors: the types are stripped, not checked', async () => {
    const graph = await graphOf('const a: string = 2;\nconst b: number = a * 3;\nb');
    assert.equal(nodesOf(graph)[graph.output].data, 6);
  });
});

describe('runtime exceptions', () => {
  // Each is plain JavaScript (and TypeScript): V8 running it natively says where the exception is.
  const cases: Array<[name: string, code: string, message: string]> = [
    ['reading a property of undefined', 'const a = 2;\nconst o = undefined;\nconst b = a * o.x;\nb', "TypeError: Cannot read properties of undefined (reading 'x')"],
    ['inside a function', 'const a = 2;\nfunction f(v) {\n  const z = null;\n  return v * z.k;\n}\nf(a)', "TypeError: Cannot read properties of null (reading 'k')"],
    ['calling a number', 'const a = 2;\nconst g = 5;\nconst y = a + g();\ny', 'TypeError: g is not a function'],
    ['inside an arrow function given to .map', 'const xs = [1, 2];\nconst ys = xs.map((v) => v * undefined.k);\nys[0]', "TypeError: Cannot read properties of undefined (reading 'k')"],
    ['throw new Error', 'const a = 2;\nthrow new Error("boom");\na', 'Error: boom'],
    ['a stack overflow in a recursive function', 'const k = 1;\n\nfunction r(n) {\n  return r(n + 1);\n}\nr(0)', 'RangeError: Maximum call stack size exceeded'],
  ];
  for (const [name, code, message] of cases) {
    it(`${name}: ${message}, where V8 places it`, async () => {
      const error = await errorOf(code);
      assert.equal(error.message, message);
      // V8 places a stack overflow at the start of the statement, the evaluator at the call in it: the same line.
      if (name.includes('stack overflow')) assert.equal(error.line, nativePosition(code)[0]);
      else assert.deepEqual([error.line, error.column], nativePosition(code));
    });
  }
});

describe('outputs that are not numbers', () => {
  const cases: Array<[code: string, message: string, line: number, column: number]> = [
    ['const ys = [1, 2, 3].map((v) => v * 2);\nys', 'the output `ys` is an array; end the snippet with the number to differentiate', 2, 1],
    ["const s = 'hello';\ns", 'the output `s` is a string; end the snippet with the number to differentiate', 2, 1],
    ['let u;\nu', 'the output `u` is undefined; end the snippet with the number to differentiate', 2, 1],
    ['const a = 2;\nconst o = { a };', 'the output `o` is an object; end the snippet with the number to differentiate', 2, 7],
    ['const a = 2;\na > 1', 'the output `a > 1` is a boolean; end the snippet with the number to differentiate', 2, 1],
    ['const f = (v: number) => v;\nf', 'the output `f` is a function; end the snippet with the number to differentiate', 2, 1],
  ];
  for (const [code, message, line, column] of cases) {
    it(message.slice(0, message.indexOf(';')), async () => {
      const error = await errorOf(code);
      assert.equal(error.message, message);
      assert.deepEqual([error.line, error.column], [line, column]);
    });
  }

  it('a snippet with no output at all says so', async () => {
    const error = await errorOf('function f() {}');
    assert.match(error.message, /has no output/);
  });

  it('an empty selection says there is nothing to evaluate', async () => {
    const error = await errorOf('const a = 2;\n\na', {}, { start: 12, end: 14 });
    assert.match(error.message, /nothing to evaluate/);
  });
});
