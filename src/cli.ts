/**
 * `gradient-graph`: the extension's evaluation from a terminal. Evaluates each file as a snippet and prints
 * its leaves' gradients, its graph model, its mermaid text, or a check of its gradients against finite
 * differences. Exit code 0 when every file evaluated, 1 when any failed (or, with `--check --tolerance`,
 * a check's worst relative error was above the tolerance), 2 for bad usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatNumber } from './graph/format.ts';
import { toMermaid } from './graph/mermaid.ts';
import { sourceTextIn } from './graph/planLabels.ts';
import { encodeNumber, writeGraphJson } from './graph/codec.ts';
import type { SnippetErrorInfo } from './graph/model.ts';
import { numberProblem, SETTINGS } from './shared/settings.ts';
import { evaluateGradients, evaluateSnippet, stopSpareProcess, type EvaluateOptions, type EvaluationResult, type GradientsResult, type SnippetGradients } from './snippet/evaluate.ts';
import { checkGradients, leafLabels, type CheckResult, type GradientCheck } from './snippet/gradientCheck.ts';

const USAGE = `Usage: gradient-graph [options] <file...>

Evaluates each TypeScript or JavaScript file as a snippet (use - for standard input), runs backward from
its output (the last expression, or else the last declared variable), and prints the gradients.

Output (default: a table of the leaves with their values and gradients, and the output's value):
  --grads            one JSON line per file: {"file", "output": {"label", "data"}, "grads": {leaf: grad}}
                     (and "steps": [v0, v1, …], the value each backward() call of the file started
                     from, when it called any) or {"file", "error": {"message", "line", "column"}}
  --json             the full graph model (docs/graph-model.md), one line per file
  --mermaid          the graph as mermaid text: the panel's first picture
  --check            one JSON line per file: {"file", "output": {"label", "data"}, "check": {"worst": R,
                     "leaves": {leaf: {"autograd", "numeric", "relativeError"[, "reason"]}}}}, the numeric
                     derivative by central differences with Richardson extrapolation over runs of the
                     file with that leaf moved; "reason" when a leaf disagrees at a kink
  --tolerance T      with --check: exit 1 when a file's worst relative error is above T

Options:
  --timeout MS       time limit per file (default ${SETTINGS.timeLimit.default}, at most ${SETTINGS.timeLimit.maximum})
  --max-nodes N      most nodes a file may make (default ${SETTINGS.maxNodes.default}, at most ${SETTINGS.maxNodes.maximum})
  --max-memory MB    memory a file's evaluation may use, typed arrays included (default ${SETTINGS.memoryLimit.default}, from ${SETTINGS.memoryLimit.minimum} to ${SETTINGS.memoryLimit.maximum})
  --digits N         digits after the decimal point in tables and mermaid (default ${SETTINGS.digits.default})
  --direction LR|TB  mermaid layout direction (default ${SETTINGS.direction.default})
  --max-boxes N      most boxes in the mermaid picture (default ${SETTINGS.maxBoxes.default}, from ${SETTINGS.maxBoxes.minimum} to ${SETTINGS.maxBoxes.maximum}; 0: every node)
  -h, --help         this help
`;

class UsageError extends Error {}

/** A numeric option, checked against its setting's bounds. */
function numberOption(name: 'timeLimit' | 'maxNodes' | 'memoryLimit' | 'digits' | 'maxBoxes', value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const option = SETTINGS[name].cli;
  const number = value.trim() === '' ? NaN : Number(value);
  const problem = numberProblem(name, number, option);
  if (problem) throw new UsageError(Number.isNaN(number) ? `${option} takes a number, not "${value}"` : problem);
  return number;
}

/** Leaves by label, in declaration order; a repeated label gets `#2`, `#3`. */
function leafGradients(gradients: SnippetGradients): Array<[string, number, number]> {
  const labels = leafLabels(gradients.leaves);
  return gradients.leaves.map((leaf, index) => [labels[index], leaf.data, leaf.grad]);
}

/** `--check`'s JSON: the leaves by label, NaN and infinities as strings (as `--grads`). */
function checkJson(file: string, check: GradientCheck): string {
  const leaves = Object.fromEntries(check.leaves.map((leaf) => [leaf.label, {
    autograd: encodeNumber(leaf.autograd), numeric: encodeNumber(leaf.numeric), relativeError: encodeNumber(leaf.relativeError),
    ...(leaf.reason !== undefined ? { reason: leaf.reason } : {}),
  }]));
  return JSON.stringify({ file, output: { label: check.output.label, data: encodeNumber(check.output.data) }, check: { worst: encodeNumber(check.worst), leaves } });
}

function table(file: string, gradients: SnippetGradients, digits: number): string {
  const output = gradients.output.label;
  const rows = leafGradients(gradients).map(([label, data, grad]) => [label, formatNumber(data, digits), formatNumber(grad, digits)]);
  const header = ['leaf', 'value', `∂${output}/∂leaf`];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const steps = gradients.steps;
  const training = steps.length === 0 ? [] : [steps.length === 1
    ? `  1 backward() step: ${formatNumber(steps[0], digits)}`
    : `  ${steps.length} backward() steps: first ${formatNumber(steps[0], digits)}, last ${formatNumber(steps[steps.length - 1], digits)}`];
  return [file, line(header), ...rows.map(line), `  ${output} = ${formatNumber(gradients.output.data, digits)}`, ...training, ''].join('\n');
}

const errorLine = (file: string, error: SnippetErrorInfo) => `${file}:${error.line}:${error.column}: error: ${error.message}`;

/** `--tolerance`: a relative error, a number of at least 0. */
function toleranceOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? NaN : Number(value);
  if (!(number >= 0) || !Number.isFinite(number)) throw new UsageError(`--tolerance takes a relative error of 0 or more, not "${value}"`);
  return number;
}

/** `--check` on one file: prints its line; whether it failed to evaluate, or its worst error was above `tolerance`. */
async function checkFile(file: string, text: string, options: EvaluateOptions, reuseProcess: boolean, tolerance: number | undefined): Promise<'passed' | 'failed' | 'above'> {
  let result: CheckResult;
  try {
    result = await checkGradients({ text, fileName: file === '-' ? 'stdin.ts' : file }, { ...options, reuseProcess, ...(tolerance !== undefined ? { tolerance } : {}) });
  } catch (error) {
    result = { ok: false, error: { message: `internal error: ${(error as Error).message}`, line: 1, column: 1 } };
  }
  if (!result.ok) {
    const { message, line, column } = result.error;
    process.stdout.write(JSON.stringify({ file, error: { message, line, column } }) + '\n');
    return 'failed';
  }
  process.stdout.write(checkJson(file, result.check) + '\n');
  return tolerance !== undefined && !(result.check.worst <= tolerance) ? 'above' : 'passed';
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        grads: { type: 'boolean' }, json: { type: 'boolean' }, mermaid: { type: 'boolean' }, check: { type: 'boolean' }, tolerance: { type: 'string' },
        timeout: { type: 'string' }, 'max-nodes': { type: 'string' }, 'max-memory': { type: 'string' },
        digits: { type: 'string' }, direction: { type: 'string' }, 'max-boxes': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
    const { values } = parsed;
    if ([values.grads, values.json, values.mermaid, values.check].filter(Boolean).length > 1) throw new UsageError('choose one of --grads, --json, --mermaid and --check');
    if (values.tolerance !== undefined && !values.check) throw new UsageError('--tolerance goes with --check');
    if (values.direction !== undefined && values.direction !== 'LR' && values.direction !== 'TB') throw new UsageError(`--direction is LR or TB, not "${values.direction}"`);
  } catch (error) {
    process.stderr.write(`gradient-graph: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let options: EvaluateOptions;
  let digits: number;
  let maxBoxes: number;
  let tolerance: number | undefined;
  try {
    options = { timeLimitMs: numberOption('timeLimit', values.timeout), maxNodes: numberOption('maxNodes', values['max-nodes']), memoryLimitMb: numberOption('memoryLimit', values['max-memory']) };
    digits = numberOption('digits', values.digits) ?? SETTINGS.digits.default;
    // 0 is every node: the setting's bounds are the panel's, the terminal may want the whole graph.
    maxBoxes = values['max-boxes']?.trim() === '0' ? Infinity : numberOption('maxBoxes', values['max-boxes']) ?? SETTINGS.maxBoxes.default;
    tolerance = toleranceOption(values.tolerance);
    if (positionals.length === 0) throw new UsageError('no file given');
  } catch (error) {
    process.stderr.write(`gradient-graph: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  let failed = false;
  for (const file of positionals) {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      const message = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
      failed = true;
      if (values.grads || values.json || values.check) process.stdout.write(JSON.stringify({ file, error: { message, line: 0, column: 0 } }) + '\n');
      else process.stderr.write(`gradient-graph: ${message}\n`);
      continue;
    }
    if (values.check) {
      // A file that failed, or whose worst error is above --tolerance, makes the exit code 1.
      if ((await checkFile(file, text, options, positionals.length > 1, tolerance)) !== 'passed') failed = true;
      continue;
    }
    // The table and --grads need only the leaves: the sandbox sends those, not the whole graph.
    const wholeGraph = values.json === true || values.mermaid === true;
    const evaluate = wholeGraph ? evaluateSnippet : evaluateGradients;
    let result: EvaluationResult | GradientsResult;
    try {
      result = await evaluate({ text, fileName: file === '-' ? 'stdin.ts' : file }, { ...options, reuseProcess: positionals.length > 1 });
    } catch (error) {
      // A bug of ours on this file: say so, and go on with the others.
      result = { ok: false, error: { message: `internal error: ${(error as Error).message}`, line: 1, column: 1 } };
    }
    if (!result.ok) {
      failed = true;
      const { message, line, column } = result.error;
      if (values.grads || values.json) process.stdout.write(JSON.stringify({ file, error: { message, line, column } }) + '\n');
      else process.stderr.write(errorLine(file, result.error) + '\n');
      continue;
    }
    if ('graph' in result) {
      if (values.json) {
        // Piece by piece: a graph of millions of nodes is never one string.
        writeGraphJson(result.graph, (piece) => process.stdout.write(piece));
        process.stdout.write('\n');
      } else {
        // The panel's first picture: its budget, and constants as the setting's default draws them.
        const direction = (values.direction as 'LR' | 'TB' | undefined) ?? SETTINGS.direction.default;
        process.stdout.write(toMermaid(result.graph, { digits, direction, maxBoxes, showConstants: SETTINGS.showConstants.default, sourceText: sourceTextIn(text) }));
      }
      continue;
    }
    const { gradients } = result;
    if (values.grads) {
      const grads = Object.fromEntries(leafGradients(gradients).map(([label, , grad]) => [label, encodeNumber(grad)]));
      const steps = gradients.steps.length > 0 ? { steps: gradients.steps.map(encodeNumber) } : {};
      process.stdout.write(JSON.stringify({ file, output: { label: gradients.output.label, data: encodeNumber(gradients.output.data) }, grads, ...steps }) + '\n');
    } else {
      for (const line of gradients.logs) process.stderr.write(`${file}: console: ${line}\n`);
      process.stdout.write(table(file, gradients, digits) + (positionals.length > 1 ? '\n' : ''));
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.on('exit', stopSpareProcess);
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
    process.stderr.write(`gradient-graph: internal error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
