/**
 * The chain-rule ledger of a node: its gradient written as the sum a learner writes on paper, one term
 * per consumer, in the order backward adds them (the consumer made last first):
 *
 *     ∂e/∂a = 25 (through d, 5 × 5) + 20 (through c, 20 × 1) = 45
 *
 * A term is the consumer's gradient (upstream) times the consumer's local derivative with respect to the
 * node (summed over its uses: `x * x` uses x twice). A consumer that is the output itself passes its own
 * local derivative straight down ("directly in e = c·d").
 *
 * It also says where a common hand derivation goes wrong. One that overwrites a gradient instead of
 * adding to it (micrograd's `self.grad = …` for `+=`) keeps one term of a sum. The node then gets that term
 * alone (10 for c, not 10 + 10). A node whose ledger goes through such a consumer inherits the error:
 * 25 + 10 × 1 = 35 for a, not 45. That is the pair of numbers one set of course notes derives.
 */
import type { GraphModel } from './model.ts';
import type { Consumers } from './reader.ts';
import { consumersOf, inputsOf, localOf } from './reader.ts';

export interface LedgerTerm {
  readonly consumer: number;
  /** The consumer's gradient, ∂output/∂consumer. */
  readonly upstream: number;
  /** ∂consumer/∂node, summed over the node's uses in it. */
  readonly local: number;
  /** upstream × local: what the consumer passes back. */
  readonly contribution: number;
  /** The consumer is the output: its gradient is 1, the term is its local derivative. */
  readonly direct: boolean;
}

export interface Ledger {
  readonly node: number;
  /** One term per consumer, in the order backward adds them. */
  readonly terms: readonly LedgerTerm[];
  /** Their sum, added in backward's order (a view shows the graph's own gradient beside it). */
  readonly total: number;
  /** What keeping one term instead of adding them all gives: the term backward writes last. */
  readonly overwritten?: { readonly value: number; readonly consumer: number };
  /**
   * What this node's sum gives when the consumers that have several terms of their own are taken with
   * one term kept (the error carried down one level), if that differs from the total.
   */
  readonly inherited?: { readonly value: number; readonly through: ReadonlyArray<{ readonly consumer: number; readonly kept: number }> };
}

/** The terms of `node`'s gradient, one per consumer. */
function termsOf(graph: GraphModel, node: number, consumers: Consumers): LedgerTerm[] {
  return Array.from(consumers(node)).sort((a, b) => b - a).map((consumer) => {
    const locals = localOf(graph, consumer) ?? [];
    const upstream = graph.grad[consumer];
    // Each use adds its own share, as backward adds them (`x * x`: two shares).
    let local = 0;
    let contribution = 0;
    inputsOf(graph, consumer).forEach((input, k) => {
      if (input !== node) return;
      local += locals[k] ?? 0;
      contribution += upstream * (locals[k] ?? 0);
    });
    return { consumer, upstream, local, contribution, direct: consumer === graph.output };
  });
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** The ledger of `node`; undefined for a node nothing uses (the output, or a value left unused). */
export function ledgerOf(graph: GraphModel, node: number, consumers: Consumers = consumersOf(graph)): Ledger | undefined {
  if (!Number.isInteger(node) || node < 0 || node >= graph.nodeCount) return undefined;
  const terms = termsOf(graph, node, consumers);
  if (terms.length === 0) return undefined;
  const total = sum(terms.map((term) => term.contribution));
  const last = terms[terms.length - 1];
  const overwritten = terms.length > 1 && last.contribution !== total ? { value: last.contribution, consumer: last.consumer } : undefined;
  // One level down: a consumer with several terms of its own, taken with its last term only.
  const through: Array<{ consumer: number; kept: number }> = [];
  const mistaken = terms.map((term) => {
    if (term.direct) return term.contribution;
    const upstreamTerms = termsOf(graph, term.consumer, consumers);
    if (upstreamTerms.length < 2) return term.contribution;
    const kept = upstreamTerms[upstreamTerms.length - 1].contribution;
    if (kept === term.upstream) return term.contribution;
    through.push({ consumer: term.consumer, kept });
    return kept * term.local;
  });
  const inheritedValue = sum(mistaken);
  const inherited = through.length > 0 && inheritedValue !== total ? { value: inheritedValue, through } : undefined;
  return { node, terms, total, ...(overwritten ? { overwritten } : {}), ...(inherited ? { inherited } : {}) };
}
