/**
 * Mermaid text for a graph: the text of its plan (`plan.ts`, the picture the panel's first view draws),
 * written by `mermaidText.ts`. `toMermaid` is that text for callers that need only it (the CLI, tests).
 */
import type { GraphModel, SourceRange } from './model.ts';
import { NO_CHOICES, planView } from './plan.ts';

export { escapeLabel } from './mermaidText.ts';

export interface MermaidOptions {
  /** Layout direction: left to right (micrograd's) or top to bottom. */
  readonly direction?: 'LR' | 'TB';
  /** Digits after the decimal point. */
  readonly digits?: number;
  /** Draw constants as nodes of their own (default), or fold them into the operation's label (`* 2`). */
  readonly showConstants?: boolean;
  /** The most boxes drawn (the plan's budget, `gradientGraph.maxBoxes`); default: everything. */
  readonly maxBoxes?: number;
  /** The source text of a range, so that unnamed values are named by it (`planLabels.ts`'s `sourceTextIn`). */
  readonly sourceText?: (range: SourceRange) => string | undefined;
}

/** The mermaid flowchart of a graph: its first picture within `maxBoxes`. */
export function toMermaid(graph: GraphModel, options: MermaidOptions = {}): string {
  const { direction = 'LR', digits = 4, showConstants = true } = options;
  return planView(graph, NO_CHOICES, { budget: options.maxBoxes ?? Infinity, showConstants, direction, digits, sourceText: options.sourceText }).mermaid;
}
