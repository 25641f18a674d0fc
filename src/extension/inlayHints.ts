/**
 * The editor's inlay hints for an evaluation, without `vscode`: after each leaf's initializer,
 * `∂L/∂a = 6.0000`; after the output's statement, `L = -8.0000`. The extension's provider
 * (inlayHintsProvider.ts) turns these into `vscode.InlayHint`s for the lines the editor shows.
 *
 * A hint sits after the initializer (`const a = 2.0; ∂L/∂a = 6.0000`), not after the declared name: after
 * the name it would stand between `a` and `= 2.0`, and read as if it were the value. After the
 * initializer it also works for several declarators on a line (`const a = 2 ∂L/∂a = 6, b = -3; …`) and
 * for each element of a short array of leaves; a longer one (a weight matrix) gets one hint after it. A
 * `;` that ends the statement is stepped over, so that a hint never splits `2.0` from its `;`.
 */
import { formatNumber } from '../graph/format.ts';
import type { GraphModel, SourceRange } from '../graph/model.ts';
import { labelOf, rangeOf } from '../graph/reader.ts';

export interface GradientHint {
  /** 0-based, in the evaluated document. */
  readonly line: number;
  readonly character: number;
  /** What the editor shows (`∂L/∂a = 6.0000`). */
  readonly label: string;
  /** What its hover says. */
  readonly tooltip: string;
}

export interface HintOptions {
  /** Digits after the decimal point (`gradientGraph.digits`). */
  readonly digits: number;
  /** The document's text of a line, as it was when the graph was made; undefined past its end. */
  readonly lineText: (line: number) => string | undefined;
}

/** Leaves listed one by one in the tooltip of a hint that stands for several (a network's weights). */
const LISTED_LEAVES = 20;
/** An array literal of at most this many leaves gets a hint after each element; a larger one, one hint. */
const ARRAY_HINTS = 4;

/**
 * The output's name in `∂L/∂a`: its variable, or `output` when it is named by a long expression
 * (`∂(w[0] * a * b + c)/∂a` would not read as a derivative).
 */
export function outputName(graph: GraphModel): string {
  const label = graph.outputLabel;
  return /^[\w$.[\]]{1,24}$/.test(label) ? label : 'output';
}

/** Every hint of `graph`, ordered by position. */
export function gradientHints(graph: GraphModel, options: HintOptions): GradientHint[] {
  const { digits } = options;
  const output = outputName(graph);
  const hints: GradientHint[] = [];
  const steps = graph.steps?.count ?? 0;
  // What a training snippet's hints mean: the output's own gradient, not the `.grad` its steps accumulated.
  const trained = steps > 0
    ? `\n\nThe gradient of the snippet's output \`${output}\` with respect to the value, when the output was computed (after ${steps.toLocaleString('en-US')} backward() steps; a value they updated has its final value). It is not the \`.grad\` the snippet read, which adds up the passes it did not zero.`
    : '';
  // Leaves made at one place (a network's weights, all made by `new MLP(…)`) share one hint.
  const bySite = new Map<number, number[]>();
  for (const leaf of graph.leaves) {
    const site = graph.site[leaf];
    if (site < 0) continue;
    const shared = bySite.get(site);
    if (shared) shared.push(leaf);
    else bySite.set(site, [leaf]);
  }
  // The elements of one array literal with more than a few of them (`W1`, `xs`) share one hint too, after
  // the literal: one per element made every line of a weight matrix several times as long.
  const name = (leaf: number) => labelOf(graph, leaf) ?? `leaf ${leaf}`;
  const arrays = new Map<string, number[]>();
  for (const [, leaves] of bySite) {
    const base = leaves.length === 1 ? /^([\w$]+)\[\d+\]/.exec(name(leaves[0]))?.[1] : undefined;
    if (base === undefined) continue;
    const elements = arrays.get(base);
    if (elements) elements.push(leaves[0]);
    else arrays.set(base, [leaves[0]]);
  }
  const grouped: Array<{ readonly leaves: number[]; readonly at: { line: number; character: number } }> = [];
  const inArray = new Set<number>();
  for (const elements of arrays.values()) {
    if (elements.length <= ARRAY_HINTS) continue;
    for (const leaf of elements) inArray.add(leaf);
    const last = elements.reduce((latest, leaf) => (graph.site[leaf] > graph.site[latest] ? leaf : latest), elements[0]);
    grouped.push({ leaves: elements, at: afterArray(graph.ranges[graph.site[last]], options.lineText) });
  }
  const groups = [
    ...[...bySite].filter(([, leaves]) => !(leaves.length === 1 && inArray.has(leaves[0]))).map(([site, leaves]) => ({ leaves, at: after(graph.ranges[site], options.lineText) })),
    ...grouped,
  ];
  for (const { leaves, at } of groups) {
    const gradient = (leaf: number) => `∂${output}/∂${name(leaf)} = ${formatNumber(graph.grad[leaf], digits)}`;
    if (leaves.length === 1) {
      const leaf = leaves[0];
      hints.push({ ...at, label: gradient(leaf), tooltip: `${name(leaf)} = ${formatNumber(graph.data[leaf], digits)} · ${gradient(leaf)}${trained}` });
      continue;
    }
    let largest = leaves[0];
    for (const leaf of leaves) if (Math.abs(graph.grad[leaf]) > Math.abs(graph.grad[largest])) largest = leaf;
    const listed = leaves.slice(0, LISTED_LEAVES).map(gradient);
    if (leaves.length > LISTED_LEAVES) listed.push(`… and ${(leaves.length - LISTED_LEAVES).toLocaleString('en-US')} more: see the panel`);
    hints.push({
      ...at,
      label: `${leaves.length.toLocaleString('en-US')} leaves · largest ${gradient(largest)}`,
      tooltip: `${listed.join('\n')}${trained}`,
    });
  }
  const value = `${output} = ${formatNumber(graph.data[graph.output], digits)}`;
  hints.push({ ...outputPosition(graph, options.lineText), label: value, tooltip: `${value}: the output, whose gradients the hints show${trained}` });
  return hints.sort((x, y) => x.line - y.line || x.character - y.character);
}

/** The hints on lines `first` … `last` (what the editor asks for), from hints ordered by position. */
export function hintsOnLines(hints: readonly GradientHint[], first: number, last: number): GradientHint[] {
  let low = 0;
  let high = hints.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (hints[middle].line < first) low = middle + 1;
    else high = middle;
  }
  const shown: GradientHint[] = [];
  for (let index = low; index < hints.length && hints[index].line <= last; index++) shown.push(hints[index]);
  return shown;
}

/** Just after `range`, and after a `;` that follows it on its line. */
function after(range: SourceRange, lineText: HintOptions['lineText']): { line: number; character: number } {
  const rest = lineText(range.endLine)?.slice(range.endCharacter) ?? '';
  const semicolon = /^\s*;/.exec(rest);
  return { line: range.endLine, character: range.endCharacter + (semicolon ? semicolon[0].length : 0) };
}

/** After an array literal whose last element is `range`: past its closing brackets, and a `;` after them. */
function afterArray(range: SourceRange, lineText: HintOptions['lineText']): { line: number; character: number } {
  const rest = lineText(range.endLine)?.slice(range.endCharacter) ?? '';
  const closing = /^(?:\s*\])+\s*;?/.exec(rest);
  return { line: range.endLine, character: range.endCharacter + (closing ? closing[0].length : 0) };
}

/**
 * After the output's statement. When the snippet ends with the output's name alone (`loss`, after a
 * training loop), that statement is the name: the value was made earlier, in the loop, where its node's
 * source is. Otherwise the output's node was made by its statement (`const L = d * f`, `a * b + c`).
 */
function outputPosition(graph: GraphModel, lineText: HintOptions['lineText']): { line: number; character: number } {
  const evaluated = graph.source.range;
  for (let line = evaluated.endLine; line >= evaluated.startLine; line--) {
    const text = (lineText(line) ?? '').slice(0, line === evaluated.endLine ? evaluated.endCharacter : undefined);
    const code = text.replace(/\/\/.*$/, '');
    if (code.trim() === '') continue;
    const bare = new RegExp(`^\\s*${escapeRegExp(graph.outputLabel)}(\\s*;)?`).exec(code);
    if (bare && code.trim().replace(/;$/, '').trim() === graph.outputLabel) return { line, character: bare[0].length };
    break;
  }
  const range = rangeOf(graph, graph.output);
  if (range) return after(range, lineText);
  return { line: evaluated.endLine, character: evaluated.endCharacter };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
