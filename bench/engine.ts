/**
 * The engine section: the bundled autograd engine against the closed-form gradient (the practical limit),
 * the micrograd-style closure port (the tutorial baseline), tfjs and PyTorch scalar autograd, on the
 * three workloads of workloads.ts, in one process and one run.
 *
 * Every time is forward + backward (+ reading the gradients out, in JavaScript) and is divided by the
 * engine's tape length for that workload, so every implementation's ns/node is per the same work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type * as WorkloadsModule from './workloads.ts';
import type { Outcome, Probe, Tf, W3Mode } from './workloads.ts';
import { loadTfjs } from './tfjs.ts';
import { collectGarbage, formatNumber, integer, ratio, scientific, time, type Cell, type Column, type Report, type Timing, type TimingOptions } from './report.ts';

export const name = 'engine';

const require = createRequire(import.meta.url);
const resultsDirectory = fileURLToPath(new URL('./results/', import.meta.url));

/** One implementation at one size. `failure` replaces the timing when it could not run. */
interface Row {
  readonly implementation: string;
  readonly nodes: number;
  readonly timing?: Timing;
  readonly failure?: string;
  /** `relativeError` of its gradients against the engine's. */
  readonly error?: number;
  readonly peakBytesPerNode?: number;
  readonly retainedBytesPerNode?: number;
}

/** The rows for one workload at one size; the engine's row comes first. */
interface Group {
  readonly workload: string;
  readonly size: string;
  readonly rows: Row[];
}

/** 1e6 for 1000000. */
const exponent = (value: number): string => value.toExponential().replace('+', '');

/**
 * The figure compared: the fastest run per node. The machine is shared and busy (load averages of 5-7 on
 * 2 cores were seen), and other tenants only ever add time, so the fastest run is the best estimate of
 * the work itself; the median is printed beside it to show the spread.
 */
const nsPerNode = (row: Row): number | undefined => (row.timing === undefined ? undefined : (row.timing.bestMs * 1e6) / row.nodes);
const medianNsPerNode = (row: Row): number | undefined => (row.timing === undefined ? undefined : (row.timing.medianMs * 1e6) / row.nodes);

/**
 * The workloads, the engine, the closure port and the closed forms are bundled with esbuild and loaded
 * from the bundle, because that is how the extension ships the engine (one scope, modules hoisted).
 * Loaded through tsx instead, each .ts file becomes a CommonJS module and every use of an engine export
 * goes through an interop getter, which measured twice as slow on W1 (about 200 against 90 ns/node).
 */
function loadWorkloads(): typeof WorkloadsModule {
  const outfile = `${resultsDirectory}workloads.bundle.cjs`;
  buildSync({
    entryPoints: [fileURLToPath(new URL('./workloads.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return require(outfile) as typeof WorkloadsModule;
}


/**
 * The engine's memory per node, measured around one run on a fresh tape.
 *
 * `peak`: the most the process held (JS heap used + ArrayBuffer bytes) above the start, sampled every few
 * thousand nodes during forward and once after backward, without forcing a collection: it includes the
 * tape's typed arrays at their capacity, the arrays a growth has just replaced if not yet freed, and the
 * `Value` handles not yet collected (at most the young generation, a few MB). `retained`: the same after
 * a full collection with the tape still alive, i.e. what the recording itself keeps.
 */
function engineMemory(W: typeof WorkloadsModule, run: (probe: Probe) => Outcome): { peak: number; retained: number } {
  W.releaseTape();
  // Twice: ArrayBuffers freed by one full collection are sometimes only released by the next.
  collectGarbage();
  collectGarbage();
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const base = used();
  let peak = 0;
  const outcome = run(() => { peak = Math.max(peak, used() - base); });
  collectGarbage();
  collectGarbage();
  const retained = used() - base;
  // Read after the collections, so that `outcome` (and the tape it holds) was alive during them.
  const nodes = outcome.tape === undefined ? NaN : outcome.nodes ?? NaN;
  return { peak: peak / nodes, retained: retained / nodes };
}

const ENGINE_TIMING: TimingOptions = { warmups: 2, runs: 7, budgetMs: 4000 };
/** tfjs costs about 20 µs a node: one warm-up and at most 3 s of timed runs per size. */
const TFJS_TIMING: TimingOptions = { warmups: 1, runs: 3, budgetMs: 3000, minRunMs: 0 };

/** Times one JavaScript implementation; a stack overflow (RangeError) is a result, not an error. */
function measure(
  W: typeof WorkloadsModule,
  implementation: string,
  nodes: number,
  reference: Outcome,
  run: () => Outcome,
  options: TimingOptions = ENGINE_TIMING,
): Row {
  let outcome: Outcome | undefined;
  try {
    const timing = time(() => { outcome = run(); }, options);
    return { implementation, nodes, timing, error: outcome === undefined ? undefined : W.relativeError(outcome.grads, reference.grads) };
  } catch (error) {
    if (error instanceof RangeError) return { implementation, nodes, failure: `stack overflow (${error.message})` };
    throw error;
  }
}

/** The engine's row (timing and memory) and its outcome, the reference for the other rows' gradients. */
function engineRow(
  W: typeof WorkloadsModule,
  label: string,
  run: () => Outcome,
  runForMemory: (probe: Probe) => Outcome,
): { row: Row; reference: Outcome } {
  const { peak, retained } = engineMemory(W, runForMemory);
  // The reference keeps the gradients but not the tape, which would hold its memory until the end.
  const { output, grads, nodes = NaN } = run();
  const reference: Outcome = { output, grads, nodes };
  const timing = time(run, ENGINE_TIMING);
  return { row: { implementation: label, nodes, timing, error: 0, peakBytesPerNode: peak, retainedBytesPerNode: retained }, reference };
}

interface TorchJob {
  readonly key: string;
  readonly workload: 'W1' | 'W2' | 'W3';
  readonly size: number;
  readonly mode?: W3Mode;
  readonly warmups: number;
  readonly runs: number;
  readonly budgetMs: number;
}

interface TorchResult extends Timing {
  readonly key: string;
  readonly output: number;
  readonly grads: number[];
}

const PYTHON = '/usr/bin/python3';

/** PyTorch in one child process (timing inside it); `undefined` with a printed note when torch is missing. */
function runTorch(report: Report, input: object): { version: string; results: TorchResult[] } | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    report.note(`PyTorch skipped: \`${PYTHON} -c 'import torch'\` failed (${(probe.stderr || String(probe.error)).trim().split('\n').pop()}).`);
    return undefined;
  }
  const child = spawnSync(PYTHON, [fileURLToPath(new URL('./torch_bench.py', import.meta.url))], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) {
    report.note(`PyTorch failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return undefined;
  }
  return JSON.parse(child.stdout) as { version: string; results: TorchResult[] };
}

const W1_SIZES = [1e3, 1e4, 1e5, 1e6];
const W2_EXAMPLES = 100;
const W3_SIZES = [1e4, 1e5];
/** Past these sizes a peer is not run (the reason is printed): tfjs at ~20 µs/node, PyTorch at ~10. */
const TFJS_MAX = { W1: 1e4, W3: 1e4 };
const TORCH_MAX = { W1: 1e5, W3: 1e5 };
/** The closure port overflows the stack from W1 1e4 on; at 1e6 it would first build ~1 GB of closures. */
const CLOSURE_W1_MAX = 1e5;

export async function run(report: Report): Promise<void> {
  mkdirSync(resultsDirectory, { recursive: true });
  const W = loadWorkloads();
  /**
   * tfjs is loaded and measured after the engine, the closed forms and the closure port: its modules
   * would otherwise sit in the same heap and make every full collection during their runs slower.
   */
  const tfjsRuns: ((tf: Tf) => void)[] = [];
  const addTfjs = (group: Group, reference: Outcome, run: (tf: Tf) => Outcome) => {
    tfjsRuns.push((tf) => group.rows.push(measure(W, 'tfjs (float32)', group.rows[0].nodes, reference, () => run(tf), TFJS_TIMING)));
  };
  const groups: Group[] = [];
  const torchJobs: TorchJob[] = [];
  /** Where each PyTorch result goes: its group and the engine's outcome to compare with. */
  const torchTargets = new Map<string, { group: Group; reference: Outcome }>();
  const addTorch = (job: TorchJob, group: Group, reference: Outcome) => {
    torchJobs.push(job);
    torchTargets.set(job.key, { group, reference });
  };

  // W1: the chain, at four lengths.
  for (const steps of W1_SIZES) {
    const { row, reference } = engineRow(W, 'engine', () => W.engineW1(steps), (probe) => W.engineW1(steps, probe));
    const group: Group = { workload: 'W1', size: `${exponent(steps)} steps`, rows: [row] };
    groups.push(group);
    const nodes = row.nodes;
    const reused = new W.Tape();
    group.rows.push(measure(W, 'engine (tape reused)', nodes, reference, () => W.engineW1(steps, undefined, reused)));
    group.rows.push(measure(W, 'runtime path (tape ops, a handle per value)', nodes, reference, () => W.runtimeW1(steps)));
    group.rows.push(measure(W, 'closed form', nodes, reference, () => W.closedW1(steps)));
    group.rows.push(steps <= CLOSURE_W1_MAX
      ? measure(W, 'closure port', nodes, reference, () => W.closureW1(steps))
      : { implementation: 'closure port', nodes, failure: 'stack overflow (not run: overflows from 1e4 steps on, and would first build ~1 GB of closures)' });
    if (steps <= TFJS_MAX.W1) addTfjs(group, reference, (tf) => W.tfjsW1(tf, steps));
    if (steps <= TORCH_MAX.W1) {
      const single = steps >= 1e5;
      addTorch({ key: `W1/${steps}`, workload: 'W1', size: steps, warmups: single ? 0 : 1, runs: single ? 1 : 5, budgetMs: 3000 }, group, reference);
    }
  }

  // W2: the MLP's loss and its gradient over 100 examples.
  const w2 = W.w2Data(W2_EXAMPLES);
  {
    const engine = new W.EngineW2(w2);
    const { row, reference } = engineRow(W, 'engine (rewind per step)', () => engine.run(), (probe) => new W.EngineW2(w2).run(probe));
    const group: Group = { workload: 'W2', size: `${W2_EXAMPLES} examples`, rows: [row] };
    groups.push(group);
    const closed = new W.ClosedW2(w2);
    const closure = new W.ClosureW2(w2);
    group.rows.push(measure(W, 'closed form', row.nodes, reference, () => closed.run()));
    group.rows.push(measure(W, 'closure port', row.nodes, reference, () => closure.run()));
    addTfjs(group, reference, (tf) => W.tfjsW2(tf, w2));
    addTorch({ key: 'W2', workload: 'W2', size: W2_EXAMPLES, warmups: 1, runs: 5, budgetMs: 3000 }, group, reference);
  }

  // W3: a dot product, as one n-ary sum node and as chained adds.
  const w3 = W.w3Data(Math.max(...W3_SIZES));
  for (const mode of ['sum', 'chain'] as const) {
    for (const size of W3_SIZES) {
      const a = w3.a.subarray(0, size);
      const b = w3.b.subarray(0, size);
      const label = mode === 'sum' ? 'engine (nary sum)' : 'engine (chained .add)';
      const { row, reference } = engineRow(W, label, () => W.engineW3(a, b, mode), (probe) => W.engineW3(a, b, mode, probe));
      const group: Group = { workload: mode === 'sum' ? 'W3 sum' : 'W3 chain', size: `${exponent(size)} pairs`, rows: [row] };
      groups.push(group);
      const reused = new W.Tape();
      group.rows.push(measure(W, 'engine (tape reused)', row.nodes, reference, () => W.engineW3(a, b, mode, undefined, reused)));
      group.rows.push(measure(W, 'closed form', row.nodes, reference, () => W.closedW3(a, b)));
      group.rows.push(measure(W, 'closure port', row.nodes, reference, () => W.closureW3(a, b, mode)));
      if (size <= TFJS_MAX.W3) addTfjs(group, reference, (tf) => W.tfjsW3(tf, a, b, mode));
      if (size <= TORCH_MAX.W3) {
        const single = size >= 1e5;
        addTorch({ key: `W3/${mode}/${size}`, workload: 'W3', size, mode, warmups: single ? 0 : 1, runs: single ? 1 : 5, budgetMs: 3000 }, group, reference);
      }
    }
  }

  const tf = await loadTfjs();
  for (const runTfjs of tfjsRuns) runTfjs(tf);

  // PyTorch last, in a child process, so that it never runs at the same time as a JavaScript measurement.
  const torch = runTorch(report, { jobs: torchJobs, w2, w3: { a: Array.from(w3.a), b: Array.from(w3.b) } });
  if (torch !== undefined) {
    for (const result of torch.results) {
      const { group, reference } = torchTargets.get(result.key)!;
      group.rows.push({
        implementation: `PyTorch ${torch.version}`,
        nodes: group.rows[0].nodes,
        timing: { medianMs: result.medianMs, bestMs: result.bestMs, runs: result.runs },
        error: W.relativeError(result.grads, reference.grads),
      });
    }
  }

  printTables(report, groups);
  checkTargets(report, groups);
  report.record('groups', groups.map((group) => ({
    ...group,
    rows: group.rows.map((row) => ({ ...row, nsPerNode: nsPerNode(row), medianNsPerNode: medianNsPerNode(row) })),
  })));
}

const COLUMNS: readonly Column[] = [
  { title: 'size' },
  { title: 'implementation' },
  { title: 'nodes', format: integer },
  { title: 'runs', format: integer },
  { title: 'best ms' },
  { title: 'ns/node' },
  { title: 'median' },
  { title: 'vs engine', format: ratio },
  { title: 'grad err', format: scientific },
  { title: 'peak B/node' },
  { title: 'kept B/node' },
  { title: 'note' },
];

const TITLES: Record<string, string> = {
  'W1': 'W1: x = x*0.9999 + 0.0001*sin(x) from 0.5, dx/dx0 (6 nodes a step)',
  'W2': 'W2: MLP 2-16-16-1 tanh, MSE over 100 examples, d loss/d 337 parameters',
  'W3 sum': 'W3: sum of a_i*b_i as one n-ary sum node, d/d every a_i, b_i',
  'W3 chain': 'W3: sum of a_i*b_i as chained adds (what a micrograd user writes), d/d every a_i, b_i',
};

function printTables(report: Report, groups: readonly Group[]): void {
  report.note([
    'ns/node: the fastest of up to 7 runs after warm-up ("median": of the same runs; the machine is shared, and other',
    'tenants only add time), forward + backward, divided by the engine\'s tape length (its node count, constants',
    'included) so that every row is per the same work; targets and ratios use the fastest run. "engine" records',
    'on a new tape each run, "tape reused" on one rewound to empty (no fresh memory to fault in). "vs engine": ns/node',
    'over the first engine row\'s (above 1x = slower). "grad err": largest gradient difference from the engine\'s over',
    'its largest gradient (tfjs computes in float32). Memory is the engine\'s only: peak = most heap + ArrayBuffer',
    'bytes held during the run (garbage not yet collected included), kept = after a full GC with the tape alive.',
  ].join('\n'));
  for (const workload of Object.keys(TITLES)) {
    const rows: Cell[][] = [];
    for (const group of groups.filter((candidate) => candidate.workload === workload)) {
      const engine = nsPerNode(group.rows[0]);
      group.rows.forEach((row, index) => {
        const perNode = nsPerNode(row);
        rows.push([
          index === 0 ? group.size : '',
          row.implementation,
          row.nodes,
          row.timing?.runs ?? null,
          row.timing?.bestMs ?? null,
          perNode ?? null,
          medianNsPerNode(row) ?? null,
          perNode === undefined || engine === undefined ? null : perNode / engine,
          row.error ?? null,
          row.peakBytesPerNode ?? null,
          row.retainedBytesPerNode ?? null,
          row.failure ?? '',
        ]);
      });
    }
    report.table(TITLES[workload], COLUMNS, rows);
  }
}

function checkTargets(report: Report, groups: readonly Group[]): void {
  const find = (workload: string, size: string | undefined, implementation: string) => {
    const group = groups.find((candidate) => candidate.workload === workload && (size === undefined || candidate.size === size));
    return group?.rows.find((row) => row.implementation.startsWith(implementation));
  };
  const within = (workload: string, size: string | undefined, label: string) => {
    const engine = find(workload, size, 'engine');
    const reused = find(workload, size, 'engine (tape reused)');
    const closed = find(workload, size, 'closed form');
    const factor = engine && closed ? nsPerNode(engine)! / nsPerNode(closed)! : NaN;
    const reusedFactor = reused && closed ? `; tape reused: ${ratio(nsPerNode(reused)! / nsPerNode(closed)!)}` : '';
    report.target(`${label}: engine within 4x of closed form`, factor <= 4,
      `${ratio(factor)} (${formatNumber(nsPerNode(engine!)!)} vs ${formatNumber(nsPerNode(closed!)!)} ns/node${reusedFactor})`);
  };
  within('W1', '1e6 steps', 'W1 1e6');
  within('W2', undefined, 'W2');

  // At least 50x faster than a peer, on every workload and size where the peer ran.
  for (const peer of ['closure port', 'PyTorch']) {
    const speedups = groups.flatMap((group) => {
      const row = group.rows.find((candidate) => candidate.implementation.startsWith(peer) && candidate.timing !== undefined);
      return row === undefined ? [] : [{ where: `${group.workload} ${group.size}`, speedup: nsPerNode(row)! / nsPerNode(group.rows[0])! }];
    });
    if (speedups.length === 0) {
      report.target(`engine at least 50x faster than ${peer}`, undefined, 'not measured');
      continue;
    }
    const worst = speedups.reduce((a, b) => (b.speedup < a.speedup ? b : a));
    const best = speedups.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    report.target(`engine at least 50x faster than ${peer}`, worst.speedup >= 50,
      `worst ${ratio(worst.speedup)} (${worst.where}), best ${ratio(best.speedup)} (${best.where}), over ${speedups.length} runs`);
  }

  const peak = find('W1', '1e6 steps', 'engine')?.peakBytesPerNode ?? NaN;
  report.target('W1 1e6: engine at most 64 peak bytes per node', peak <= 64, `${formatNumber(peak)} B/node`);
}
