/**
 * What the panel says about a whole evaluation when nothing is selected: the output, the counts, the time,
 * the leaves' gradients (the first few hundred) and the logs. The host makes it once per evaluation and
 * sends it with the picture, so the panel never needs the graph itself.
 */
import type { GraphModel } from './model.ts';
import { nodeName } from './details.ts';

/** The most leaves the summary lists (the CLI's `--grads` gives them all). */
export const SUMMARY_LEAVES = 200;

export interface GraphSummary {
  readonly outputLabel: string;
  readonly output: number;
  readonly outputData: number;
  readonly outputGrad: number;
  readonly counts: GraphModel['counts'];
  readonly totalMs: number;
  /** The first `SUMMARY_LEAVES` leaves, in declaration order. */
  readonly leaves: ReadonlyArray<{ readonly id: number; readonly name: string; readonly data: number; readonly grad: number }>;
  readonly logs: readonly string[];
}

export function graphSummary(graph: GraphModel): GraphSummary {
  return {
    outputLabel: graph.outputLabel,
    output: graph.output,
    outputData: graph.data[graph.output],
    outputGrad: graph.grad[graph.output],
    counts: graph.counts,
    totalMs: graph.timings.totalMs,
    leaves: graph.leaves.slice(0, SUMMARY_LEAVES).map((id) => ({ id, name: nodeName(graph, id), data: graph.data[id], grad: graph.grad[id] })),
    logs: graph.logs,
  };
}
