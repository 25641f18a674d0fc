/**
 * `npm run bench [-- section ...]`: runs the benchmark's sections in order (all, or the ones named),
 * prints their tables, then one "Targets" block, and writes everything to bench/results/latest.json.
 * It exits with 0 even when a target fails: it is a report, and the block says so plainly.
 *
 * To add a section, write a module exporting `name` and `async function run(report: Report)` (see
 * report.ts) and list it in SECTIONS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as engine from './engine.ts';
import * as snippet from './snippet.ts';
import * as editor from './editor.ts';
import * as layout from './layout.ts';
import * as training from './training.ts';
import { formatTable, type Report, type Section, type Target } from './report.ts';

const SECTIONS: readonly Section[] = [engine, snippet, training, editor, layout];

async function main(): Promise<void> {
  const named = process.argv.slice(2);
  const unknown = named.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((section) => section.name).join(', ')}`);
  const selected = named.length === 0 ? SECTIONS : SECTIONS.filter((section) => named.includes(section.name));

  // A shared, noisy machine: say what it was and how busy, since every figure depends on it.
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  console.log(`Gradient Graph benchmark: Node ${machine.node}, ${machine.cores} x ${machine.cpu}, load average ${machine.loadAverage.join(' ')}`);
  if (!machine.gcExposed) console.log('warning: run with --expose-gc (npm run bench does) so that runs start from a collected heap');

  const targets: Target[] = [];
  const results: Record<string, Record<string, unknown>> = {};
  for (const section of selected) {
    const recorded: Record<string, unknown> = {};
    results[section.name] = recorded;
    const report: Report = {
      heading: (text) => console.log(`\n## ${text}\n`),
      note: (text) => console.log(text),
      table: (title, columns, rows) => console.log(`\n${formatTable(title, columns, rows)}`),
      target: (name, pass, detail) => targets.push({ section: section.name, name, pass, detail }),
      record: (key, value) => { recorded[key] = value; },
    };
    report.heading(section.name);
    const started = performance.now();
    try {
      await section.run(report);
    } catch (error) {
      // One broken section must not hide the others' results.
      console.log(`section ${section.name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      targets.push({ section: section.name, name: 'section ran', pass: false, detail: String(error) });
    }
    recorded.seconds = Math.round(performance.now() - started) / 1000;
  }

  console.log('\n## Targets\n');
  const verdict = (pass: boolean | undefined) => (pass === undefined ? 'N/A ' : pass ? 'PASS' : 'FAIL');
  for (const target of targets) console.log(`${verdict(target.pass)}  [${target.section}] ${target.name}: ${target.detail}`);
  const passed = targets.filter((target) => target.pass === true).length;
  const failed = targets.filter((target) => target.pass === false).length;
  console.log(`\n${passed} of ${targets.length} targets met${failed > 0 ? `, ${failed} FAILED` : ''}.`);

  const directory = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  writeFileSync(`${directory}latest.json`, `${JSON.stringify({ date: new Date().toISOString(), machine, targets, sections: results }, null, 1)}\n`);
  console.log(`results written to bench/results/latest.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
