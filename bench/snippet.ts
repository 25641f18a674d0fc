/**
 * The snippet evaluator and the CLI as a user runs them: whole processes, side by side in one run.
 * - W1 written as a snippet, 100,000 steps: `gradient-graph --grads` (rewrite, sandboxed forward,
 *   backward, graph model) against `node` running the same code as plain JavaScript (forward only:
 *   plain numbers have no gradient). Target: at most 30x.
 * - Cold start: one CLI call on a ten-line snippet, TypeScript's parser included. Target: under 400 ms.
 * - 250 small snippets in one CLI call against one call on one of them. Target: at most 12x.
 * - W1 at 1e6 steps (6,000,001 nodes) through the CLI, whole process, against the engine recording and
 *   backpropagating the same chain in this process; the CLI process's peak resident memory. Targets: at
 *   most 3x and 1 GB.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Tape } from '../src/engine/tape.ts';
import { OP_CODE } from '../src/engine/ops.ts';
import { spawnSync } from 'node:child_process';
import { formatNumber, integer, processTime, ratio, type Report } from './report.ts';

export const name = 'snippet';

const cli = path.join(__dirname, '..', 'dist', 'cli.js');


export function run(report: Report): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-bench-'));
  const steps = 100_000;
  const body = `let x = 0.5;\nfor (let i = 0; i < ${steps}; i++) {\n  x = x * 0.9999 + 0.0001 * Math.sin(x);\n}\n`;
  const snippet = path.join(folder, 'w1.ts');
  writeFileSync(snippet, `${body}x\n`);
  const plain = path.join(folder, 'w1.js');
  writeFileSync(plain, `${body}console.log(x);\n`);
  const tenLines = path.join(folder, 'ten-lines.ts');
  writeFileSync(tenLines, ['const a = 2.0;', 'const b = -3.0;', 'const c = 10.0;', 'const f = -2.0;', 'const e = a * b;', 'const d = e + c;',
    'function square(v: number): number { return v * v; }', 'const g = square(d) / 4;', 'const h = Math.tanh(g / 10);', 'const L = (d + h) * f;'].join('\n'));

  report.heading('Snippets and the CLI (whole processes)');
  const evaluated = processTime([cli, '--grads', snippet]);
  const baseline = processTime([plain]);
  const empty = processTime(['-e', '0']);
  const output = JSON.parse(evaluated.stdout) as { output: { data: number }; grads: Record<string, number> };
  if (Math.abs(output.output.data - Number(baseline.stdout)) > 1e-12) throw new Error(`the CLI computed ${output.output.data}, plain JavaScript ${baseline.stdout}`);
  const cold = processTime([cli, '--grads', tenLines], 7);
  report.table(`W1 as a snippet, ${integer(steps)} steps (${integer(steps * 6 + 1)} nodes)`, [
    { title: 'what' }, { title: 'best ms' }, { title: 'median ms' }, { title: 'vs plain JS' },
  ], [
    ['node -e 0 (Node.js startup)', formatNumber(empty.bestMs), formatNumber(empty.medianMs), ''],
    ['plain JavaScript (node w1.js)', formatNumber(baseline.bestMs), formatNumber(baseline.medianMs), ratio(1)],
    ['gradient-graph --grads w1.ts', formatNumber(evaluated.bestMs), formatNumber(evaluated.medianMs), ratio(evaluated.bestMs / baseline.bestMs)],
    ['cold start: gradient-graph --grads on 10 lines', formatNumber(cold.bestMs), formatNumber(cold.medianMs), ''],
  ]);
  report.record('w1Snippet', { steps, cliMs: evaluated.bestMs, plainMs: baseline.bestMs, coldStartMs: cold.bestMs, nodeStartupMs: empty.bestMs });

  // Many files in one call: each gets a fresh context in a shared sandbox process.
  const many = Array.from({ length: 250 }, (_, index) => {
    const copy = path.join(folder, `small-${index}.ts`);
    copyFileSync(tenLines, copy);
    return copy;
  });
  const manyCall = processTime([cli, '--grads', ...many], 3);
  const manyRatio = manyCall.bestMs / cold.bestMs;
  report.target('250 small snippets in one CLI call within 12x one call on one of them', manyRatio <= 12,
    `${ratio(manyRatio)} (${formatNumber(manyCall.bestMs)} vs ${formatNumber(cold.bestMs)} ms; ${formatNumber(manyCall.bestMs / 250)} ms a file)`);

  // The million-step chain: the CLI, whole process, against the engine alone in this process.
  const million = path.join(folder, 'w1-million.ts');
  writeFileSync(million, `let x = 0.5;\nfor (let i = 0; i < 1000000; i++) {\n  x = x * 0.9999 + 0.0001 * Math.sin(x);\n}\nx\n`);
  const engineMs = engineChainMs(1_000_000);
  const rssProbe = `const { main } = require(${JSON.stringify(cli)}); main(process.argv.slice(1)).then((code) => { process.stderr.write('\\nmaxRSS ' + process.resourceUsage().maxRSS + '\\n'); process.exit(code); });`;
  const start = performance.now();
  const run = spawnSync(process.execPath, ['-e', rssProbe, '--', '--grads', '--timeout', '600000', '--max-nodes', '7000000', million], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const cliMs = performance.now() - start;
  const peakMb = Number(/maxRSS (\d+)/.exec(run.stderr)?.[1] ?? NaN) / 1024;
  report.table('W1 at 1e6 steps (6,000,001 nodes)', [{ title: 'what' }, { title: 'ms' }, { title: 'peak MB' }], [
    ['engine alone (record and backward, in one process)', formatNumber(engineMs), ''],
    ['gradient-graph --grads (whole process)', formatNumber(cliMs), formatNumber(peakMb)],
  ]);
  report.record('w1Million', { engineMs, cliMs, peakMb, status: run.status });
  report.target('the 1e6-step chain through the CLI within 3x the engine alone', run.status === 0 && cliMs / engineMs <= 3, `${ratio(cliMs / engineMs)} (${formatNumber(cliMs)} vs ${formatNumber(engineMs)} ms)`);
  report.target('the 1e6-step chain through the CLI in at most 1 GB (the CLI process)', peakMb <= 1024, `${formatNumber(peakMb)} MB`);
  const ratioToPlain = evaluated.bestMs / baseline.bestMs;
  report.target('CLI on the W1 snippet (1e5 steps) within 30x of plain JS', ratioToPlain <= 30, `${ratio(ratioToPlain)} (${formatNumber(evaluated.bestMs)} vs ${formatNumber(baseline.bestMs)} ms, whole processes)`);
  report.target('CLI cold start on a ten-line snippet under 400 ms', cold.bestMs < 400, `${formatNumber(cold.bestMs)} ms best, ${formatNumber(cold.medianMs)} ms median (Node.js alone: ${formatNumber(empty.bestMs)} ms)`);
  return Promise.resolve();
}

/** The engine recording and backpropagating W1 through the runtime's path (`tape.binary`/`unary`), best of three. */
function engineChainMs(steps: number): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const tape = new Tape();
    let x = tape.leaf(0.5);
    const decay = tape.constant(0.9999);
    const scale = tape.constant(0.0001);
    for (let step = 0; step < steps; step++) {
      x = tape.binary(OP_CODE.add, tape.binary(OP_CODE.mul, x, decay), tape.binary(OP_CODE.mul, scale, tape.unary(OP_CODE.sin, x)));
    }
    tape.backward(x);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
