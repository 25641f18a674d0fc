/**
 * Reading a graph's training steps (`GraphModel.steps`): one step as a graph of its own, so that every
 * view of a graph (the planner, details, hovers) shows a step without knowing about steps. Step k's graph
 * is the whole recording with its output at the node that step's `backward()` ran from, its gradients the
 * step's own (∂loss_k/∂node, 0 for nodes that pass did not reach) and its parameters' values as they were
 * then. The accumulated `.grad` the snippet saw is kept beside it, for the views that show both.
 */
import type { GraphModel, TrainingSteps } from './model.ts';

/** A step's graph, and what a view says about it. */
export interface StepGraph {
  /** The graph as that step saw it. */
  readonly graph: GraphModel;
  /** The `.grad` of each node just after the step (what the snippet read; a sum when it did not zero it). */
  readonly accumulated: Float64Array;
  /** Whether the step kept every node it reached, or (an older step, to bound memory) its leaves only. */
  readonly full: boolean;
  /** How many nodes' accumulated `.grad` differs from the step's own gradient, and the first of them. */
  readonly accumulates: number;
  readonly firstAccumulating?: number;
}

/** The number of steps (0 when the snippet called no `backward()`). */
export const stepCount = (graph: GraphModel): number => graph.steps?.count ?? 0;

/** Step `step`'s graph; undefined when there is no such step. */
export function stepGraph(graph: GraphModel, step: number): StepGraph | undefined {
  const steps = graph.steps;
  if (steps === undefined || !Number.isInteger(step) || step < 0 || step >= steps.count) return undefined;
  const grad = new Float64Array(graph.nodeCount);
  const accumulated = new Float64Array(graph.nodeCount);
  const data = Float64Array.from(graph.data);
  let accumulates = 0;
  let firstAccumulating: number | undefined;
  for (let entry = steps.entryStart[step]; entry < steps.entryStart[step + 1]; entry++) {
    const node = steps.node[entry];
    grad[node] = steps.grad[entry];
    accumulated[node] = steps.accumulated[entry];
    data[node] = steps.data[entry];
    if (!Object.is(steps.grad[entry], steps.accumulated[entry])) {
      accumulates++;
      firstAccumulating ??= node;
    }
  }
  const output = steps.output[step];
  return {
    graph: { ...graph, output, outputLabel: stepOutputLabel(graph, output), data, grad },
    accumulated,
    full: steps.full[step] === 1,
    accumulates,
    ...(firstAccumulating !== undefined ? { firstAccumulating } : {}),
  };
}

/** The name of the value a step started from: its variable's, else the graph's output's. */
function stepOutputLabel(graph: GraphModel, output: number): string {
  const label = graph.label[output];
  return label >= 0 ? graph.labels[label] : output === graph.output ? graph.outputLabel : 'loss';
}

/** How many of the latest steps kept their whole graph (the others kept their parameters only). */
export function keptSteps(steps: TrainingSteps): number {
  let kept = 0;
  for (let step = steps.count - 1; step >= 0 && steps.full[step] === 1; step--) kept++;
  return kept;
}
