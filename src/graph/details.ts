/**
 * What the details pane says about a node, as plain data: its value and gradient, its inputs with their
 * local derivatives and shares of the gradient, the nodes that consume it (whose shares add up to its
 * gradient), and its source line. The DOM side only lays these strings out.
 */
import type { GraphGroup, GraphModel, GraphNode, SourceRange } from './model.ts';
import { consumersOf, nodeAt, type Consumers } from './reader.ts';
import { valueName } from './planLabels.ts';
import { ledgerOf } from './ledger.ts';
import { formatNumber } from './format.ts';

/** The source lines of the evaluated range, so that the details can quote a node's line. */
export interface SourceLines {
  /** 0-based line of `lines[0]` in the document. */
  readonly firstLine: number;
  readonly lines: readonly string[];
}

/** The text of a range of the evaluated lines (undefined if it is not in them). */
export function sourceTextOf(source: SourceLines, range: SourceRange): string | undefined {
  const first = source.lines[range.startLine - source.firstLine];
  if (first === undefined) return undefined;
  if (range.startLine === range.endLine) return first.slice(range.startCharacter, range.endCharacter);
  const parts = [first.slice(range.startCharacter)];
  for (let line = range.startLine + 1; line < range.endLine; line++) parts.push(source.lines[line - source.firstLine] ?? '');
  parts.push((source.lines[range.endLine - source.firstLine] ?? '').slice(0, range.endCharacter));
  return parts.join('\n');
}

/**
 * A node's name as the panel shows it, the same as its box: its variable, else its source text when short
 * (`ypred - ys[k]`), else its operation and line (`tanh, line 7`); never a bare id.
 */
export function nodeName(graph: GraphModel, id: number, source?: SourceLines): string {
  return valueName(graph, id, { sourceText: source === undefined ? undefined : (range) => sourceTextOf(source, range) });
}

/** `leaf`, `constant`, or `operation tanh`. */
export function kindText(node: GraphNode): string {
  if (node.kind === 'leaf') return 'leaf';
  if (node.kind === 'const') return 'constant';
  return `operation ${node.op ?? '?'}${node.cut ? ' (not differentiated: the gradient stops here)' : ''}`;
}

/** A line of the evaluated source: 1-based number as editors show it, and its text. */
export interface QuotedLine {
  readonly line: number;
  readonly text: string;
}

/** The first line of a range, quoted from the source lines the host sent (if it sent that line). */
export function sourceLine(source: SourceLines | undefined, range: SourceRange | undefined): QuotedLine | undefined {
  if (source === undefined || range === undefined) return undefined;
  const text = source.lines[range.startLine - source.firstLine];
  return text === undefined ? undefined : { line: range.startLine + 1, text };
}

/** The groups a node is in, outermost first. */
export function groupChain(graph: GraphModel, group: number | undefined): GraphGroup[] {
  const chain: GraphGroup[] = [];
  const seen = new Set<number>();
  for (let current = group; current !== undefined && !seen.has(current); current = graph.groups[current]?.parent) {
    const found = graph.groups[current];
    if (found === undefined) break;
    seen.add(current);
    chain.unshift(found);
  }
  return chain;
}

export interface InputRow {
  readonly id: number;
  readonly name: string;
  readonly value: string;
  /** ∂node/∂input. */
  readonly local: string;
  /** grad × local: the input's gradient share through this node. */
  readonly contribution: string;
  readonly exactContribution?: number;
}

export interface ConsumerRow {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  /** What this consumer passes back to the node: Σ consumer.grad × consumer.local[k] over its uses. */
  readonly contribution: string;
  readonly exactContribution?: number;
}

/** The chain-rule ledger as the details pane writes it (`ledger.ts`), numbers formatted. */
export interface LedgerView {
  readonly terms: ReadonlyArray<{
    readonly consumer: number;
    readonly consumerName: string;
    readonly upstream: string;
    readonly local: string;
    readonly contribution: string;
    readonly exactContribution: number;
    readonly direct: boolean;
  }>;
  readonly total: string;
  /** What a derivation that overwrites instead of adding would write, and why (absent when it would agree). */
  readonly notes: readonly string[];
}

export interface Details {
  readonly id: number;
  readonly name: string;
  readonly kind: string;
  readonly value: string;
  /** `∂L/∂a`. */
  readonly gradientName: string;
  readonly gradient: string;
  /** The value and the gradient at full precision, for tooltips. */
  readonly exactValue: number;
  readonly exactGradient: number;
  /**
   * In a training step's graph, the `.grad` the snippet read just after the step, when it differs from the
   * step's own gradient (the snippet did not zero it, so it holds a sum over steps).
   */
  readonly accumulatedGradient?: string;
  readonly exactAccumulatedGradient?: number;
  readonly isOutput: boolean;
  readonly inputs: readonly InputRow[];
  readonly consumers: readonly ConsumerRow[];
  /** Its gradient as a sum over its consumers, when it has any. */
  readonly ledger?: LedgerView;
  readonly source?: QuotedLine;
  /** The groups the node is in, outermost first, by their view keys (`g3`), so the pane can open or close them. */
  readonly groups: ReadonlyArray<{ readonly key: string; readonly label: string }>;
}

/** Everything the details pane shows about node `id`, with numbers at `digits` decimals. */
export function nodeDetails(graph: GraphModel, id: number, options: { digits: number; source?: SourceLines; consumers?: Consumers }): Details | undefined {
  if (!Number.isInteger(id) || id < 0 || id >= graph.nodeCount) return undefined;
  const node = nodeAt(graph, id);
  const format = (value: number) => formatNumber(value, options.digits);
  const nameOf = (other: number) => nodeName(graph, other, options.source);
  const name = nameOf(id);
  const inputs = node.inputs.map((input, k): InputRow => {
    const local = node.local?.[k];
    return {
      id: input,
      name: nameOf(input),
      value: format(graph.data[input]),
      local: local === undefined ? '—' : format(local),
      contribution: local === undefined ? '—' : format(node.grad * local),
      exactContribution: local === undefined ? undefined : node.grad * local,
    };
  });
  const consumers = (options.consumers ?? consumersOf(graph))(id).map((consumerId): ConsumerRow => {
    const consumer = nodeAt(graph, consumerId);
    let share: number | undefined = 0;
    consumer.inputs.forEach((input, k) => {
      if (input !== id) return;
      const local = consumer.local?.[k];
      share = local === undefined || share === undefined ? undefined : share + consumer.grad * local;
    });
    return { id: consumerId, name: nameOf(consumerId), kind: kindText(consumer), contribution: share === undefined ? '—' : format(share), exactContribution: share };
  });
  const ledger = ledgerOf(graph, id, options.consumers);
  const gradientOf = (other: number) => `∂${graph.outputLabel}/∂${nameOf(other)}`;
  // One note, the one a learner is likelier to have met: an error inherited from a consumer (the course
  // notes' 35 for a), else this node's own sum overwritten (their 10 for c).
  const notes: string[] = [];
  if (ledger?.inherited) {
    const via = ledger.inherited.through.map((step) => `${gradientOf(step.consumer)} as one of its terms (${format(step.kept)} instead of ${format(graph.grad[step.consumer])})`).join(' and ');
    notes.push(`A derivation that overwrites gradients instead of adding them takes ${via}, and writes ${format(ledger.inherited.value)} here, not ${format(node.grad)}: the error carries down.`);
  } else if (ledger?.overwritten) {
    notes.push(`Overwriting instead of adding (grad = … for grad += …) keeps only the term written last, through ${nameOf(ledger.overwritten.consumer)}: ${format(ledger.overwritten.value)}, not ${format(node.grad)}. Every use of ${name} passes a gradient back, and they add up.`);
  }
  const ledgerView: LedgerView | undefined = ledger === undefined ? undefined : {
    terms: ledger.terms.map((term) => ({
      consumer: term.consumer, consumerName: nameOf(term.consumer), upstream: format(term.upstream), local: format(term.local),
      contribution: format(term.contribution), exactContribution: term.contribution, direct: term.direct,
    })),
    total: format(node.grad),
    notes,
  };
  return {
    id,
    name,
    kind: kindText(node),
    value: format(node.data),
    gradientName: `∂${graph.outputLabel}/∂${name}`,
    gradient: format(node.grad),
    exactValue: node.data,
    exactGradient: node.grad,
    isOutput: id === graph.output,
    inputs,
    consumers,
    ...(ledgerView ? { ledger: ledgerView } : {}),
    source: sourceLine(options.source, node.range),
    groups: groupChain(graph, node.group).map((group) => ({ key: `g${group.id}`, label: group.label })),
  };
}
