// A fixed, small budget of the escape fuzzer's variants (escapeFuzz.ts), run in the sandbox process started
// as plain node (sandboxHarness.ts), where the vm context is the only wall: none may write its marker file,
// and the process must answer each. scripts/fuzz-sandbox.ts runs thousands of them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fuzzVariant, isInvalidVariant } from './escapeFuzz.ts';
import { inParallel, runUnwalled, type UnwalledRun } from './sandboxHarness.ts';

/** Seeds 1..SEEDS: about 8 s on a 2-core machine. */
const SEEDS = 40;
const TIME_LIMIT_MS = 300;
const MAX_NODES = 5000;

const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-fuzz-'));
after(() => rmSync(folder, { recursive: true, force: true }));

interface Outcome {
  readonly name: string;
  readonly text: string;
  readonly run: UnwalledRun;
  readonly markers: readonly string[];
}

const seedOf = (index: number) => index + 1;
const reproduce = (seed: number, outcome: Outcome) => `seed ${seed} (fuzzVariant(${seed}, marker)): ${outcome.name}\n--- snippet\n${outcome.text}---`;

describe('escape fuzzer', () => {
  let outcomes: Outcome[] = [];
  before(async () => {
    outcomes = await inParallel(SEEDS, 2, async (index) => {
      const marker = path.join(folder, `variant-${seedOf(index)}`);
      const { name, text } = fuzzVariant(seedOf(index), marker);
      const run = await runUnwalled(text, { timeLimitMs: TIME_LIMIT_MS, maxNodes: MAX_NODES });
      return { name, text, run, markers: [marker, `${marker}.process`].filter((file) => existsSync(file)) };
    });
  });

  it('gives the same variant for the same seed, and different ones for different seeds', () => {
    assert.deepEqual(fuzzVariant(7, 'm'), fuzzVariant(7, 'm'));
    assert.notEqual(fuzzVariant(7, 'm').text, fuzzVariant(8, 'm').text);
    for (let seed = 1; seed <= 200; seed++) assert.doesNotMatch(fuzzVariant(seed, 'm').text, /\b__gg/, `seed ${seed} uses a reserved name`);
  });

  for (let index = 0; index < SEEDS; index++) {
    it(`seed ${seedOf(index)}`, () => {
      const outcome = outcomes[index];
      const { run, markers } = outcome;
      assert.deepEqual(markers, [], `no file written, no process started; ${reproduce(seedOf(index), outcome)}`);
      assert.ok(run.answer !== undefined,
        `the sandbox process answered (exit code ${run.exitCode}, hung: ${run.hung}) ${run.stderr}\n${reproduce(seedOf(index), outcome)}`);
    });
  }

  it('variants run: few stop at the rewrite with a syntax error', () => {
    const invalid = outcomes.map((outcome, index) => ({ outcome, seed: seedOf(index) })).filter(({ outcome }) => isInvalidVariant(outcome.run.failure));
    assert.ok(invalid.length < SEEDS / 10,
      `${invalid.length} of ${SEEDS} variants did not run:\n${invalid.map(({ seed, outcome }) => `${outcome.run.failure?.message}\n${reproduce(seed, outcome)}`).join('\n')}`);
  });

  it('tells a rewrite error from a run\'s failure', () => {
    assert.ok(isInvalidVariant({ kind: 'error', message: 'Expression expected.' }));
    assert.ok(isInvalidVariant({ kind: 'error', message: "'}' expected." }));
    assert.ok(isInvalidVariant({ kind: 'error', message: '`foo` is not defined: declare it in the selection or at the top level of the file' }));
    assert.ok(isInvalidVariant({ kind: 'error', message: 'SyntaxError: Strict mode code may not include a with statement' }));
    assert.ok(isInvalidVariant({ kind: 'error', message: "SyntaxError: Identifier 'x' has already been declared" }));
    assert.ok(!isInvalidVariant({ kind: 'error', message: 'Error: the snippet threw {}' }));
    assert.ok(!isInvalidVariant({ kind: 'error', message: 'TypeError: Cannot read properties of undefined (reading \'x\')' }));
    assert.ok(!isInvalidVariant({ kind: 'error', message: 'the output `a` is a function; end the snippet with the number to differentiate' }));
    assert.ok(!isInvalidVariant({ kind: 'time', message: '' }));
    assert.ok(!isInvalidVariant(undefined));
  });
});
