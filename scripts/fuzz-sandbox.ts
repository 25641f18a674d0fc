// The escape fuzzer's full run: `node --import tsx scripts/fuzz-sandbox.ts [count=5000] [firstSeed=1]`.
// Runs `count` variants of the escape attempts (test/snippet/escapeFuzz.ts), two at a time, in the sandbox
// process started as plain node (test/snippet/sandboxHarness.ts), where an escape from the vm context would
// write its marker file. Prints progress every 250 variants and a summary; exits 1 if any marker file was
// written or any process ended without answering, printing each such seed and its snippet.
// Needs dist/ (npm run build).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fuzzPrelude, fuzzVariant, isInvalidVariant } from '../test/snippet/escapeFuzz.ts';
import { inParallel, runUnwalled, SANDBOX_PROCESS, type UnwalledRun } from '../test/snippet/sandboxHarness.ts';

const TIME_LIMIT_MS = 300;
const MAX_NODES = 5000;
const PARALLEL = 2;
const PROGRESS_EVERY = 250;

interface Finding {
  readonly seed: number;
  readonly what: string;
  readonly name: string;
  readonly text: string;
  /** The text after the prelude every variant starts with. */
  readonly body: string;
  readonly run: UnwalledRun;
}

/** The outcome's kind, for the summary. */
function outcomeOf(run: UnwalledRun): string {
  if (run.answer === 'result') return 'result';
  if (run.answer === 'failure') {
    const failure = run.failure ?? { kind: 'unreadable', message: '' };
    if (isInvalidVariant(failure)) return 'failure: invalid variant (rewrite or compile error)';
    if (failure.kind !== 'error') return `failure: ${failure.kind}`;
    // The runtime's and the process's own sentences, worth seeing apart from what the snippet threw.
    if (/^the snippet left the runtime unable|^the snippet stopped the evaluation|^the runtime gave|^the runtime's|^the evaluation process failed|^finished twice/.test(failure.message)) {
      return `failure: error (${failure.message})`;
    }
    if (/^the output `/.test(failure.message)) return 'failure: error (the output is not a number)';
    return 'failure: error (what the snippet threw)';
  }
  return run.hung ? 'hung' : 'crashed';
}

async function main(): Promise<number> {
  const count = Number(process.argv[2] ?? 5000);
  const firstSeed = Number(process.argv[3] ?? 1);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(firstSeed)) {
    console.error('usage: node --import tsx scripts/fuzz-sandbox.ts [count=5000] [firstSeed=1]');
    return 2;
  }
  if (!existsSync(SANDBOX_PROCESS)) {
    console.error(`${SANDBOX_PROCESS} is missing: run npm run build first`);
    return 2;
  }
  const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-fuzz-'));
  const outcomes = new Map<string, number>();
  const findings: Finding[] = [];
  /** A few seeds of each outcome, to look at. */
  const samples = new Map<string, number[]>();
  const started = performance.now();
  let done = 0;
  try {
    await inParallel(count, PARALLEL, async (index) => {
      const seed = firstSeed + index;
      const marker = path.join(folder, `variant-${seed}`);
      const { name, text } = fuzzVariant(seed, marker);
      const body = text.slice(fuzzPrelude(marker).length);
      const run = await runUnwalled(text, { timeLimitMs: TIME_LIMIT_MS, maxNodes: MAX_NODES });
      const outcome = outcomeOf(run);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const seeds = samples.get(outcome) ?? [];
      if (seeds.length < 5) samples.set(outcome, [...seeds, seed]);
      const written = [marker, `${marker}.process`].filter((file) => existsSync(file));
      if (written.length > 0) findings.push({ seed, what: `ESCAPE: wrote ${written.map((file) => path.basename(file)).join(', ')}`, name, text, body, run });
      if (run.answer === undefined) findings.push({ seed, what: `no answer (${outcome}, exit code ${run.exitCode})`, name, text, body, run });
      done++;
      if (done % PROGRESS_EVERY === 0 || done === count) {
        const seconds = (performance.now() - started) / 1000;
        console.log(`${done}/${count} variants, ${seconds.toFixed(0)} s, ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
      }
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  const seconds = (performance.now() - started) / 1000;
  const share = (n: number) => `${((100 * n) / count).toFixed(1)}%`;
  console.log(`\nseeds ${firstSeed}..${firstSeed + count - 1}: ${count} variants tried in ${seconds.toFixed(0)} s (${((1000 * seconds) / count).toFixed(0)} ms each, ${PARALLEL} at a time)`);
  for (const [outcome, n] of [...outcomes].sort((x, y) => y[1] - x[1])) {
    console.log(`  ${String(n).padStart(6)}  ${share(n).padStart(6)}  ${outcome} (seeds ${samples.get(outcome)!.join(', ')}${n > 5 ? ', …' : ''})`);
  }
  const escapes = findings.filter((finding) => finding.what.startsWith('ESCAPE'));
  const unanswered = findings.filter((finding) => finding.run.answer === undefined);
  console.log(`escapes found (marker files written): ${escapes.length}`);
  console.log(`processes that did not answer (hung or crashed): ${unanswered.length}`);
  findings.forEach((finding, index) => {
    console.log(`\n=== seed ${finding.seed}: ${finding.what}\n${finding.name}\nexit code ${finding.run.exitCode}, hung ${finding.run.hung}, answer ${finding.run.answer}, failure ${JSON.stringify(finding.run.failure)}`);
    if (finding.run.stderr) console.log(`stderr: ${finding.run.stderr}`);
    // The whole text once; after it, what follows the prelude, which is the same in every variant.
    if (index === 0) console.log(`--- snippet (fuzzVariant(${finding.seed}, marker))\n${finding.text}---`);
    else console.log(`--- snippet (fuzzVariant(${finding.seed}, marker)): the prelude as above (with its own marker), then\n${finding.body}---`);
  });
  return findings.length > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
