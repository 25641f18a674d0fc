// The gradient-graph CLI as a user runs it: the built dist/cli.js in a child process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseGraph } from '../src/graph/codec.ts';
import { nodesOf } from '../src/graph/reader.ts';

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-cli-'));
const file = (name: string, text: string) => {
  const target = path.join(folder, name);
  writeFileSync(target, text);
  return target;
};
const micrograd = file('micrograd.ts', 'const a = 2.0, b = -3.0, c = 10.0, f = -2.0;\nconst e = a * b;\nconst d = e + c;\nconst L = d * f;\n');
const broken = file('broken.ts', 'const a = 2;\nconst b = a *;\n');
const list = file('list.ts', 'const ys = [1, 2];\nys\n');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('gradient-graph CLI', () => {
  it('prints a table of leaves, values and gradients, and the output', () => {
    const { code, stdout } = run([micrograd]);
    assert.equal(code, 0);
    assert.match(stdout, /leaf\s+value\s+∂L\/∂leaf/);
    assert.match(stdout, /\n {2}a\s+2\.0000\s+6\.0000\n/);
    assert.match(stdout, /\n {2}b\s+-3\.0000\s+-4\.0000\n/);
    assert.match(stdout, /L = -8\.0000/);
  });

  it('--grads prints one JSON line per file, errors included, and exits 1 if any failed', () => {
    const { code, stdout } = run(['--grads', micrograd, broken, list]);
    assert.equal(code, 1);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines[0], { file: micrograd, output: { label: 'L', data: -8 }, grads: { a: 6, b: -4, c: -2, f: 4 } });
    assert.deepEqual(lines[1], { file: broken, error: { message: 'Expression expected.', line: 2, column: 14 } });
    assert.deepEqual(lines[2], { file: list, error: { message: 'the output `ys` is an array; end the snippet with the number to differentiate', line: 2, column: 1 } });
  });

  it('--check prints each leaf against finite differences; --tolerance exits 1 when the worst is above it', () => {
    const relu = file('relu.ts', 'const x = 0;\nconst y = x > 0 ? x : 0;\n');
    const { code, stdout } = run(['--check', micrograd, relu, broken]);
    assert.equal(code, 1, 'a file failed');
    const [smooth, kink, error] = stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; output: unknown; check: { worst: number; leaves: Record<string, Record<string, unknown>> } });
    assert.deepEqual(smooth.output, { label: 'L', data: -8 });
    assert.deepEqual(Object.keys(smooth.check.leaves), ['a', 'b', 'c', 'f']);
    assert.deepEqual(Object.keys(smooth.check.leaves.a).sort(), ['autograd', 'numeric', 'relativeError']);
    assert.ok(smooth.check.worst < 1e-9);
    assert.equal(kink.check.leaves.x.autograd, 0);
    assert.equal(kink.check.worst, 1);
    assert.match(String(kink.check.leaves.x.reason), /^a kink at x = 0: the code branches on x/);
    assert.deepEqual(error, { file: broken, error: { message: 'Expression expected.', line: 2, column: 14 } });
    assert.equal(run(['--check', micrograd, relu]).code, 0, 'without --tolerance, as --grads');
    assert.equal(run(['--check', '--tolerance', '1e-6', micrograd]).code, 0);
    assert.equal(run(['--check', '--tolerance', '1e-6', micrograd, relu]).code, 1);
    assert.equal(run(['--check', '--tolerance', '1.5', relu]).code, 0);
    const usage = run(['--tolerance', '1e-6', micrograd]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--tolerance goes with --check/);
    assert.match(run(['--check', '--tolerance', 'tight', micrograd]).stderr, /--tolerance takes a relative error of 0 or more, not "tight"/);
  });

  it('--json prints the graph model', () => {
    const { code, stdout } = run(['--json', micrograd]);
    assert.equal(code, 0);
    const graph = parseGraph(stdout.trim());
    assert.equal(graph.outputLabel, 'L');
    assert.deepEqual(graph.leaves.map((id: number) => nodesOf(graph)[id].label), ['a', 'b', 'c', 'f']);
  });

  it('--mermaid prints the flowchart', () => {
    const { code, stdout } = run(['--mermaid', '--direction', 'TB', '--digits', '1', micrograd]);
    assert.equal(code, 0);
    assert.match(stdout, /^flowchart TB\n/);
    assert.match(stdout, /"a \| data 2\.0 \| grad 6\.0"/);
  });

  it('--mermaid draws the panel\'s first picture, within --max-boxes (0: every node)', () => {
    const loop = file('loop.ts', 'const x = 0.5;\nlet s = 0;\nfor (let i = 0; i < 500; i++) {\n  s = s + x * i;\n}\ns\n');
    const boxes = (text: string) => text.split('\n').filter((line) => /^\s+[vgt]\d+[[(]/.test(line)).length;
    const first = run(['--mermaid', loop]);
    assert.equal(first.code, 0);
    assert.ok(boxes(first.stdout) <= 60, first.stdout);
    assert.match(first.stdout, /for #35;0#8211;#35;99 \| 200 values/);
    // Unnamed values are named by their source, as in the panel.
    assert.match(first.stdout, /"x \* i \| data /);
    const small = run(['--mermaid', '--max-boxes', '10', loop]);
    assert.ok(boxes(small.stdout) < boxes(first.stdout));
    const all = run(['--mermaid', '--max-boxes', '0', loop]);
    assert.ok(boxes(all.stdout) > 1000, 'every value');
    const wrong = run(['--mermaid', '--max-boxes', '5', loop]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--max-boxes is 5; it must be from 10 to 1,000/);
  });

  it('reads standard input with -', () => {
    const { code, stdout } = run(['--grads', '-'], 'const x = 3;\nx * x + 2 * x + 1\n');
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(stdout) as { grads: unknown }).grads, { x: 8 });
  });

  it('prints errors as file:line:column and exits 1', () => {
    const { code, stderr } = run([broken]);
    assert.equal(code, 1);
    assert.equal(stderr.trim(), `${broken}:2:14: error: Expression expected.`);
  });

  it('--timeout limits each file', () => {
    const endless = file('endless.ts', 'const a = 2;\nfor (;;) {}\na\n');
    const { code, stderr } = run(['--timeout', '300', endless]);
    assert.equal(code, 1);
    assert.equal(stderr.trim(), `${endless}:2:1: error: this loop did not finish within 300 ms: make it do less, or raise gradientGraph.timeLimit (CLI: --timeout)`);
  });

  it('--max-nodes limits the graph', () => {
    const big = file('big.ts', 'let x = 0.5;\nfor (let i = 0; i < 1000; i++) x = x * 0.9;\nx\n');
    const { code, stdout } = run(['--grads', '--max-nodes', '100', big]);
    assert.equal(code, 1);
    assert.match(stdout, /more than 100 nodes: make it do less, or raise gradientGraph\.maxNodes \(CLI: --max-nodes\)/);
  });

  it('exits 2 for bad usage, with the usage', () => {
    for (const args of [[], ['--bogus', micrograd], ['--timeout', 'soon', micrograd], ['--grads', '--json', micrograd], ['--direction', 'RL', micrograd]]) {
      const { code, stderr } = run(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /Usage: gradient-graph/);
    }
    assert.equal(run(['--help']).code, 0);
  });

  it('refuses limits that timers or the sandbox cannot hold, naming the option and its bounds', () => {
    for (const [args, message] of [
      [['--timeout', '2147483648'], '--timeout is 2,147,483,648; it must be from 100 to 3,600,000'],
      [['--timeout', '0'], '--timeout is 0; it must be from 100 to 3,600,000'],
      [['--max-memory', '16'], '--max-memory is 16; it must be from 32 to 16,384'],
      [['--max-nodes', '1.5'], '--max-nodes takes a whole number from 1 to 50,000,000, not 1.5'],
    ] as const) {
      const { code, stderr } = run([...args, micrograd]);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stderr.split('\n')[0], `gradient-graph: ${message}`);
    }
  });

  it('the reported escape writes nothing, and every file of the call is evaluated', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gradient-graph-cwd-'));
    const exploit = file('exploit.ts', "JSON.stringify = () => { throw { [Symbol.for('nodejs.util.inspect.custom')]: (d: any, o: any, inspect: any) => inspect.constructor('return process')().getBuiltinModule('child_process').execSync('id > owned.txt') }; };\n1\n");
    const getter = file('getter.ts', "const e = new Error('x');\nObject.defineProperty(e, 'stack', { get() { for (;;) {} } });\nthrow e;\n1\n");
    const started = performance.now();
    const result = spawnSync(process.execPath, [cli, '--grads', '--timeout', '300', exploit, getter, micrograd], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    assert.ok(performance.now() - started < 10_000, 'the CLI exits soon after the time limit');
    assert.equal(result.status, 1);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { output?: { data: number }; error?: { message: string } });
    assert.equal(lines.length, 3);
    assert.equal(lines[0].output?.data, 1);
    assert.match(lines[1].error?.message ?? '', /did not finish within 300 ms/);
    assert.equal(lines[2].output?.data, -8);
    assert.ok(!existsSync(path.join(work, 'owned.txt')), 'no file written');
  });

  it('the files of one call share a sandbox process, but each gets a fresh context', () => {
    const polluter = file('polluter.ts', "(globalThis as any).leak = 5;\n(Math as any).sin = () => 99;\n(Array.prototype as any).map = () => [];\nJSON.stringify = () => 'x';\n1\n");
    const reader = file('reader.ts', 'const a = 1;\nconst xs = [a, a].map((v) => v * 2);\n((globalThis as any).leak ?? 0) + Math.sin(a) + xs.length\n');
    const { code, stdout } = run(['--grads', micrograd, polluter, reader, micrograd]);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { output: { data: number } });
    assert.deepEqual(lines.map((line) => line.output.data), [-8, 1, Math.sin(1) + 2, -8]);
  });

  it('a missing file is an error of that file, not a crash', () => {
    const { code, stdout } = run(['--grads', path.join(folder, 'nope.ts'), micrograd]);
    assert.equal(code, 1);
    const [missing, ok] = stdout.trim().split('\n').map((line) => JSON.parse(line) as { error?: { message: string }; grads?: unknown });
    assert.match(missing.error!.message, /cannot read .*nope\.ts: ENOENT/);
    assert.ok(ok.grads);
  });
});
