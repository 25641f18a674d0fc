// Differential test: generated programs (differential.ts) evaluated by the built CLI, compared with the same
// programs run as plain JavaScript. Values must be equal exactly (`String(out)`); each leaf's gradient must
// match central finite differences wherever the program is smooth at the leaves' values. The programs are
// batched 50 to a snippet file and every file goes to one call of dist/cli.js. The full run, with thousands
// of seeds, is `node --import tsx scripts/differential.ts [count] [firstSeed]`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { describeMismatch, generateProgram, PREFIX, referenceOf, runDifferential } from './differential.ts';

const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
/** Seeds 1..PROGRAMS: a fixed budget, about 3 s of CLI time on two cores. */
const PROGRAMS = 300;
/** At least this share of the gradients must be compared (not skipped), or the test checks too little. */
const CHECKED_AT_LEAST = 0.7;
/** Mismatches printed in full in a failure's message. */
const SHOWN = 12;

describe('differential: generated programs against plain JavaScript', () => {
  it('the generator is deterministic, prefixes what it declares, and writes programs that run as plain JavaScript', () => {
    for (const seed of [1, 2, 3, 77, 1000]) {
      const program = generateProgram(seed, PREFIX(seed));
      assert.deepEqual(generateProgram(seed, PREFIX(seed)), program);
      assert.ok(program.leaves.length >= 1 && program.leaves.length <= 4);
      assert.equal(program.output, `${PREFIX(seed)}out`);
      const declared = [...program.body.matchAll(/\b(?:const|let|function|class|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map((match) => match[1]);
      for (const name of declared) assert.ok(name.startsWith(PREFIX(seed)), `seed ${seed} declares ${name}`);
      assert.equal(typeof referenceOf(program)(program.leaves.map((leaf) => leaf.value)), 'number');
    }
  });

  it(`${PROGRAMS} programs: values exactly, gradients against finite differences`, (t) => {
    assert.ok(existsSync(cli), `${cli} is missing: run npm run build`);
    const seeds = Array.from({ length: PROGRAMS }, (_, k) => k + 1);
    const report = runDifferential(seeds, { cli, batch: 50 });
    const skipped = report.skipped.cut + report.skipped.notSmooth + report.skipped.notFinite + report.skipped.imprecise;
    const total = report.gradientsChecked + skipped;
    t.diagnostic(`${report.programs} programs, ${report.values} values compared, ${report.gradientsChecked} of ${total} gradients checked `
      + `(skipped: ${report.skipped.cut} cut, ${report.skipped.notSmooth} not smooth, ${report.skipped.notFinite} not finite, ${report.skipped.imprecise} beyond finite differences), `
      + `${report.mismatches.length} mismatches; CLI ${(report.cliMs / 1000).toFixed(1)} s`);
    if (report.mismatches.length > 0) {
      const shown = report.mismatches.slice(0, SHOWN).map(describeMismatch).join('\n\n');
      const more = report.mismatches.length > SHOWN ? `\n\n… and ${report.mismatches.length - SHOWN} more (seeds ${[...new Set(report.mismatches.slice(SHOWN).map((m) => m.seed))].join(', ')})` : '';
      assert.fail(`${report.mismatches.length} mismatches with plain JavaScript:\n\n${shown}${more}`);
    }
    assert.equal(report.values, PROGRAMS, 'every program evaluated and its value compared');
    assert.ok(report.gradientsChecked >= CHECKED_AT_LEAST * total, `only ${report.gradientsChecked} of ${total} gradients checked`);
  });
});
