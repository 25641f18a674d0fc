/**
 * How long the view planner takes on big graphs (made as columns, see test/graph/loopGraph.fixture.ts):
 * building the tree of view groups once, then the first plan and a re-plan. Not a test: timings vary
 * by machine. Run: node --import tsx scripts/plan-timing.ts
 */
import { buildHierarchy } from '../src/graph/hierarchy.ts';
import { planView } from '../src/graph/plan.ts';
import { loopGraph } from '../test/graph/loopGraph.fixture.ts';

const options = { budget: 60, showConstants: false, direction: 'LR', digits: 4 } as const;
const time = <T>(what: () => T): [T, number] => {
  const start = performance.now();
  const result = what();
  return [result, performance.now() - start];
};

for (const [iterations, chain] of [[30_000, 4], [1_000_000, 4], [2_000_000, 1]] as const) {
  const graph = loopGraph(iterations, chain);
  const [tree, treeMs] = time(() => buildHierarchy(graph));
  const [first, firstMs] = time(() => planView(graph, { opened: [], closed: [] }, options));
  const [, againMs] = time(() => planView(graph, { opened: first.open, closed: [] }, options));
  const [, coneMs] = time(() => planView(graph, { opened: [], closed: [], cone: graph.output }, options));
  console.log(`${graph.nodeCount.toLocaleString('en-US')} nodes, ${graph.groups.length.toLocaleString('en-US')} groups, ${tree.size.toLocaleString('en-US')} view groups: `
    + `tree ${treeMs.toFixed(0)} ms, first plan ${firstMs.toFixed(0)} ms (tree included), re-plan ${againMs.toFixed(0)} ms, cone ${coneMs.toFixed(0)} ms; ${first.boxCount} boxes`);
}
