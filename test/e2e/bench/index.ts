// The editor latency benchmark, run inside the extension host like the e2e suite (bench/editor.ts starts
// it): the extension's activation, and the time from the command to the painted graph for micrograd's L
// and for straight-line snippets of about 50 and 200 values, with a cold panel (mermaid loads) and warm.
// Prints one line `BENCH {json}`.
import * as vscode from 'vscode';
import type { GradientGraphApi } from '../../../src/extension/extension.ts';
import type { EvaluationResult } from '../../../src/snippet/evaluate.ts';

const MICROGRAD = 'const a = 2.0;\nconst b = -3.0;\nconst c = 10.0;\nconst f = -2.0;\nconst e = a * b;\nconst d = e + c;\nconst L = d * f;\n';

/** Straight-line code (no loops or calls, so nothing is collapsed) with about `values` values. */
function straightLine(values: number): string {
  const leaves = Math.max(4, Math.round(values / 10));
  const lines = Array.from({ length: leaves }, (_, index) => `const x${index} = ${((index % 7) - 3) / 4 + 0.1};`);
  let made = leaves;
  let index = 0;
  // Each line makes three values: a product, a sum and a tanh.
  while (made + 3 <= values) {
    const a = `v${index - 1}`;
    const x = `x${index % leaves}`;
    const y = `x${(index * 3 + 1) % leaves}`;
    lines.push(`const v${index} = Math.tanh(${index === 0 ? 'x0' : a} * ${x} + ${y});`);
    made += 3;
    index++;
  }
  return lines.join('\n') + '\n';
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
  const cases: Array<[string, string]> = [['micrograd L', MICROGRAD], ['50 values', straightLine(50)], ['200 values', straightLine(200)]];
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
