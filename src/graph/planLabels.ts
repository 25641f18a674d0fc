/**
 * The text of a plan's boxes and frames, as label parts (`labels.ts`) line by line. Every value gets a name
 * a reader can place: its variable, else its source text when short (`x1*w1`), else its operation and line
 * (`tanh, line 7`). A collapsed group says what it is, how many values it holds and what it returns.
 */
import { formatNumber } from './format.ts';
import { TENSOR, type ViewHierarchy } from './hierarchy.ts';
import { operationText, type LabelPart } from './labels.ts';
import type { GraphModel, GraphNode, SourceRange } from './model.ts';
import type { PlanOptions } from './plan.ts';
import type { PlanScope } from './planOpen.ts';
import { isConstant, labelOf, opName, rangeOf } from './reader.ts';
import { matrixLines, shapeText } from './tensors.ts';

/** The longest source text that names a value; longer expressions are named by their operation and line. */
export const MAX_SOURCE_NAME = 24;

/**
 * `PlanOptions.sourceText` for a document's text (the evaluated one, where the model's ranges are): the
 * text of a range, lines joined by a space. For callers that have the text but no editor (the CLI).
 */
export function sourceTextIn(document: string): (range: SourceRange) => string | undefined {
  const lines = document.split(/\r?\n/);
  return (range) => {
    if (range.startLine < 0 || range.endLine >= lines.length || range.endLine < range.startLine) return undefined;
    if (range.startLine === range.endLine) return lines[range.startLine].slice(range.startCharacter, range.endCharacter);
    const middle = lines.slice(range.startLine + 1, range.endLine);
    return [lines[range.startLine].slice(range.startCharacter), ...middle, lines[range.endLine].slice(0, range.endCharacter)].join(' ');
  };
}

/** A value's name: its variable, its short source text, or its operation and line. */
export function valueName(graph: GraphModel, node: number, options: Pick<PlanOptions, 'sourceText'>): string {
  const label = labelOf(graph, node);
  if (label !== undefined && label !== '') return label;
  const range = rangeOf(graph, node);
  const text = range === undefined ? undefined : options.sourceText?.(range)?.replace(/\s+/g, ' ').trim();
  if (text !== undefined && text !== '' && text.length <= MAX_SOURCE_NAME) return text;
  const what = opName(graph, node) ?? (graph.code[node] === 0 ? 'leaf' : 'constant');
  return range === undefined ? what : `${what}, line ${range.startLine + 1}`;
}

const dataGrad = (graph: GraphModel, node: number, digits: number): LabelPart[] => [
  { role: 'data', key: 'data', text: formatNumber(graph.data[node], digits) },
  { role: 'grad', key: 'grad', text: formatNumber(graph.grad[node], digits) },
];

/** A value box: `[name | data 0.7616 | grad 1.0000]`; a constant drawn as a box shows only its value. */
export function valueLines(graph: GraphModel, node: number, options: Pick<PlanOptions, 'sourceText' | 'digits'>): LabelPart[][] {
  if (isConstant(graph, node)) return [[{ role: 'constant', key: '', text: formatNumber(graph.data[node], options.digits) }]];
  return [[{ role: 'name', key: '', text: valueName(graph, node, options) }, ...dataGrad(graph, node, options.digits)]];
}

/** An operation circle: its op, with its constants when they are not boxes (`* 0.9999`). */
export function operationLine(graph: GraphModel, node: GraphNode, options: Pick<PlanOptions, 'digits' | 'showConstants'>): LabelPart[] {
  return [{ role: 'name', key: '', text: operationText(graph, node, options.digits, options.showConstants) }];
}

/** `7 values` (`1 value`). */
const valuesText = (count: number) => `${count.toLocaleString('en-US')} ${count === 1 ? 'value' : 'values'}`;

/** A collapsed group: `[neuron(…) | 7 values]`, then what it returns: `[data … | grad …]`. */
export function groupBoxLines(tree: ViewHierarchy, scope: PlanScope, view: number, digits: number): LabelPart[][] {
  const lines: LabelPart[][] = [[{ role: 'name', key: '', text: tree.labelOf(view) }, { role: 'count', key: '', text: valuesText(scope.values[view]) }]];
  if (tree.returned[view] >= 0) lines.push(dataGrad(tree.graph, tree.returned[view], digits));
  return lines;
}

/** A tensor: `[W1 4×3]`, then its data and gradient matrices (`tensors.ts`). */
export function tensorBoxLines(tree: ViewHierarchy, view: number, digits: number): LabelPart[][] {
  const tensor = tree.tensors[tree.from[view]];
  return [[{ role: 'name', key: '', text: `${tensor.name} ${shapeText(tensor)}` }], ...matrixLines(tree.graph, tensor, digits)];
}

/** An open group's frame title: its name and what it returns (`layer(…) → 0.7616`); a tensor's name and shape. */
export function frameLabel(tree: ViewHierarchy, view: number, digits: number): string {
  if (tree.kind[view] === TENSOR) return tensorBoxLines(tree, view, digits)[0][0].text;
  const returned = tree.returned[view];
  return returned >= 0 ? `${tree.labelOf(view)} → ${formatNumber(tree.graph.data[returned], digits)}` : tree.labelOf(view);
}
