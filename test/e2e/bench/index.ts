// The editor latency benchmark, run inside the extension host like the e2e suite (bench/editor.ts starts
// it): the extension's activation, and the time from the command to the painted graph for micrograd's L
// and for two-layer perceptrons of 52 and 201 values, with a cold panel (mermaid loads) and warm.
// Prints one line `BENCH {json}`.
import * as vscode from 'vscode';
import type { GradientGraphApi } from '../../../src/extension/extension.ts';
import type { EvaluationResult } from '../../../src/snippet/evaluate.ts';

const MICROGRAD = 'const a = 2.0;\nconst b = -3.0;\nconst c = 10.0;\nconst f = -2.0;\nconst e = a * b;\nconst d = e + c;\nconst L = d * f;\n';

/**
 * A two-layer perceptron with its loss, as a learner writes it (examples/mlp.ts): `mlp(2, 4, 1)` has 52 values
 * and `mlp(3, 11, 2)` 201. The weights come from a fixed generator.
 */
function mlp(inputs: number, hidden: number, outputs: number): string {
  let seed = 7;
  const next = () => {
    seed = (seed * 16807) % 2147483647;
    return Math.round(((seed / 2147483647) * 2 - 1) * 100) / 100;
  };
  const row = (length: number) => `[${Array.from({ length }, next).join(', ')}]`;
  const matrix = (rows: number, columns: number) => `[${Array.from({ length: rows }, () => row(columns)).join(', ')}]`;
  return [
    `const x = ${row(inputs)};`,
    `const w1 = ${matrix(hidden, inputs)};`, `const b1 = ${row(hidden)};`,
    'function neuron(w: number[], b: number, xs: number[]): number {', '  let s = b;', '  for (let j = 0; j < xs.length; j++) s = s + w[j] * xs[j];', '  return Math.tanh(s);', '}',
    'const h = w1.map((w, i) => neuron(w, b1[i], x));',
    `const w2 = ${matrix(outputs, hidden)};`, `const b2 = ${row(outputs)};`,
    'const o = w2.map((w, i) => neuron(w, b2[i], h));',
    'let loss = 0;', 'for (let i = 0; i < o.length; i++) loss = loss + (o[i] - 1) ** 2;', '',
  ].join('\n');
}

/** One document, as a user works in one file: each case replaces its text (closing editors would hide the panel). */
let editor: vscode.TextEditor | undefined;

async function showAndPaint(api: GradientGraphApi, text: string): Promise<{ totalMs: number; webviewMs: number; evaluationMs: number; values: number }> {
  editor ??= await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'typescript', content: '' }), vscode.ViewColumn.One);
  const document = editor.document;
  await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, document.lineCount, 0), text));
  editor.selection = new vscode.Selection(0, 0, document.lineCount, 0);
  const painted = api.nextRender();
  const started = performance.now();
  const result = await vscode.commands.executeCommand<EvaluationResult>('gradientGraph.show');
  if (!result?.ok) throw new Error(`evaluation failed: ${JSON.stringify(result)}`);
  const message = await painted;
  const totalMs = performance.now() - started;
  if (message.type !== 'rendered') throw new Error(`the panel did not paint: ${JSON.stringify(message)}`);
  return { totalMs, webviewMs: message.milliseconds, evaluationMs: result.graph.timings.totalMs, values: message.values };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function run(): Promise<void> {
  console.log('e2e suite: editor benchmark');
  const extension = vscode.extensions.getExtension<GradientGraphApi>('gradient-graph.gradient-graph')!;
  const activationStarted = performance.now();
  const api = await extension.activate();
  const activationMs = performance.now() - activationStarted;
  const results: Record<string, unknown> = { activationMs };
  // Drawn in full: nothing collapsed, so that the figures are those of 50 and 200 values.
  await vscode.workspace.getConfiguration('gradientGraph').update('collapseAbove', 100_000, vscode.ConfigurationTarget.Global);
  const cases: Array<[string, string]> = [['micrograd L', MICROGRAD], ['50 values', mlp(2, 4, 1)], ['200 values', mlp(3, 11, 2)]];
  // The first command opens the panel: mermaid loads (cold). Then each case three times with the panel open.
  results.cold = await showAndPaint(api, MICROGRAD);
  for (const [name, text] of cases) {
    const runs = [];
    for (let run = 0; run < 3; run++) runs.push(await showAndPaint(api, text));
    results[name] = {
      totalMs: median(runs.map((item) => item.totalMs)), bestMs: Math.min(...runs.map((item) => item.totalMs)),
      webviewMs: median(runs.map((item) => item.webviewMs)), evaluationMs: median(runs.map((item) => item.evaluationMs)), values: runs[0].values,
    };
  }
  console.log(`BENCH ${JSON.stringify(results)}`);
}
