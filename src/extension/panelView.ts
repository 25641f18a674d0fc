/**
 * The host's side of the panel's picture. The extension keeps the graph model; the panel gets only what it
 * draws (a plan of at most `maxBoxes` boxes, `graph/plan.ts`) and answers to its requests (draw with other
 * choices, a node's details, a search), each carrying the request's id back. No message to the panel grows
 * with the graph's size.
 */
import { nodeDetails, sourceTextOf, type SourceLines } from '../graph/details.ts';
import { findValues } from '../graph/lookup.ts';
import type { GraphModel } from '../graph/model.ts';
import { planView, type ViewChoices, type ViewPlan } from '../graph/plan.ts';

export { NO_CHOICES } from '../graph/plan.ts';
import { consumersOf, inputsOf, type Consumers } from '../graph/reader.ts';
import { graphSummary, type GraphSummary } from '../graph/summary.ts';
import type { DrawnPicture, EvaluationOrigin, HostMessage, SelectionMarks, ViewSettings } from '../shared/messages.ts';

/** One evaluation as the panel sees it: its graph, its source, and the picture drawn last. */
export interface PanelEvaluation {
  /** Unique to this evaluation (the view message's `key`). */
  readonly key: string;
  readonly graph: GraphModel;
  /** The evaluated lines as they were when it ran: what details quote and unnamed values are named by. */
  readonly source: SourceLines;
  readonly origin: EvaluationOrigin;
  /** Made on first use: the summary, the consumers' index (one pass over the graph each). */
  summary?: GraphSummary;
  consumers?: Consumers;
  /** The latest plan and the choices it was made with. */
  plan?: ViewPlan;
  choices: ViewChoices;
}

/** Plans the picture of `evaluation` with `choices`, and keeps it as the latest. */
export function planPicture(evaluation: PanelEvaluation, choices: ViewChoices, settings: ViewSettings): ViewPlan {
  const plan = planView(evaluation.graph, choices, {
    budget: settings.maxBoxes,
    showConstants: settings.showConstants,
    direction: settings.direction,
    digits: settings.digits,
    sourceText: (range) => sourceTextOf(evaluation.source, range),
  });
  evaluation.plan = plan;
  evaluation.choices = choices;
  return plan;
}

/** The view message for the latest plan of `evaluation`. */
export function viewMessage(evaluation: PanelEvaluation, settings: ViewSettings, id: number, request?: number): Extract<HostMessage, { type: 'view' }> {
  const plan = evaluation.plan ?? planPicture(evaluation, evaluation.choices, settings);
  const picture: DrawnPicture = { mermaid: plan.mermaid, boxes: plan.boxes, frames: plan.frames, boxCount: plan.boxCount, outputBox: plan.outputBox, open: plan.open };
  evaluation.summary ??= graphSummary(evaluation.graph);
  return { type: 'view', id, key: evaluation.key, request, picture, choices: evaluation.choices, summary: evaluation.summary, settings, origin: evaluation.origin };
}

/** The drawn elements of a node on the latest picture: its box (with its operation circle), or its group's. */
function elementsOf(evaluation: PanelEvaluation, node: number): string[] {
  const box = evaluation.plan?.boxOf(node);
  if (box === undefined) return [];
  const operation = `o${node}`;
  return box === `v${node}` && evaluation.plan!.boxes.some((drawn) => drawn.id === operation) ? [box, operation] : [box];
}

/** Where the picture marks a selected node and the nodes it is made from and used by. */
export function selectionMarks(evaluation: PanelEvaluation, node: number): SelectionMarks {
  const selected = elementsOf(evaluation, node);
  const related = new Set<string>();
  evaluation.consumers ??= consumersOf(evaluation.graph);
  for (const other of [...inputsOf(evaluation.graph, node), ...evaluation.consumers(node)]) for (const element of elementsOf(evaluation, other)) related.add(element);
  for (const element of selected) related.delete(element);
  return { selected, related: [...related] };
}

/** The answer to the panel's `details` request. */
export function detailsMessage(evaluation: PanelEvaluation, node: number, request: number, digits: number): Extract<HostMessage, { type: 'details' }> {
  evaluation.consumers ??= consumersOf(evaluation.graph);
  const details = nodeDetails(evaluation.graph, node, { digits, source: evaluation.source, consumers: evaluation.consumers });
  return { type: 'details', request, key: evaluation.key, node, details, marks: details === undefined ? { selected: [], related: [] } : selectionMarks(evaluation, node) };
}

/** The answer to the panel's `find` request. */
export function foundMessage(evaluation: PanelEvaluation, query: string, request: number): Extract<HostMessage, { type: 'found' }> {
  const found = findValues(evaluation.graph, query, (range) => sourceTextOf(evaluation.source, range));
  return { type: 'found', request, key: evaluation.key, query, values: found.map((value) => ({ node: value.node, name: value.name, line: value.range === undefined ? undefined : value.range.startLine + 1 })) };
}

/** The elements of the latest picture that show `nodes` (the cursor's), each once. */
export function highlightedElements(evaluation: PanelEvaluation, nodes: readonly number[]): string[] {
  return [...new Set(nodes.flatMap((node) => elementsOf(evaluation, node)))];
}

/** Whether `choices`, from the panel, is well formed (it is data from a web page: trust nothing). */
export function validChoices(choices: unknown, nodeCount: number): choices is ViewChoices {
  if (typeof choices !== 'object' || choices === null) return false;
  const { opened, closed, reveal, cone } = choices as Record<string, unknown>;
  const keys = (value: unknown) => Array.isArray(value) && value.length <= 10_000 && value.every((key) => typeof key === 'string' && key.length <= 200);
  const node = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) < nodeCount;
  return keys(opened) && keys(closed) && (reveal === undefined || (Array.isArray(reveal) && reveal.length <= 1000 && reveal.every(node))) && (cone === undefined || node(cone));
}
