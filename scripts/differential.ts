// The differential test's full run: `node --import tsx scripts/differential.ts [count=3000] [firstSeed=1]`.
// Generates `count` programs (test/snippet/differential.ts), evaluates them with the built CLI, 50 to a
// snippet file, and compares each with the same program run as plain JavaScript: the value exactly
// (`String(out)`), and each leaf's gradient against central finite differences where the program is smooth.
// Prints progress, a summary (programs, values compared, gradients checked and skipped) and every mismatch
// with its seed and its program; exits 1 if there is any. Needs dist/ (npm run build).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describeMismatch, runDifferential, type DifferentialReport, type Mismatch } from '../test/snippet/differential.ts';

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');
/** Programs per round: 10 snippet files, one CLI call. */
const ROUND = 500;

function main(): number {
  const count = Number(process.argv[2] ?? 3000);
  const firstSeed = Number(process.argv[3] ?? 1);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(firstSeed)) {
    console.error('usage: node --import tsx scripts/differential.ts [count=3000] [firstSeed=1]');
    return 2;
  }
  if (!existsSync(CLI)) {
    console.error(`${CLI} is missing: run npm run build first`);
    return 2;
  }
  const started = performance.now();
  const reports: DifferentialReport[] = [];
  for (let done = 0; done < count; done += ROUND) {
    const seeds = Array.from({ length: Math.min(ROUND, count - done) }, (_, k) => firstSeed + done + k);
    const report = runDifferential(seeds, { cli: CLI, batch: 50 });
    reports.push(report);
    const mismatches = reports.reduce((sum, r) => sum + r.mismatches.length, 0);
    console.log(`${done + seeds.length}/${count} programs, ${((performance.now() - started) / 1000).toFixed(0)} s, ${mismatches} mismatch${mismatches === 1 ? '' : 'es'}`);
  }
  const sum = (pick: (report: DifferentialReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  const checked = sum((r) => r.gradientsChecked);
  const cut = sum((r) => r.skipped.cut);
  const notSmooth = sum((r) => r.skipped.notSmooth);
  const notFinite = sum((r) => r.skipped.notFinite);
  const imprecise = sum((r) => r.skipped.imprecise);
  const gradients = checked + cut + notSmooth + notFinite + imprecise;
  const mismatches: Mismatch[] = reports.flatMap((report) => report.mismatches);
  const seconds = (performance.now() - started) / 1000;
  const kinds = new Map<string, number>();
  for (const mismatch of mismatches) kinds.set(mismatch.kind, (kinds.get(mismatch.kind) ?? 0) + 1);

  console.log(`\nseeds ${firstSeed}..${firstSeed + count - 1}: ${count} programs in ${seconds.toFixed(0)} s (CLI ${(sum((r) => r.cliMs) / 1000).toFixed(0)} s)`);
  console.log(`  values compared exactly:  ${sum((r) => r.values)}`);
  console.log(`  gradients:                ${gradients}`);
  console.log(`    checked:                ${checked} (${((100 * checked) / Math.max(1, gradients)).toFixed(1)}%)`);
  console.log(`    skipped, cut:           ${cut} (the leaf goes through Number(x) or Math.fround)`);
  console.log(`    skipped, not smooth:    ${notSmooth}`);
  console.log(`    skipped, not finite:    ${notFinite}`);
  console.log(`    skipped, imprecise:     ${imprecise} (the output is too large for finite differences to resolve the gradient)`);
  console.log(`  mismatches:               ${mismatches.length}${kinds.size ? ` (${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')})` : ''}`);
  const programs = [...new Set(mismatches.map((mismatch) => mismatch.seed))];
  if (programs.length) console.log(`  in ${programs.length} programs: seeds ${programs.join(', ')}`);
  for (const mismatch of mismatches) {
    const what = mismatch.kind === 'gradient' ? `∂/∂${mismatch.leaf ?? '?'}` : mismatch.kind;
    console.log(`    seed ${mismatch.seed}: ${what}: expected ${mismatch.expected}, got ${mismatch.actual}`);
  }
  // Each program once, with its mismatches.
  for (const seed of programs) {
    const own = mismatches.filter((mismatch) => mismatch.seed === seed);
    console.log(`\n=== ${own.map((mismatch) => describeMismatch(mismatch).split('\n')[0]).join('\n=== ')}\n${own[0].text}`);
  }
  return mismatches.length > 0 ? 1 : 0;
}

process.exitCode = main();
