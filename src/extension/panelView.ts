/**
 * The host's side of the panel's picture. The extension keeps the graph model; the panel gets only what it
 * draws (a plan of at most `maxBoxes` boxes, `graph/plan.ts`) and answers to its requests (draw with other
 * choices, a node's details, a search), each carrying the request's id back. No message to the panel grows
 * with the graph's size.
 */
import { nodeDetails, nodeName, sourceTextOf, type SourceLines } from '../graph/details.ts';
import { findValues } from '../graph/lookup.ts';
import { encodeNumber } from '../graph/codec.ts';
import { formatNumber } from '../graph/format.ts';
import type { GraphModel } from '../graph/model.ts';
import { keptSteps, stepGraph, type StepGraph } from '../graph/steps.ts';
import { backwardScript } from '../graph/stepper.ts';
import { planView, type ViewChoices, type ViewPlan } from '../graph/plan.ts';

export { NO_CHOICES } from '../graph/plan.ts';
import { consumersOf, inputsOf, type Consumers } from '../graph/reader.ts';
import { graphSummary, type GraphSummary } from '../graph/summary.ts';
import { TRAINING_POINTS, type DrawnPicture, type EvaluationOrigin, type HostMessage, type SelectionMarks, type TrainingView, type ViewSettings } from '../shared/messages.ts';

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
  /** The training step shown last, and its graph. */
  step?: { readonly index: number; readonly view: StepGraph };
}

/**
 * The graph the panel shows: the evaluation's, or a training step's (made once per step chosen). A step
 * that kept no graph (an older one, to bound memory) shows the evaluation's.
 */
export function shownGraph(evaluation: PanelEvaluation, choices: ViewChoices = evaluation.choices): GraphModel {
  if (choices.step === undefined) return evaluation.graph;
  if (evaluation.step?.index !== choices.step) {
    const step = stepGraph(evaluation.graph, choices.step);
    evaluation.step = step && step.full ? { index: choices.step, view: step } : undefined;
  }
  return evaluation.step?.view.graph ?? evaluation.graph;
}

/** The loss curve and the shown step, for the view message (undefined when the snippet ran no step). */
export function trainingView(evaluation: PanelEvaluation): TrainingView | undefined {
  const steps = evaluation.graph.steps;
  if (steps === undefined || steps.count === 0) return undefined;
  const every = Math.max(1, Math.ceil(steps.count / TRAINING_POINTS));
  const indices: number[] = [];
  for (let step = 0; step < steps.count; step += every) indices.push(step);
  if (indices.at(-1) !== steps.count - 1) indices.push(steps.count - 1);
  const selected = evaluation.choices.step !== undefined && evaluation.step?.index === evaluation.choices.step ? evaluation.step : undefined;
  const labelOf = evaluation.graph.label[steps.output[steps.count - 1]];
  return {
    count: steps.count, steps: indices, losses: indices.map((step) => encodeNumber(steps.loss[step])),
    lossName: labelOf >= 0 ? evaluation.graph.labels[labelOf] : 'loss',
    firstWithGraph: steps.count - keptSteps(steps),
    ...(selected ? { selected: selected.index } : {}),
    accumulates: selected?.view.accumulates ?? 0,
    ...(selected?.view.firstAccumulating !== undefined ? { accumulatingName: nodeName(evaluation.graph, selected.view.firstAccumulating, evaluation.source) } : {}),
  };
}

/** Plans the picture of `evaluation` with `choices`, and keeps it as the latest. */
export function planPicture(evaluation: PanelEvaluation, choices: ViewChoices, settings: ViewSettings): ViewPlan {
  const plan = planView(shownGraph(evaluation, choices), choices, {
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
  const training = trainingView(evaluation);
  return { type: 'view', id, key: evaluation.key, request, picture, choices: evaluation.choices, summary: evaluation.summary, settings, origin: evaluation.origin, ...(training ? { training } : {}) };
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
  const graph = shownGraph(evaluation);
  const found = nodeDetails(graph, node, { digits, source: evaluation.source, consumers: evaluation.consumers });
  // A step's own gradient, and beside it the `.grad` the snippet read, when it had accumulated over steps.
  const accumulated = graph !== evaluation.graph ? evaluation.step?.view.accumulated[node] : undefined;
  const details = found && accumulated !== undefined && !Object.is(accumulated, graph.grad[node])
    ? { ...found, accumulatedGradient: formatNumber(accumulated, digits), exactAccumulatedGradient: accumulated }
    : found;
  return { type: 'details', request, key: evaluation.key, node, details, marks: details === undefined ? { selected: [], related: [] } : selectionMarks(evaluation, node) };
}

/** The answer to the panel's `backward` request: the stepper's script for the latest picture. */
export function backwardMessage(evaluation: PanelEvaluation, request: number, settings: ViewSettings): Extract<HostMessage, { type: 'backward' }> {
  const plan = evaluation.plan ?? planPicture(evaluation, evaluation.choices, settings);
  const graph = shownGraph(evaluation);
  const script = backwardScript(graph, plan, (node) => nodeName(graph, node, evaluation.source), settings.digits);
  return { type: 'backward', request, key: evaluation.key, script };
}

/** The answer to the panel's `find` request. */
export function foundMessage(evaluation: PanelEvaluation, query: string, request: number): Extract<HostMessage, { type: 'found' }> {
  const found = findValues(shownGraph(evaluation), query, (range) => sourceTextOf(evaluation.source, range));
  return { type: 'found', request, key: evaluation.key, query, values: found.map((value) => ({ node: value.node, name: value.name, line: value.range === undefined ? undefined : value.range.startLine + 1 })) };
}

/** The elements of the latest picture that show `nodes` (the cursor's), each once. */
export function highlightedElements(evaluation: PanelEvaluation, nodes: readonly number[]): string[] {
  return [...new Set(nodes.flatMap((node) => elementsOf(evaluation, node)))];
}

/** Whether `choices`, from the panel, is well formed (it is data from a web page: trust nothing). */
export function validChoices(choices: unknown, nodeCount: number, stepCount = 0): choices is ViewChoices {
  if (typeof choices !== 'object' || choices === null) return false;
  const { opened, closed, reveal, cone, step } = choices as Record<string, unknown>;
  if (step !== undefined && !(Number.isInteger(step) && (step as number) >= 0 && (step as number) < stepCount)) return false;
  const keys = (value: unknown) => Array.isArray(value) && value.length <= 10_000 && value.every((key) => typeof key === 'string' && key.length <= 200);
  const node = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) < nodeCount;
  return keys(opened) && keys(closed) && (reveal === undefined || (Array.isArray(reveal) && reveal.length <= 1000 && reveal.every(node))) && (cone === undefined || node(cone));
}
