/**
 * Training in a snippet (issue 12): the lesson's 100 epochs (examples/train.ts: an MLP 3 → 4 → 4 → 1 with
 * tanh, four examples, SGD at 0.05, every step recorded with its own gradients) through the CLI, against
 * the engine doing the same training with its own `nn` in one process: Node's start-up (an empty process,
 * measured in the same run) plus the training timed in this process. Targets: the CLI within 1 s, and
 * within 3x of the engine.
 */
import * as path from 'node:path';
import { MLP } from '../src/engine/nn.ts';
import { binary, useTape, type Value, type ValueLike } from '../src/engine/value.ts';
import { formatNumber, processTime, ratio, type Report } from './report.ts';

export const name = 'training';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const XS = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]];
const YS = [1, -1, -1, 1];

/** The lesson's training with the engine's nn: the losses, in milliseconds best of five. */
function engineTraining(): { bestMs: number; losses: number[] } {
  let best = Infinity;
  let losses: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    useTape();
    const mlp = new MLP(3, [4, 4, 1], { activation: 'tanh' });
    losses = [];
    for (let epoch = 0; epoch < 100; epoch++) {
      let loss: ValueLike = 0;
      for (let k = 0; k < XS.length; k++) loss = binary('add', loss, binary('sub', mlp.call(XS[k])[0], YS[k]).pow(2));
      const value = loss as Value;
      mlp.zeroGrad();
      value.backward();
      for (const parameter of mlp.parameters()) parameter.data += -0.05 * parameter.grad;
      losses.push(value.data);
    }
    best = Math.min(best, performance.now() - started);
  }
  return { bestMs: best, losses };
}

export function run(report: Report): Promise<void> {
  const training = path.join(root, 'examples', 'train.ts');
  const viaCli = processTime([cli, '--grads', training]);
  const empty = processTime(['-e', '0']);
  const engine = engineTraining();
  const steps = (JSON.parse(viaCli.stdout.trim().split('\n').pop()!) as { steps: number[] }).steps;
  const engineMs = empty.bestMs + engine.bestMs;
  const cliRatio = viaCli.bestMs / engineMs;
  report.table('The lesson\'s 100 epochs (examples/train.ts), whole processes, best of 5', [
    { title: 'what' }, { title: 'best ms' }, { title: 'median ms' }, { title: 'first loss' }, { title: 'last loss' },
  ], [
    ['gradient-graph --grads examples/train.ts', formatNumber(viaCli.bestMs), formatNumber(viaCli.medianMs), formatNumber(steps[0]), formatNumber(steps[steps.length - 1])],
    ['the engine\'s nn in one process (Node start-up + training)', formatNumber(engineMs), '', formatNumber(engine.losses[0]), formatNumber(engine.losses[99])],
    ['  of which Node.js start-up', formatNumber(empty.bestMs), formatNumber(empty.medianMs), '', ''],
  ]);
  report.record('training', { cliMs: viaCli.bestMs, engineMs, nodeStartupMs: empty.bestMs, engineTrainingMs: engine.bestMs, steps: steps.length });
  report.target('the lesson\'s 100 epochs run in the CLI within 1 s', viaCli.bestMs <= 1000, `${formatNumber(viaCli.bestMs)} ms best, ${formatNumber(viaCli.medianMs)} ms median`);
  report.target('the lesson\'s 100 epochs in the CLI within 3x of the engine in one process', cliRatio <= 3, `${ratio(cliRatio)} (${formatNumber(viaCli.bestMs)} vs ${formatNumber(engineMs)} ms)`);
  return Promise.resolve();
}
