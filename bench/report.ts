/**
 * What the benchmark's sections share: the `Report` they print into, timing and table formatting.
 *
 * A section is a module exporting `name` and `async function run(report)`; bench/run.ts lists them, so
 * adding one (the snippet CLI, editor latency) is a new module and one line there.
 */
import { spawnSync } from 'node:child_process';

export interface Section {
  /** Short name: selects the section on the command line (`npm run bench -- engine`) and keys its JSON. */
  readonly name: string;
  run(report: Report): Promise<void>;
}

/** A cell: text is printed as is (left-aligned), a number is right-aligned with the column's format. */
export type Cell = string | number | null;

export interface Column {
  readonly title: string;
  /** How numbers print; default: up to 3 significant digits. */
  readonly format?: (value: number) => string;
}

export interface Target {
  readonly section: string;
  readonly name: string;
  /** `undefined` when it could not be measured (say, PyTorch missing). */
  readonly pass: boolean | undefined;
  readonly detail: string;
}

export interface Report {
  heading(text: string): void;
  note(text: string): void;
  table(title: string, columns: readonly Column[], rows: readonly (readonly Cell[])[]): void;
  /** A pass/fail line for the final "Targets" block. */
  target(name: string, pass: boolean | undefined, detail: string): void;
  /** Stores `value` under the section's name and `key` in bench/results/latest.json. */
  record(key: string, value: unknown): void;
}

// -------------------------------------------------------------------------------------------- timing

export interface Timing {
  /** Median wall time of the timed runs, per call, in milliseconds. */
  readonly medianMs: number;
  /** The fastest run: on a shared machine, the closest to the work alone (other tenants only add time). */
  readonly bestMs: number;
  readonly runs: number;
}

export interface TimingOptions {
  readonly warmups?: number;
  readonly runs?: number;
  /** Stop repeating once this much time has gone into timed runs (at least one run is always made). */
  readonly budgetMs?: number;
  /** A fast `fn` is called this many times in a row per timed run, so that timer resolution does not matter. */
  readonly minRunMs?: number;
}

/**
 * Times `fn`: warm-up calls (so the JIT has optimised it), then up to `runs` timed runs within `budgetMs`,
 * each of one call or, for a fast `fn`, of enough calls to last `minRunMs`; times are per call. A full
 * garbage collection before each run (outside the timing, with `--expose-gc`, as `npm run bench` runs)
 * keeps one run's garbage from being collected on the next one's clock.
 */
export function time(fn: () => unknown, { warmups = 2, runs = 5, budgetMs = 3000, minRunMs = 20 }: TimingOptions = {}): Timing {
  let calls = 1;
  for (let warmup = 0; warmup < warmups; warmup++) {
    const start = performance.now();
    fn();
    calls = Math.max(1, Math.ceil(minRunMs / Math.max(performance.now() - start, 1e-3)));
  }
  const durations: number[] = [];
  let spent = 0;
  while (durations.length < runs && (durations.length === 0 || spent < budgetMs)) {
    collectGarbage();
    const start = performance.now();
    for (let call = 0; call < calls; call++) fn();
    const elapsed = performance.now() - start;
    durations.push(elapsed / calls);
    spent += elapsed;
  }
  return { medianMs: median(durations), bestMs: Math.min(...durations), runs: durations.length };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `global.gc()` when node runs with `--expose-gc` (as `npm run bench` does), else nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// ------------------------------------------------------------------------------------------ formatting

/** 3 significant digits, thousands separated: 0.0123, 4.56, 789, 12,345. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, 2 - magnitude);
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export const integer = (value: number): string => Math.round(value).toLocaleString('en-US');
/** `12.3x` for a ratio. */
export const ratio = (value: number): string => `${formatNumber(value)}x`;
/** `1e-12` style, for relative errors. */
export const scientific = (value: number): string => (value === 0 ? '0' : value.toExponential(0));

/** A plain-text table: a title line, a header, a rule, then the rows; columns padded to fit. */
export function formatTable(title: string, columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map((cell, index) => {
    if (cell === null) return '-';
    if (typeof cell === 'string') return cell;
    return (columns[index].format ?? formatNumber)(cell);
  }));
  const widths = columns.map((column, index) => Math.max(column.title.length, ...text.map((row) => row[index].length)));
  const numeric = columns.map((_, index) => rows.some((row) => typeof row[index] === 'number'));
  const line = (cells: readonly string[]) => cells
    .map((cell, index) => (numeric[index] ? cell.padStart(widths[index]) : cell.padEnd(widths[index])))
    .join('  ')
    .trimEnd();
  return [title, line(columns.map((column) => column.title)), widths.map((width) => '-'.repeat(width)).join('  '), ...text.map(line)].join('\n');
}

/** Wall time of `node args…` in milliseconds, best and median of `runs`, after one warm-up run (disk cache). */
export function processTime(args: readonly string[], runs = 5): { bestMs: number; medianMs: number; stdout: string } {
  let stdout = '';
  const times: number[] = [];
  for (let run = -1; run < runs; run++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    const elapsed = performance.now() - start;
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
    stdout = result.stdout;
    if (run >= 0) times.push(elapsed);
  }
  return { bestMs: Math.min(...times), medianMs: median(times), stdout };
}
