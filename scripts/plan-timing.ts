/**
 * How long the view planner takes on big graphs (made as columns, see test/graph/loopGraph.fixture.ts):
 * building the tree of view groups, a first plan on that tree, a re-plan, a plan of a cone. Each figure is
 * the least of five runs after a garbage collection, so that another process's load and the last run's
 * garbage count less. Not a test: timings vary by machine.
 * Run: node --import tsx --expose-gc scripts/plan-timing.ts (bundled as the extension is, with esbuild, it runs faster:
 * tsx reads every import through a getter)
 */
import { buildHierarchy, hierarchyOf } from '../src/graph/hierarchy.ts';
import { planView } from '../src/graph/plan.ts';
import { loopGraph } from '../test/graph/loopGraph.fixture.ts';

const options = { budget: 60, showConstants: false, direction: 'LR', digits: 4 } as const;
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
/** The least time of five runs of `what`, in milliseconds. */
function least(what: () => unknown): number {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    collect();
    const start = performance.now();
    what();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

// 180k nodes; 6M nodes in 100,000 iterations (a training loop), in a million, and in two million (3 nodes a group: the worst).
for (const [iterations, chain] of [[30_000, 4], [100_000, 58], [1_000_000, 4], [2_000_000, 1]] as const) {
  const graph = loopGraph(iterations, chain);
  const treeMs = least(() => buildHierarchy(graph));
  const tree = hierarchyOf(graph);
  const first = planView(graph, { opened: [], closed: [] }, options);
  // The first plan of a graph builds its tree and counts (kept per graph object): a shallow copy is a new graph.
  const firstMs = least(() => planView({ ...graph }, { opened: [], closed: [] }, options));
  const againMs = least(() => planView(graph, { opened: [...first.open, 'BLtop:0:0-9'], closed: [] }, options));
  const coneMs = least(() => planView(graph, { opened: [], closed: [], cone: graph.output }, options));
  const count = (value: number) => value.toLocaleString('en-US');
  console.log(`${count(graph.nodeCount)} nodes, ${count(graph.groups.length)} groups, ${count(tree.size)} view groups: tree ${treeMs.toFixed(0)} ms, `
    + `first plan ${firstMs.toFixed(0)} ms (tree included), re-plan ${againMs.toFixed(0)} ms, cone ${coneMs.toFixed(0)} ms; ${first.boxCount} boxes`);
}
