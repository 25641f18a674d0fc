/**
 * Differential testing of the snippet language against plain JavaScript.
 *
 * `generateProgram(seed, prefix)` writes a small, valid TypeScript program over numbers from a seed: 1–4
 * leaves, then statements that mix arithmetic, Math, comparisons, branches, switch, loops, functions,
 * closures, recursion, arrays and their callbacks, objects, classes, Map and Set, strings, Boolean, Number,
 * typeof and Object.is, nested at random, ending with `const <prefix>out = …`. Every identifier it declares
 * starts with the prefix, so that many programs can share one snippet file. The programs run without
 * throwing as plain JavaScript: divisions are by expressions kept away from zero, logs and fractional powers
 * take expressions kept positive, loops have small fixed trip counts, and expressions are squashed
 * (tanh, atan, …) where a rough bound on their size says they could grow large.
 *
 * The programs also type-check under `strict` (leaves are `const`s of literal types, which TypeScript
 * narrows: comparisons and `typeof` of a bare reference get a unary plus).
 *
 * `runDifferential(seeds)` builds batches of programs into snippet files, evaluates them all in one call of
 * the built CLI (`dist/cli.js --json`), and compares each program with plain JavaScript (its body
 * transpiled by TypeScript and run as strict code, as Gradient Graph runs a snippet): the value exactly
 * (`String(out)`, logged by each program), and each leaf's gradient against central finite differences,
 * h = 1e-6·max(1, |x|) and h/10. A gradient is skipped where the leaf goes through an identity cut, where
 * the program is not smooth at the leaf's value (the two estimates, or the one-sided differences, differ by
 * more than 1e-3 relative: a kink, a jump, a branch that changes), where a difference is not finite, or
 * where the output is too large for the differences to resolve; otherwise |grad − fd| ≤ 1e-4·max(1, |fd|).
 * Used by differential.test.ts (300 seeds) and scripts/differential.ts (thousands).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { Random } from '../../src/engine/random.ts';

export interface DifferentialLeaf {
  readonly name: string;
  readonly value: number;
  /**
   * The program passes this leaf through an identity cut (`Number(x)`, `Math.fround(x)`) on some path to the
   * output: Gradient Graph gives that path gradient 0 by design, where finite differences see a slope, so
   * the leaf's gradient is not compared.
   */
  readonly cut?: true;
}

export interface DifferentialProgram {
  readonly leaves: readonly DifferentialLeaf[];
  /** TypeScript statements that read the leaves by name and end by assigning the output. */
  readonly body: string;
  /** The variable that holds the program's number: `<prefix>out`. */
  readonly output: string;
}

/** The leaves' declarations and the body: the program as a snippet of its own. */
export function programText(program: DifferentialProgram): string {
  return `${program.leaves.map((leaf) => `const ${leaf.name} = ${leaf.value};`).join('\n')}\n${program.body}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// The generator

/** An expression: its code (parenthesised unless atomic) and a rough bound on its absolute value. */
interface Expr {
  readonly c: string;
  readonly b: number;
}

/** A positive expression and a lower bound on its value. */
interface Positive extends Expr {
  readonly m: number;
}

interface NumVar { readonly kind: 'num'; readonly name: string; b: number; readonly mut: boolean; readonly int?: boolean }
/** An array: `min` is the length it has at least (indexes below it are safe), `max` at most. */
interface ArrVar { readonly kind: 'arr'; readonly name: string; min: number; max: number; b: number; readonly mut: boolean }
interface ObjVar { readonly kind: 'obj'; readonly name: string; readonly props: readonly string[]; b: number; readonly plain: boolean }
interface ClassInfo {
  readonly name: string;
  readonly fields: readonly string[];
  readonly getter: string;
  readonly method: string;
  readonly mutator: string;
  readonly gb: number;
  readonly rb: number;
}
interface InstVar { readonly kind: 'inst'; readonly name: string; readonly cls: ClassInfo; b: number }
interface FnVar { readonly kind: 'fn'; readonly name: string; readonly required: number; readonly optional: number; readonly pb: number; readonly rb: number }
/** A function that returns a function of one number: `name(x)(y)`. */
interface MakerVar { readonly kind: 'maker'; readonly name: string; readonly pb: number; readonly rb: number }
/** A key used with a Map or a Set, and the scope it was written in: it may name variables of that scope. */
interface Key { readonly c: string; readonly scope: readonly Var[] }
interface MapVar { readonly kind: 'map'; readonly name: string; readonly keys: Key[]; b: number }
interface SetVar { readonly kind: 'set'; readonly name: string; readonly keys: Key[]; b: number }
type Var = NumVar | ArrVar | ObjVar | InstVar | FnVar | MakerVar | MapVar | SetVar;

interface Ctx {
  /** Nesting of blocks, to keep programs small. */
  readonly depth: number;
  /** Loops around this statement (0 at the top level or directly in a function). */
  readonly loops: number;
  readonly inFunction: boolean;
  readonly canBreak: boolean;
  readonly canContinue: boolean;
  /** Statement-level only: functions and classes are declared at the top level of the body. */
  readonly top: boolean;
}

const LITERALS = [0.5, 1.5, 2, 0.25, 3, 0.75, 1, 1.2, 0.1, 2.5, 0.3, 4];
const PROPS = ['x', 'y', 'z', 'w'];

const fmt = (value: number): string => (value < 0 ? `(${value})` : String(value));
/** A receiver for a method call: `2.toFixed` would not parse. */
const method = (code: string): string => (/^\d/.test(code) ? `(${code})` : code);
const isReference = (code: string): boolean => /^[A-Za-z_$][\w$.]*$/.test(code);
/**
 * TypeScript narrows what a condition tests: `typeof a === 'number'` makes `a` `never` where it is false, and
 * `a === b` of two leaves (`const a = 1.5`, literal types) is an error. A unary plus (a number, not a
 * reference, and kept lifted by the runtime) avoids both; so does it for `(a++, a)`, whose last operand is one.
 */
const unreference = (code: string): string => (isReference(code) || /^\(.*, [\w$.]+\)$/.test(code) ? `+${code}` : code);
/**
 * `0.5 || x` (and `(c ? 1 : 2) || x`) is an error in TypeScript, always truthy, and `a || a.toFixed()` makes the
 * second `a` `never` (a leaf's literal type is truthy): those left sides get a unary plus.
 */
const LITERAL = /^\(?-?[\d.]+\)?$/;
const unliteral = (code: string): string => (isReference(code) || LITERAL.test(code) || /\? \(?-?[\d.]+\)? : \(?-?[\d.]+\)?\)$/.test(code) ? `+${code}` : code);
/**
 * `a < (b) > (c)` would parse in TypeScript as a call with type arguments: a `<` or `<=` whose right side
 * starts with a parenthesis is written the other way round.
 */
function compare(left: string, op: string, right: string): string {
  if ((op === '<' || op === '<=') && /^[([]/.test(right)) return `${right} ${op === '<' ? '>' : '>='} ${left}`;
  return `${left} ${op} ${right}`;
}
const cap = (bound: number): number => (Number.isFinite(bound) ? Math.min(bound, 1e12) : 1e12);

class Generator {
  private readonly random: () => number;
  private readonly scopes: Var[][] = [[]];
  private readonly leafValues: number[] = [];
  private readonly cuts = new Set<number>();
  /** Collections a for…of is walking: adding to them could make it endless. */
  private readonly walking = new Set<string>();
  private counter = 0;
  /** Operations in the statement under generation, to keep lines short. */
  private size = 0;

  constructor(seed: number, private readonly prefix: string) {
    const random = new Random(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ seed);
    this.random = () => random.next();
  }

  // --- randomness
  private chance(p: number): boolean {
    return this.random() < p;
  }
  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  private weighted<T>(options: ReadonlyArray<readonly [weight: number, make: () => T]>): T {
    const total = options.reduce((sum, [weight]) => sum + weight, 0);
    let r = this.random() * total;
    for (const [weight, make] of options) {
      if ((r -= weight) < 0) return make();
    }
    return options[options.length - 1][1]();
  }
  private fresh(stem: string): string {
    return `${this.prefix}${stem}${this.counter++}`;
  }

  // --- scopes
  private visible(): Var[] {
    return this.scopes.flat();
  }
  private nums(filter: (v: NumVar) => boolean = () => true): NumVar[] {
    return this.visible().filter((v): v is NumVar => v.kind === 'num' && filter(v));
  }
  private ofKind<K extends Var['kind']>(kind: K): Array<Extract<Var, { kind: K }>> {
    return this.visible().filter((v): v is Extract<Var, { kind: K }> => v.kind === kind);
  }
  private declare(v: Var): void {
    this.scopes[this.scopes.length - 1].push(v);
  }
  private scoped<T>(make: () => T): T {
    this.scopes.push([]);
    try {
      return make();
    } finally {
      this.scopes.pop();
    }
  }
  /**
   * For a loop body: every value the body could change is taken to be large (10³) while the body is
   * written, so that what it computes from them is squashed where it could overflow in a later iteration
   * (`v = Math.exp(v)`). The function returned ends that: values the body changed keep the large bound,
   * the others get theirs back.
   */
  private pessimistic(): () => void {
    const tracked = this.visible().filter((v): v is NumVar | ArrVar | ObjVar | InstVar | MapVar | SetVar => 'b' in v && (v.kind !== 'num' || v.mut));
    const before = tracked.map((v) => v.b);
    const inflated = tracked.map((v) => (v.b = Math.max(v.b, 1e3)));
    return () => tracked.forEach((v, k) => {
      if (v.b === inflated[k]) v.b = before[k];
    });
  }

  // --- the program
  program(): DifferentialProgram {
    const count = this.int(1, 4);
    const leaves: DifferentialLeaf[] = [];
    for (let k = 0; k < count; k++) {
      const magnitude = Math.round((0.3 + this.random() * 2.2) * 100) / 100;
      const value = this.chance(0.3) ? -magnitude : magnitude;
      const name = `${this.prefix}${'abcd'[k]}`;
      leaves.push({ name, value });
      this.leafValues.push(value);
      this.declare({ kind: 'num', name, b: Math.abs(value), mut: false });
    }
    const ctx: Ctx = { depth: 0, loops: 0, inFunction: false, canBreak: false, canContinue: false, top: true };
    const lines: string[] = [];
    if (this.chance(0.7)) {
      // An accumulator, that nested blocks add to.
      const name = this.fresh('acc');
      const value = this.num(1);
      this.declare({ kind: 'num', name, b: value.b, mut: true });
      lines.push(`let ${name} = ${value.c};`);
    }
    const statements = this.int(3, 7);
    for (let k = 0; k < statements; k++) lines.push(...this.statement(ctx));
    const output = `${this.prefix}out`;
    lines.push(`const ${output} = ${this.outputExpr().c};`);
    return {
      leaves: leaves.map((leaf, k) => (this.cuts.has(k) ? { ...leaf, cut: true } : leaf)),
      body: lines.join('\n'),
      output,
    };
  }

  /** The output: the latest numbers and a read of each other kind of value, summed. */
  private outputExpr(): Expr {
    const terms: Expr[] = [];
    const nums = this.nums((v) => !v.int || this.chance(0.3));
    const mutable = nums.filter((v) => v.mut).slice(-4);
    for (const v of [...mutable, ...nums.filter((v) => !mutable.includes(v)).slice(-3)]) terms.push({ c: v.name, b: v.b });
    for (const v of this.visible()) {
      if (v.kind === 'num' || !this.chance(0.6)) continue;
      const read = this.read(v, 1);
      if (read) terms.push(read);
    }
    terms.push(this.num(2));
    const scaled = terms.map((term) => (term.b > 1e3 ? this.squash(term, 10) : term));
    return { c: scaled.map((term) => term.c).join(' + '), b: scaled.reduce((sum, term) => sum + term.b, 0) };
  }

  // --- expressions
  private literal(): Expr {
    const value = this.pick(LITERALS) * (this.chance(0.2) ? -1 : 1);
    return { c: fmt(value), b: Math.abs(value) };
  }

  private leaf(): Expr {
    const k = this.int(0, this.leafValues.length - 1);
    return { c: `${this.prefix}${'abcd'[k]}`, b: Math.abs(this.leafValues[k]) };
  }

  /** A number expression of at most `depth` levels of operations. */
  num(depth: number): Expr {
    if (depth <= 0 || this.size > 10 || this.chance(0.22)) return this.atom();
    this.size++;
    return this.compound(depth);
  }

  /** `num`, squashed if its bound exceeds `limit`. */
  private arg(depth: number, limit: number): Expr {
    const e = this.num(depth);
    return e.b <= limit ? e : this.squash(e, limit);
  }

  /** A bounded function of `e`, at most `limit` in size (`limit` ≥ 1). */
  private squash(e: Expr, limit: number): Expr {
    const scale = limit >= 4 ? this.pick([1, 2, 3]) : 1;
    const form = this.weighted<Expr>([
      [3, () => ({ c: `Math.tanh(${e.c})`, b: 1 })],
      [e.b < 50 ? 2 : 0, () => ({ c: `Math.sin(${e.c})`, b: 1 })],
      [e.b < 50 ? 1 : 0, () => ({ c: `Math.cos(${e.c})`, b: 1 })],
      [2, () => ({ c: `Math.atan(${e.c})`, b: Math.PI / 2 })],
      [1, () => ({ c: `Math.atan2(${e.c}, 2)`, b: Math.PI / 2 })],
      [limit >= 2 ? 1 : 0, () => ({ c: `Math.log1p(Math.abs(${e.c}))`, b: Math.log1p(e.b) })],
    ]);
    return scale === 1 ? form : { c: `(${scale} * ${form.c})`, b: scale * form.b };
  }

  private atom(): Expr {
    const nums = this.nums();
    const arrays = this.ofKind('arr').filter((v) => v.min >= 1);
    const objects = this.ofKind('obj');
    const insts = this.ofKind('inst');
    const counters = this.nums((v) => v.int === true);
    return this.weighted<Expr>([
      [4, () => this.leaf()],
      [nums.length ? 5 : 0, () => {
        const v = this.pick(nums);
        return { c: v.name, b: v.b };
      }],
      [1.2, () => this.literal()],
      [arrays.length ? 1.5 : 0, () => {
        const a = this.pick(arrays);
        if (counters.length && this.chance(0.4)) return { c: `${a.name}[${this.pick(counters).name} % ${a.name}.length]`, b: a.b };
        if (this.chance(0.2)) return { c: `${a.name}[${a.name}.length - 1]`, b: a.b };
        return { c: `${a.name}[${this.int(0, a.min - 1)}]`, b: a.b };
      }],
      [objects.length ? 1.2 : 0, () => {
        const o = this.pick(objects);
        return { c: `${o.name}${this.chance(0.15) ? '?.' : '.'}${this.pick(o.props)}`, b: o.b };
      }],
      [insts.length ? 1.2 : 0, () => {
        const i = this.pick(insts);
        return this.chance(0.5) ? { c: `${i.name}.${this.pick(i.cls.fields)}`, b: i.b } : { c: `${i.name}.${i.cls.getter}`, b: i.cls.gb };
      }],
    ]);
  }

  /** A read of a value that is not a number variable (an array, an object, a call...), or undefined. */
  private read(v: Var, depth: number): Expr | undefined {
    switch (v.kind) {
      case 'num':
        return { c: v.name, b: v.b };
      case 'arr':
        if (v.min >= 1 && this.chance(0.5)) return { c: `${v.name}[${this.int(0, v.min - 1)}]`, b: v.b };
        return { c: `${v.name}.reduce((${this.prefix}s, ${this.prefix}v) => ${this.prefix}s + ${this.prefix}v, 0)`, b: v.b * v.max };
      case 'obj':
        return { c: `${v.name}.${this.pick(v.props)}`, b: v.b };
      case 'inst':
        return this.chance(0.5) ? { c: `${v.name}.${v.cls.getter}`, b: v.cls.gb } : { c: `${v.name}.${v.cls.method}(${this.arg(depth, 3).c})`, b: v.cls.rb };
      case 'fn':
        return this.call(v, depth);
      case 'maker':
        return { c: `${v.name}(${this.arg(depth, v.pb).c})(${this.arg(depth, v.pb).c})`, b: v.rb };
      case 'map':
        return { c: `(${v.name}.get(${this.knownKey(v, 0.8, depth)}) ?? ${this.literal().c})`, b: Math.max(v.b, 4) };
      case 'set':
        return this.chance(0.5) ? { c: `${v.name}.size`, b: v.keys.length + 4 } : { c: `[...${v.name}].reduce((${this.prefix}s, ${this.prefix}v) => ${this.prefix}s + ${this.prefix}v, 0)`, b: v.b * (v.keys.length + 4) };
    }
  }

  private call(f: FnVar, depth: number): Expr {
    const count = f.required + (f.optional && this.chance(0.5) ? f.optional : 0);
    const args: string[] = [];
    for (let k = 0; k < count; k++) args.push(this.arg(depth - 1, f.pb).c);
    return { c: `${f.name}(${args.join(', ')})`, b: f.rb };
  }

  /**
   * `e` if it has no effect, else a leaf: a form that writes its operand twice (`x * x + c`) relies on both
   * being the same number.
   */
  private pure(e: Expr): Expr {
    return /\+\+|--|[-+*/%]= |\*\*= /.test(e.c) ? this.leaf() : e;
  }

  /** An expression kept positive, with a lower bound. */
  private positive(depth: number): Positive {
    return this.weighted<Positive>([
      [3, () => {
        const x = this.num(depth);
        const c = this.pick([0.5, 1, 0.3, 0.75]);
        return { c: `(Math.abs(${x.c}) + ${c})`, b: x.b + c, m: c };
      }],
      [2, () => {
        const x = this.pure(this.arg(Math.min(depth, 1), 10));
        const c = this.pick([0.25, 0.5, 1]);
        return { c: `(${x.c} * ${x.c} + ${c})`, b: x.b * x.b + c, m: c };
      }],
      [2, () => {
        const x = this.arg(depth, 2);
        return { c: `Math.exp(${x.c})`, b: Math.exp(x.b), m: Math.exp(-x.b) };
      }],
      [1, () => ({ c: `(2 + Math.sin(${this.arg(depth, 10).c}))`, b: 3, m: 1 })],
      [1, () => {
        const x = this.num(depth);
        const c = this.pick([0.5, 1]);
        return { c: `Math.hypot(${x.c}, ${c})`, b: x.b + c, m: c };
      }],
      [1, () => {
        const x = this.pure(this.arg(Math.min(depth, 1), 30));
        return { c: `Math.sqrt(${x.c} * ${x.c} + 0.5)`, b: x.b + 1, m: Math.sqrt(0.5) };
      }],
      [1, () => {
        const x = this.arg(depth, 3);
        return { c: `(1 + Math.exp(${x.c}))`, b: 1 + Math.exp(x.b), m: 1 };
      }],
      [0.5, () => {
        const value = this.pick([0.5, 1.5, 2, 3]);
        return { c: String(value), b: value, m: value };
      }],
    ]);
  }

  /** A denominator: positive or negative, at least its `m` in size. */
  private denominator(depth: number): Positive {
    const p = this.positive(depth);
    return this.chance(0.2) ? { c: `(-${p.c})`, b: p.b, m: p.m } : p;
  }

  /** A number that is often exactly 0 (`Math.floor` of a small value, `x - x`, a clamped value...). */
  private zeroish(depth: number): Expr {
    return this.weighted<Expr>([
      [2, () => {
        const x = this.arg(depth, 3);
        return { c: `Math.floor(${x.c} / 3)`, b: x.b / 3 + 1 };
      }],
      [2, () => {
        const x = this.num(depth);
        return { c: `Math.max(0, ${x.c})`, b: x.b };
      }],
      [1, () => {
        const x = this.num(Math.min(depth, 1));
        return { c: `(${x.c} - ${x.c})`, b: 2 * x.b };
      }],
      [1, () => {
        const x = this.num(depth);
        return { c: `(${x.c} * 0)`, b: 0 };
      }],
      [1, () => ({ c: `(Math.round(${this.arg(depth, 10).c}) % 2)`, b: 1 })],
      [1, () => ({ c: `Math.trunc(${this.arg(depth, 3).c} / 4)`, b: 1 })],
      [1, () => {
        const x = this.num(depth);
        return { c: `Math.min(0, ${x.c})`, b: x.b };
      }],
      [0.5, () => ({ c: '0', b: 0 })],
      // the sign of a zero, for Object.is, 1 / x and atan2 to see
      [0.5, () => ({ c: `Math.sign(${this.zeroish(depth).c})`, b: 1 })],
      [0.3, () => {
        const z = this.zeroish(depth);
        return { c: `Math.${this.pick(['min', 'max'])}(${this.pick(['0', '-0'])}, ${z.c})`, b: z.b };
      }],
    ]);
  }

  /** A small integer computed from the values (`Math.floor`, `Math.round`, `| 0`...). */
  private integer(depth: number): Expr {
    const x = this.arg(depth, 10);
    return this.weighted<Expr>([
      [3, () => ({ c: `Math.floor(${x.c})`, b: x.b + 1 })],
      [3, () => ({ c: `Math.round(${x.c})`, b: x.b + 1 })],
      [1, () => ({ c: `Math.ceil(${x.c})`, b: x.b + 1 })],
      [1, () => ({ c: `Math.trunc(${x.c})`, b: x.b })],
      [1, () => ({ c: `Math.sign(${x.c})`, b: 1 })],
      [1, () => ({ c: `(${x.c} | 0)`, b: x.b })],
      [0.3, () => ({ c: `(~~${x.c})`, b: x.b })],
      [0.3, () => ({ c: `(${x.c} >> 1)`, b: x.b })],
      [0.3, () => ({ c: `(${x.c} << 1)`, b: 2 * x.b + 2 })],
      [0.3, () => ({ c: `(Math.floor(${x.c}) & 3)`, b: 3 })],
      [0.3, () => ({ c: `(Math.floor(${x.c}) ^ 1)`, b: x.b + 2 })],
      [0.5, () => ({ c: `Math.floor(Number(${x.c}))`, b: x.b + 1 })],
    ]);
  }

  /** A key for a Map or a Set: mostly small integers, sometimes a computed number. */
  private key(depth: number): string {
    return this.weighted<string>([
      [3, () => String(this.int(0, 3))],
      [3, () => `Math.floor(${this.arg(depth, 4).c})`],
      [2, () => `Math.round(${this.arg(depth, 3).c} * 2)`],
      [1, () => this.num(Math.min(depth, 1)).c],
    ]);
  }

  private keyOf(code: string): Key {
    return { c: code, scope: this.scopes[this.scopes.length - 1] };
  }

  /** With probability `p`, a key already used with the collection (and still in scope); else a new one. */
  private knownKey(v: MapVar | SetVar, p: number, depth: number): string {
    const known = v.keys.filter((key) => this.scopes.includes(key.scope as Var[]));
    return known.length && this.chance(p) ? this.pick(known).c : this.key(depth);
  }

  /** `Number(x)` or `Math.fround(x)` of an expression of leaves and constants: its leaves are cut. */
  private identityCut(): Expr {
    const k = this.int(0, this.leafValues.length - 1);
    this.cuts.add(k);
    const name = `${this.prefix}${'abcd'[k]}`;
    const b = Math.abs(this.leafValues[k]);
    let inner: Expr = { c: name, b };
    if (this.chance(0.4)) {
      const c = this.literal();
      inner = this.chance(0.5) ? { c: `(${name} * ${c.c})`, b: b * c.b } : { c: `(${name} + ${c.c})`, b: b + c.b };
    }
    return this.weighted<Expr>([
      [4, () => ({ c: `Number(${inner.c})`, b: inner.b })],
      [2, () => ({ c: `Math.fround(${inner.c})`, b: inner.b })],
      [1, () => ({ c: `Number(String(${inner.c}))`, b: inner.b })],
      [1, () => ({ c: `Number(\`\${${inner.c}}\`)`, b: inner.b })],
      // Conversions through text or bits: plain numbers, by design.
      [0.5, () => ({ c: `parseFloat(String(${inner.c}))`, b: inner.b })],
      [0.5, () => ({ c: `(JSON.parse(JSON.stringify(${inner.c})) as number)`, b: inner.b })],
      [0.5, () => ({ c: `new Float64Array([${inner.c}])[0]`, b: inner.b })],
    ]);
  }

  private compound(depth: number): Expr {
    const d = depth - 1;
    const arrays = this.ofKind('arr');
    const full = arrays.filter((a) => a.min >= 1);
    const fns = this.ofKind('fn');
    const makers = this.ofKind('maker');
    const insts = this.ofKind('inst');
    const maps = this.ofKind('map');
    const sets = this.ofKind('set');
    const mutable = this.nums((v) => v.mut);
    const p = this.prefix;
    return this.weighted<Expr>([
      // arithmetic
      [6, () => {
        const a = this.arg(d, 1e4);
        const b = this.arg(d, 1e4);
        return { c: `(${a.c} ${this.pick(['+', '-'])} ${b.c})`, b: a.b + b.b };
      }],
      [5, () => {
        const a = this.arg(d, 30);
        const b = this.arg(d, 30);
        return { c: `(${a.c} * ${b.c})`, b: a.b * b.b };
      }],
      [3, () => {
        const a = this.arg(d, 100);
        const q = this.denominator(d);
        return { c: `(${a.c} / ${q.c})`, b: a.b / q.m };
      }],
      [1.5, () => {
        const a = this.arg(d, 100);
        if (this.chance(0.5)) {
          const c = this.pick([1.5, 0.7, 2, 2.5, 1]);
          return { c: `(${a.c} % ${c})`, b: Math.min(a.b, c) };
        }
        const q = this.positive(d);
        return { c: `(${a.c} % ${q.c})`, b: a.b };
      }],
      [2.5, () => {
        const k = this.pick([2, 3, 2, 0.5, -1, -0.5, -2, 1.5, 4, 0, 1]);
        const op = (base: string) => (this.chance(0.7) ? `(${base} ** ${fmt(k)})` : `Math.pow(${base}, ${k})`);
        if (Number.isInteger(k) && k >= 0) {
          const a = this.arg(d, k >= 3 ? 4 : 20);
          return { c: op(a.c), b: a.b ** k };
        }
        const q = this.positive(d);
        return { c: op(q.c), b: k < 0 ? q.m ** k : q.b ** k };
      }],
      [1.5, () => {
        const q = this.pure(this.arg(d, 10));
        const base = { c: `(${q.c} * ${q.c} + 0.5)`, b: q.b * q.b + 0.5 };
        const s = this.squash(this.num(d), 1);
        return { c: this.chance(0.7) ? `(${base.c} ** ${s.c})` : `Math.pow(${base.c}, ${s.c})`, b: Math.max(base.b, 2) * 2 };
      }],
      [2, () => {
        const a = this.arg(d, 1e4);
        return { c: `(-${a.c})`, b: a.b };
      }],
      // Math
      [2, () => {
        const a = this.arg(d, 2.5);
        return { c: `Math.exp(${a.c})`, b: Math.exp(a.b) };
      }],
      [2, () => {
        const q = this.positive(d);
        const fn = this.pick(['log', 'log', 'log2', 'log10']);
        return { c: `Math.${fn}(${q.c})`, b: Math.max(Math.abs(Math.log(q.m)), Math.log(q.b)) + 1 };
      }],
      [3, () => ({ c: `Math.${this.pick(['sin', 'cos', 'tanh', 'sin', 'cos', 'tanh', 'atan'])}(${this.arg(d, 20).c})`, b: 1.6 })],
      [2, () => {
        const q = this.positive(d);
        return { c: `Math.sqrt(${q.c})`, b: Math.sqrt(q.b) };
      }],
      [1.5, () => {
        const a = this.num(d);
        return { c: `Math.abs(${a.c})`, b: a.b };
      }],
      [2.5, () => {
        const count = this.int(2, 3);
        const args: Expr[] = [];
        for (let k = 0; k < count; k++) args.push(this.num(d));
        return { c: `Math.${this.pick(['max', 'min'])}(${args.map((x) => x.c).join(', ')})`, b: Math.max(...args.map((x) => x.b)) };
      }],
      // hypot, atan2 and cbrt are kept away from the points where they have no derivative (the origin, 0):
      // there a zero that depends on a leaf (`x * 0`) gets 0 · ∞ = NaN, as in PyTorch, where the program's
      // output is smooth.
      [1, () => {
        const count = this.int(2, 3);
        const args: Expr[] = [];
        for (let k = 0; k < count; k++) args.push(this.arg(d, 100));
        args.splice(this.int(0, count - 1), 1, this.denominator(d));
        return { c: `Math.hypot(${args.map((x) => x.c).join(', ')})`, b: args.reduce((sum, x) => sum + x.b, 0) };
      }],
      [1, () => ({ c: `Math.atan2(${this.num(d).c}, ${this.denominator(d).c})`, b: Math.PI })],
      [1, () => {
        const a = this.arg(d, 3);
        const fn = this.pick(['sinh', 'cosh', 'expm1']);
        return { c: `Math.${fn}(${a.c})`, b: Math.exp(a.b) };
      }],
      [1, () => {
        const a = this.arg(d, 100);
        return { c: `Math.${this.pick(['asinh', 'atan'])}(${a.c})`, b: Math.log(2 * a.b + 1) + 2 };
      }],
      [0.5, () => {
        const q = this.denominator(d);
        return { c: `Math.cbrt(${q.c})`, b: Math.cbrt(q.b) };
      }],
      [0.7, () => {
        const a = this.pure(this.num(d));
        const fn = this.pick(['asin', 'acos']);
        return { c: `Math.${fn}(${a.c} / (1 + Math.abs(${a.c})))`, b: Math.PI };
      }],
      [0.7, () => {
        const a = this.num(d);
        return { c: `Math.log1p(Math.abs(${a.c}))`, b: Math.log1p(a.b) };
      }],
      // cuts with gradient 0, whose finite differences are 0 too
      [1.5, () => this.integer(d)],
      [1, () => {
        const i = this.integer(d);
        const a = this.arg(d, 30);
        return { c: `(${i.c} * ${a.c})`, b: i.b * a.b };
      }],
      // identity cuts (Number, fround): their leaves are left out of the gradient comparison
      [0.5, () => {
        const cut = this.identityCut();
        const a = this.arg(d, 30);
        return { c: `(${cut.c} * ${a.c})`, b: cut.b * a.b };
      }],
      // comparisons, branches, logic
      [3, () => {
        const a = this.num(d);
        const b = this.num(d);
        return { c: `(${this.condition(d)} ? ${a.c} : ${b.c})`, b: Math.max(a.b, b.b) };
      }],
      [2, () => {
        const z = this.zeroish(d);
        const b = this.num(d);
        return { c: `(${unliteral(z.c)} ${this.pick(['||', '&&', '||'])} ${b.c})`, b: Math.max(z.b, b.b) };
      }],
      [1, () => {
        const a = this.num(d);
        const b = this.num(d);
        return { c: `(${unliteral(a.c)} ${this.pick(['||', '&&'])} ${b.c})`, b: Math.max(a.b, b.b) };
      }],
      [1, () => ({ c: `Number(${this.condition(d)})`, b: 1 })],
      [1, () => {
        const a = this.num(d);
        return { c: `((${this.condition(d)} ? 1 : 0) * ${a.c})`, b: a.b };
      }],
      [1, () => {
        const z = this.zeroish(d);
        const a = this.num(d);
        const b = this.num(d);
        return { c: `(Boolean(${z.c}) ? ${a.c} : ${b.c})`, b: Math.max(a.b, b.b) };
      }],
      [1, () => {
        const z = this.zeroish(d);
        const a = this.num(d);
        return { c: `(Object.is(${z.c}, ${this.pick(['0', '-0', '0'])}) ? ${a.c} : ${this.literal().c})`, b: Math.max(a.b, 4) };
      }],
      [0.7, () => {
        const a = this.num(d);
        return { c: `(typeof ${unreference(a.c)} === 'number' ? ${a.c} : ${this.literal().c})`, b: Math.max(a.b, 4) };
      }],
      [0.5, () => ({ c: `(typeof ${this.num(d).c}).length`, b: 8 })],
      // strings
      [0.7, () => ({ c: `${method(this.arg(d, 1e4).c)}.toFixed(${this.int(0, 3)}).length`, b: 10 })],
      [0.7, () => {
        const a = this.arg(d, 100);
        return { c: `\`\${Math.round(${a.c})}:\${${method(this.arg(d, 100).c)}.toFixed(1)}\`.length`, b: 12 };
      }],
      [0.5, () => ({ c: `String(Math.floor(${this.arg(d, 1e4).c})).length`, b: 6 })],
      [0.5, () => {
        const a = this.arg(d, 1e4);
        return { c: `parseFloat(${method(a.c)}.toFixed(${this.int(1, 3)}))`, b: a.b + 1 };
      }],
      [0.5, () => {
        const a = this.arg(d, 1e4);
        return { c: `Number(${method(a.c)}.toFixed(2))`, b: a.b + 1 };
      }],
      [0.7, () => {
        const a = this.num(Math.min(d, 1));
        const b = this.num(d);
        const same = this.pick([`String(${a.c}) === \`\${${a.c}}\``, `${method(a.c)}.toString() === String(${a.c})`, `String(${a.c}).length > 3`]);
        return { c: `(${same} ? ${b.c} : ${this.literal().c})`, b: Math.max(b.b, 4) };
      }],
      [0.5, () => {
        const a = this.arg(d, 1e4);
        return { c: `${method(a.c)}.${this.pick(['toExponential(3)', 'toPrecision(4)', 'toExponential(1)'])}.length`, b: 10 };
      }],
      [0.4, () => ({ c: `Math.round(${this.arg(d, 100).c} * 8).toString(${this.pick([2, 16, 36])}).length`, b: 12 })],
      [0.5, () => {
        const a = this.num(d);
        return { c: `${method(a.c)}.valueOf()`, b: a.b };
      }],
      // -0: Object.is, 1 / x and atan2 see the sign of a zero
      [0.7, () => {
        const z = this.zeroish(d);
        return { c: `Math.atan2(${z.c}, ${this.pick(['-1', '-0.5', '1'])})`, b: Math.PI };
      }],
      [0.5, () => {
        const a = this.num(d);
        const b = this.num(d);
        return { c: `(1 / ${this.zeroish(d).c} > 0 ? ${a.c} : ${b.c})`, b: Math.max(a.b, b.b) };
      }],
      [0.5, () => {
        const a = this.num(d);
        return { c: `(Object.is(Math.round(${this.arg(d, 3).c}), -0) ? ${a.c} : ${this.literal().c})`, b: Math.max(a.b, 4) };
      }],
      // the comma operator, after something with an effect
      [mutable.length ? 0.4 : 0, () => {
        const v = this.pick(mutable);
        v.b += 1;
        const b = this.num(d);
        return { c: `(${v.name}${this.pick(['++', '--'])}, ${b.c})`, b: b.b };
      }],
      // update expressions
      [mutable.length ? 0.7 : 0, () => {
        const v = this.pick(mutable);
        v.b += 1;
        const form = this.pick([`${v.name}++`, `${v.name}--`, `++${v.name}`, `--${v.name}`]);
        return { c: `(${form})`, b: v.b };
      }],
      [mutable.length ? 0.4 : 0, () => {
        const v = this.pick(mutable);
        const a = this.arg(d, 3);
        v.b += a.b;
        return { c: `(${v.name} += ${a.c})`, b: v.b };
      }],
      // arrays
      [full.length ? 2 : 0, () => {
        const a = this.pick(full);
        const s = `${p}s`;
        const v = `${p}v`;
        return this.weighted<Expr>([
          [3, () => {
            const inner = this.scoped(() => {
              this.declare({ kind: 'num', name: s, b: a.b * a.max, mut: false });
              this.declare({ kind: 'num', name: v, b: a.b, mut: false });
              return this.arg(d, 20);
            });
            return { c: `${a.name}.reduce((${s}, ${v}) => ${s} + ${v} * ${inner.c}, ${this.literal().c})`, b: a.max * a.b * inner.b + 4 };
          }],
          [1, () => ({ c: `${a.name}.reduce((${s}, ${v}) => ${s} * ${v})`, b: a.b ** a.max + 1 })],
          [2, () => ({ c: `Math.${this.pick(['max', 'min'])}(...${a.name})`, b: a.b })],
          [1, () => ({ c: `Math.hypot(...${a.name}, ${this.pick([0.5, 1, 2])})`, b: a.b * a.max + 2 })],
          [1, () => ({ c: `(${a.name}.at(-1) ?? ${this.literal().c})`, b: Math.max(a.b, 4) })],
        ]);
      }],
      [arrays.length ? 1.5 : 0, () => {
        const a = this.pick(arrays);
        const v = `${p}v`;
        return this.weighted<Expr>([
          [2, () => ({ c: `${a.name}.length`, b: a.max })],
          [2, () => {
            const cb = this.callback(v, a.b, d, 'truthy');
            return { c: `${a.name}.filter((${v}) => ${cb}).length`, b: a.max };
          }],
          [2, () => {
            const b = this.num(d);
            const cb = this.callback(v, a.b, d, 'condition');
            return { c: `(${a.name}.find((${v}) => ${cb}) ?? ${b.c})`, b: Math.max(a.b, b.b) };
          }],
          [1, () => ({ c: `${a.name}.findIndex((${v}) => ${this.callback(v, a.b, d, 'condition')})`, b: a.max })],
          [1.5, () => {
            const target = this.chance(0.5) && this.ofKind('arr').length ? this.searchTarget(a) : this.num(Math.min(d, 1)).c;
            return { c: `${a.name}.indexOf(${target})`, b: a.max };
          }],
          [1.5, () => {
            const inner = this.scoped(() => {
              this.declare({ kind: 'num', name: v, b: a.b, mut: false });
              this.declare({ kind: 'num', name: `${p}j`, b: a.max, mut: false, int: true });
              return this.arg(d, 30);
            });
            return { c: `${a.name}.map((${v}, ${p}j) => ${inner.c}).reduce((${p}s, ${p}t) => ${p}s + ${p}t, 0)`, b: a.max * inner.b };
          }],
          [1, () => {
            const b = this.num(d);
            const c = this.num(d);
            return { c: `(${a.name}.${this.pick(['some', 'every'])}((${v}) => ${this.callback(v, a.b, d, 'condition')}) ? ${b.c} : ${c.c})`, b: Math.max(b.b, c.b) };
          }],
          [1, () => {
            const b = this.num(d);
            const c = this.num(d);
            return { c: `(${a.name}.includes(${this.searchTarget(a)}) ? ${b.c} : ${c.c})`, b: Math.max(b.b, c.b) };
          }],
        ]);
      }],
      // calls
      [fns.length ? 3 : 0, () => this.call(this.pick(fns), depth)],
      [fns.length ? 0.5 : 0, () => {
        const call = this.call(this.pick(fns), depth);
        const open = call.c.indexOf('(');
        const [name, args] = [call.c.slice(0, open), call.c.slice(open + 1, -1)];
        return { c: this.chance(0.5) ? `${name}?.(${args})` : `${name}.call(null${args ? `, ${args}` : ''})`, b: call.b };
      }],
      [makers.length ? 1.5 : 0, () => {
        const m = this.pick(makers);
        return { c: `${m.name}(${this.arg(d, m.pb).c})(${this.arg(d, m.pb).c})`, b: m.rb };
      }],
      [insts.length ? 1.5 : 0, () => {
        const i = this.pick(insts);
        return { c: `${i.name}.${i.cls.method}(${this.arg(d, 3).c})`, b: i.cls.rb };
      }],
      [1, () => {
        const a = this.num(d);
        return { c: `((${p}q: number) => ${p}q * ${this.literal().c})(${a.c})`, b: a.b * 4 };
      }],
      // Map and Set
      [maps.length ? 1.5 : 0, () => {
        const m = this.pick(maps);
        const b = this.num(d);
        const key = this.knownKey(m, 0.7, d);
        if (this.chance(0.25)) return { c: `(${m.name}.has(${key}) ? ${b.c} : ${this.literal().c})`, b: Math.max(b.b, 4) };
        if (this.chance(0.15)) return { c: `${m.name}.size`, b: m.keys.length + 8 };
        return { c: `(${m.name}.get(${key}) ?? ${b.c})`, b: Math.max(m.b, b.b) };
      }],
      [sets.length ? 1 : 0, () => {
        const s = this.pick(sets);
        const b = this.num(d);
        const key = this.knownKey(s, 0.6, d);
        if (this.chance(0.6)) return { c: `(${s.name}.has(${key}) ? ${b.c} : ${this.literal().c})`, b: Math.max(b.b, 4) };
        return { c: `(${s.name}.size * ${b.c})`, b: (s.keys.length + 8) * b.b };
      }],
    ]);
  }

  /** Something to search an array for: one of its own elements (the same value), or a number equal to one. */
  private searchTarget(a: ArrVar): string {
    return this.weighted<string>([
      [a.min >= 1 ? 3 : 0, () => `${a.name}[${this.int(0, a.min - 1)}]`],
      [2, () => this.leaf().c],
      [1, () => `(${this.leaf().c} * 1)`],
      [1, () => String(this.int(0, 3))],
      [1, () => `Math.floor(${this.leaf().c})`],
    ]);
  }

  /** The body of an array callback over element `v`: a condition, or a number whose truthiness counts. */
  private callback(v: string, b: number, depth: number, kind: 'condition' | 'truthy'): string {
    return this.scoped(() => {
      this.declare({ kind: 'num', name: v, b, mut: false });
      if (kind === 'condition') return this.condition(Math.min(depth, 1));
      return this.weighted<string>([
        [2, () => `Math.floor(${v})`],
        [2, () => `${v} % 1 > 0.5`],
        [1, () => `${v} - ${this.literal().c}`],
        [2, () => `Math.round(${v} * 2) % 2`],
        [2, () => this.zeroish(Math.min(depth, 1)).c],
        [1, () => this.condition(Math.min(depth, 1))],
      ]);
    });
  }

  /** A number expression that is not a literal (whose type TypeScript would take as that literal's). */
  private nonLiteral(depth: number): Expr {
    const e = this.num(depth);
    return LITERAL.test(e.c) ? this.leaf() : e;
  }

  /** A boolean expression. */
  condition(depth: number): string {
    const d = Math.max(depth - 1, 0);
    const arrays = this.ofKind('arr');
    const maps = this.ofKind('map');
    const sets = this.ofKind('set');
    return this.weighted<string>([
      [6, () => compare(this.num(d).c, this.pick(['<', '>', '<=', '>=']), this.num(d).c)],
      [3, () => compare(this.num(d).c, this.pick(['<', '>', '<=', '>=']), this.literal().c)],
      [1, () => `${this.integer(d).c} ${this.pick(['===', '!==', '==', '!='])} ${this.int(-1, 2)}`],
      [0.5, () => `+${this.nonLiteral(d).c} ${this.pick(['===', '!==', '=='])} +${this.nonLiteral(d).c}`],
      [depth > 0 ? 1 : 0, () => `(${this.condition(d)}) ${this.pick(['&&', '||'])} (${this.condition(d)})`],
      [depth > 0 ? 0.5 : 0, () => `!(${this.condition(d)})`],
      [1, () => `Boolean(${this.zeroish(d).c})`],
      [0.5, () => `!${this.zeroish(d).c}`],
      [0.5, () => `Object.is(${this.zeroish(d).c}, ${this.pick(['0', '-0'])})`],
      [0.5, () => `Number.isInteger(${this.num(d).c})`],
      [0.4, () => `${this.pick(['Number.isNaN', 'Number.isFinite', 'isFinite', '!isNaN', 'Number.isSafeInteger'])}(${this.num(d).c})`],
      [0.3, () => `1 / ${this.zeroish(d).c} < 0`],
      [0.3, () => `String(${this.integer(d).c}) ${this.pick(['<', '>'])} String(${this.integer(d).c})`],
      [0.5, () => `Number(${this.num(d).c}) > ${this.literal().c}`],
      [0.3, () => `typeof ${unreference(this.num(d).c)} === 'number'`],
      [arrays.length ? 1 : 0, () => {
        const a = this.pick(arrays);
        if (this.chance(0.5)) return `${a.name}.includes(${this.searchTarget(a)})`;
        return `${a.name}.${this.pick(['some', 'every'])}((${this.prefix}e) => ${this.callback(`${this.prefix}e`, a.b, 0, 'condition')})`;
      }],
      [maps.length ? 0.5 : 0, () => {
        const m = this.pick(maps);
        return `${m.name}.has(${this.knownKey(m, 0.5, d)})`;
      }],
      [sets.length ? 0.5 : 0, () => {
        const s = this.pick(sets);
        return `${s.name}.has(${this.knownKey(s, 0.5, d)})`;
      }],
    ]);
  }

  // --- statements
  /**
   * Statements in a scope of their own. Most values the block declares are then added to a number declared
   * outside it, so that they reach the output.
   */
  private block(ctx: Ctx, count: number): string[] {
    return this.scoped(() => {
      const lines: string[] = [];
      for (let k = 0; k < count; k++) lines.push(...this.statement(ctx));
      const locals = this.scopes[this.scopes.length - 1].filter((v) => v.kind !== 'num' || !v.int);
      const outer = this.scopes.slice(0, -1).flat().filter((v): v is NumVar => v.kind === 'num' && v.mut && !v.name.startsWith('this.'));
      if (!outer.length) return lines;
      for (const v of locals) {
        if (!this.chance(0.7)) continue;
        this.size = 0;
        const read = this.read(v, 1);
        if (!read) continue;
        const value = read.b <= (ctx.loops > 0 ? 3 : 1e3) ? read : this.squash(read, 3);
        const target = this.pick(outer);
        target.b = cap(target.b + value.b);
        lines.push(`${target.name} ${this.pick(['+=', '+=', '-='])} ${value.c};`);
      }
      return lines;
    });
  }

  private statement(ctx: Ctx): string[] {
    this.size = 0;
    const inner: Ctx = { ...ctx, depth: ctx.depth + 1, top: false };
    const nested = ctx.depth < 2;
    const mutable = this.nums((v) => v.mut);
    const arrays = this.ofKind('arr').filter((a) => a.mut && a.min >= 1);
    const objects = this.ofKind('obj');
    const insts = this.ofKind('inst');
    // Functions never add to a Map or a Set: a for…of over it could call them.
    const maps = ctx.inFunction ? [] : this.ofKind('map').filter((m) => !this.walking.has(m.name));
    const sets = ctx.inFunction ? [] : this.ofKind('set').filter((m) => !this.walking.has(m.name));
    const fns = this.ofKind('fn');
    // A function may be called in a loop: its updates are kept small as a loop's are.
    const inLoop = ctx.loops > 0 || ctx.inFunction;
    return this.weighted<string[]>([
      [ctx.depth === 0 ? 5 : 1.5, () => this.declareNumber()],
      [mutable.length ? 5 : 0, () => this.assignNumber(this.pick(mutable), inLoop)],
      [mutable.length ? 1.5 : 0, () => this.logicalAssignment(this.pick(mutable))],
      [1, () => this.nullishAssignment()],
      [nested ? 3 : 0, () => this.ifStatement(inner)],
      [nested ? 1.2 : 0, () => this.switchStatement(inner)],
      [nested && ctx.loops < 2 ? 4 : 0, () => this.loop(inner)],
      [ctx.top ? 3 : 0, () => this.functionDeclaration()],
      [ctx.top ? 1 : 0, () => this.recursiveFunction()],
      [ctx.depth < 2 ? 1.5 : 0, () => this.arrowFunction()],
      [ctx.top ? 0.8 : 0, () => this.maker()],
      [2.5, () => this.arrayDeclaration(inLoop)],
      [arrays.length ? 2.5 : 0, () => this.elementAssignment(this.pick(arrays), inLoop)],
      // At the top level only: in a loop or a function it could run while a for…of walks the array, in a
      // branch it may not run at all.
      [arrays.length && ctx.top ? 0.5 : 0, () => {
        const a = this.pick(arrays);
        const value = this.arg(1, 100);
        a.b = Math.max(a.b, value.b);
        a.min++;
        a.max++;
        return [`${a.name}.push(${value.c});`];
      }],
      [arrays.length ? 0.5 : 0, () => {
        const a = this.pick(arrays);
        const value = this.arg(1, 100);
        a.b = Math.max(a.b, value.b);
        return [`${a.name}.fill(${value.c}, ${this.int(0, a.min - 1)});`];
      }],
      [1.5, () => this.destructuring()],
      [2, () => this.objectDeclaration()],
      [objects.length ? 2 : 0, () => this.memberAssignment(this.pick(objects), inLoop)],
      [ctx.top ? 1.2 : 0, () => this.classDeclaration()],
      [insts.length ? 1 : 0, () => {
        const i = this.pick(insts);
        const value = this.arg(1, inLoop ? 1 : 3);
        i.b += value.b;
        return this.chance(0.5) ? [`${i.name}.${i.cls.mutator}(${value.c});`] : [`${i.name}.${this.pick(i.cls.fields)} ${this.pick(['+=', '-='])} ${value.c};`];
      }],
      [1.2, () => this.mapDeclaration()],
      [maps.length ? 1.5 : 0, () => this.mapSet(this.pick(maps))],
      [1, () => this.setDeclaration()],
      [sets.length ? 0.8 : 0, () => {
        const s = this.pick(sets);
        const key = this.key(1);
        s.keys.push(this.keyOf(key));
        return [`${s.name}.add(${key});`];
      }],
      [fns.length ? 0.5 : 0, () => [`${this.call(this.pick(fns), 2).c};`]],
      [ctx.canBreak ? 0.8 : 0, () => [`if (${this.condition(1)}) break;`]],
      [ctx.canContinue ? 0.6 : 0, () => [`if (${this.condition(1)}) continue;`]],
      [nested ? 0.5 : 0, () => {
        const body = this.block(inner, this.int(1, 3));
        if (this.chance(0.5)) return ['{', ...indent(body), '}'];
        const after = this.block(inner, 1);
        return ['try {', ...indent(body), '} finally {', ...indent(after), '}'];
      }],
      [0.5, () => this.typeDeclaration()],
      [ctx.depth < 2 ? 0.8 : 0, () => this.closuresInLoop()],
      [ctx.top ? 0.6 : 0, () => this.generatorFunction()],
      [nested && ctx.loops === 0 ? 0.5 : 0, () => this.labeledLoops(inner)],
      [nested ? 0.7 : 0, () => this.throwAndCatch(inner)],
      [ctx.depth < 2 ? 0.7 : 0, () => this.objectWithMethods()],
      [ctx.depth < 2 ? 0.5 : 0, () => this.restFunction()],
    ]);
  }

  private declareNumber(): string[] {
    const name = this.fresh('v');
    const mut = this.chance(0.6);
    const value = this.arg(this.int(1, 3), 1e4);
    this.declare({ kind: 'num', name, b: value.b, mut });
    return [`${mut ? 'let' : 'const'} ${name}${this.chance(0.2) ? ': number' : ''} = ${value.c};`];
  }

  private assignNumber(v: NumVar, inLoop: boolean): string[] {
    const grow = (b: number) => {
      v.b = cap(b);
    };
    return this.weighted<string[]>([
      [3, () => {
        const value = this.arg(this.int(1, 3), inLoop ? 100 : 1e4);
        grow(Math.max(v.b, value.b));
        return [`${v.name} = ${value.c};`];
      }],
      [4, () => {
        const value = this.arg(this.int(1, 2), inLoop ? 3 : 100);
        grow(v.b + value.b);
        return [`${v.name} ${this.pick(['+=', '-='])} ${value.c};`];
      }],
      [2.5, () => {
        const factor = inLoop
          ? this.pick([`(1 + 0.5 * Math.sin(${this.num(1).c}))`, `Math.cos(${this.num(1).c})`, `(0.5 + Math.tanh(${this.num(1).c}))`, this.arg(1, 1.5).c])
          : this.arg(2, 5).c;
        grow(v.b * (inLoop ? 1.5 : 5));
        return [`${v.name} *= ${factor};`];
      }],
      [1.5, () => {
        const q = inLoop ? this.pick([`(1 + ${this.arg(1, 10).c} ** 2)`, `(2 + Math.sin(${this.num(1).c}))`, `(Math.abs(${this.num(1).c}) + 1)`]) : this.denominator(2).c;
        grow(v.b * 2);
        return [`${v.name} /= ${q};`];
      }],
      [1, () => {
        grow(v.b + 1);
        return [`${this.pick([`${v.name}++`, `${v.name}--`, `++${v.name}`, `--${v.name}`])};`];
      }],
      [0.5, () => [`${v.name} %= ${this.pick([1.5, 2, 0.7])};`]],
      [inLoop ? 0 : 0.5, () => {
        if (v.b > 100) return [`${v.name} = Math.tanh(${v.name});`];
        grow(v.b * v.b);
        return [`${v.name} **= 2;`];
      }],
    ]);
  }

  /** `||=`, `&&=` on a number that is sometimes exactly 0. */
  private logicalAssignment(v: NumVar): string[] {
    const lines: string[] = [];
    if (this.chance(0.5)) {
      const z = this.zeroish(1);
      v.b = Math.max(v.b, z.b);
      lines.push(`${v.name} = ${z.c};`);
    }
    const value = this.arg(2, 1e3);
    v.b = cap(Math.max(v.b, value.b));
    lines.push(`${v.name} ${this.pick(['||=', '&&=', '||='])} ${value.c};`);
    return lines;
  }

  /** `??` and `??=` on a number that may be undefined, or 0. */
  private nullishAssignment(): string[] {
    const u = this.fresh('u');
    const w = this.fresh('w');
    const initial = this.weighted<string>([
      [2, () => `${this.condition(1)} ? ${this.num(1).c} : undefined`],
      [1, () => this.zeroish(1).c],
      [1, () => 'undefined'],
    ]);
    const fallback = this.arg(2, 1e3);
    const lines = initial === 'undefined' && this.chance(0.5) ? [`let ${u}: number | undefined;`] : [`let ${u}: number | undefined = ${initial};`];
    if (this.chance(0.6)) {
      lines.push(`${u} ??= ${fallback.c};`, `const ${w} = ${u};`);
    } else {
      lines.push(`const ${w} = ${u} ?? ${fallback.c};`);
    }
    this.declare({ kind: 'num', name: w, b: Math.max(fallback.b, 1e3), mut: false });
    return lines;
  }

  private ifStatement(ctx: Ctx): string[] {
    const lines = [`if (${this.condition(2)}) {`, ...indent(this.block(ctx, this.int(1, 3)))];
    if (this.chance(0.3)) lines.push(`} else if (${this.condition(1)}) {`, ...indent(this.block(ctx, this.int(1, 2))));
    if (this.chance(0.6)) lines.push('} else {', ...indent(this.block(ctx, this.int(1, 2))));
    lines.push('}');
    return lines;
  }

  private switchStatement(ctx: Ctx): string[] {
    const subject = this.weighted<string>([
      [3, () => `Math.floor(${this.arg(1, 10).c}) % 3`],
      [2, () => `Math.round(${this.arg(1, 4).c})`],
      [1, () => 'true'],
    ]);
    const lines = [`switch (${subject}) {`];
    const cases = subject === 'true' ? [this.condition(1), this.condition(1)] : this.pick([['0', '1'], ['1', '-1', '2'], ['0', '2'], ['-1', '0', '1']]);
    const body: Ctx = { ...ctx, canBreak: true };
    for (const [k, c] of cases.entries()) {
      if (k > 0 && this.chance(0.2)) lines.push(`  case ${subject === 'true' ? this.condition(1) : String(this.int(3, 5))}:`);
      lines.push(`  case ${c}: {`, ...indent(indent(this.block(body, this.int(1, 2)))), '    break;', '  }');
    }
    if (this.chance(0.7)) lines.push('  default: {', ...indent(indent(this.block(body, this.int(1, 2)))), '  }');
    lines.push('}');
    return lines;
  }

  /** A loop with a small fixed trip count; bounds changed by its body are grown for its iterations. */
  private loop(ctx: Ctx): string[] {
    const trips = this.int(1, 4);
    const grown = this.pessimistic();
    const loopCtx: Ctx = { ...ctx, loops: ctx.loops + 1, canBreak: true, canContinue: true };
    const lines = this.scoped(() => this.weighted<string[]>([
      [4, () => {
        const i = this.fresh('i');
        this.declare({ kind: 'num', name: i, b: trips, mut: false, int: true });
        const header = this.pick([
          `for (let ${i} = 0; ${i} < ${trips}; ${i}++)`,
          `for (let ${i} = ${trips}; ${i} > 0; ${i}--)`,
          `for (let ${i} = 0; ${i} < ${2 * trips}; ${i} += 2)`,
        ]);
        return [`${header} {`, ...indent(this.block(loopCtx, this.int(1, 4))), '}'];
      }],
      [3, () => {
        const v = this.fresh('e');
        const arrays = this.ofKind('arr').filter((a) => a.max <= 6);
        const sets = this.ofKind('set');
        const maps = this.ofKind('map');
        return this.weighted<string[]>([
          [arrays.length ? 3 : 0, () => {
            const a = this.pick(arrays);
            if (this.chance(0.3)) {
              const j = this.fresh('j');
              this.declare({ kind: 'num', name: v, b: a.b, mut: false });
              this.declare({ kind: 'num', name: j, b: a.max, mut: false, int: true });
              return [`for (const [${j}, ${v}] of ${a.name}.entries()) {`, ...indent(this.block(loopCtx, this.int(1, 3))), '}'];
            }
            this.declare({ kind: 'num', name: v, b: a.b, mut: false });
            return [`for (const ${v} of ${a.name}) {`, ...indent(this.block(loopCtx, this.int(1, 3))), '}'];
          }],
          [2, () => {
            const items: Expr[] = [];
            for (let k = 0; k < Math.min(trips + 1, 4); k++) items.push(this.arg(1, 100));
            this.declare({ kind: 'num', name: v, b: Math.max(...items.map((x) => x.b)), mut: false });
            return [`for (const ${v} of [${items.map((x) => x.c).join(', ')}]) {`, ...indent(this.block(loopCtx, this.int(1, 3))), '}'];
          }],
          [sets.length ? 1 : 0, () => {
            const s = this.pick(sets);
            this.declare({ kind: 'num', name: v, b: s.b, mut: false });
            return this.walk(s.name, () => [`for (const ${v} of ${s.name}) {`, ...indent(this.block(loopCtx, this.int(1, 2))), '}']);
          }],
          [maps.length ? 1 : 0, () => {
            const m = this.pick(maps);
            const k = this.fresh('k');
            this.declare({ kind: 'num', name: k, b: 1e3, mut: false });
            this.declare({ kind: 'num', name: v, b: m.b, mut: false });
            return this.walk(m.name, () => [`for (const [${k}, ${v}] of ${m.name}) {`, ...indent(this.block(loopCtx, this.int(1, 2))), '}']);
          }],
        ]);
      }],
      [2, () => {
        const k = this.fresh('k');
        this.declare({ kind: 'num', name: k, b: trips, mut: false, int: true });
        const extra = this.chance(0.3) ? ` && ${compare(this.num(1).c, '<', this.literal().c)}` : '';
        if (this.chance(0.5)) {
          // The counter moves first, so that `continue` cannot skip it.
          return [`let ${k} = 0;`, `while (${k} < ${trips}${extra}) {`, `  ${k}++;`, ...indent(this.block(loopCtx, this.int(1, 3))), '}'];
        }
        return [`let ${k} = 0;`, 'do {', `  ${k}++;`, ...indent(this.block(loopCtx, this.int(1, 3))), `} while (${k} < ${trips}${extra});`];
      }],
    ]));
    grown();
    return lines;
  }

  private walk(name: string, make: () => string[]): string[] {
    this.walking.add(name);
    try {
      return make();
    } finally {
      this.walking.delete(name);
    }
  }

  /** The body of a function: a few statements, then `return`; optionally an early return. */
  private functionBody(params: NumVar[], limit: number): { lines: string[]; rb: number } {
    return this.scoped(() => {
      for (const param of params) this.declare(param);
      const ctx: Ctx = { depth: 1, loops: 0, inFunction: true, canBreak: false, canContinue: false, top: false };
      const lines: string[] = [];
      let rb = 0;
      const count = this.int(0, 3);
      for (let k = 0; k < count; k++) {
        if (this.chance(0.15)) {
          const early = this.arg(2, limit);
          rb = Math.max(rb, early.b);
          lines.push(`if (${this.condition(1)}) return ${early.c};`);
        }
        lines.push(...this.statement(ctx));
      }
      const value = this.arg(3, limit);
      lines.push(`return ${value.c};`);
      return { lines, rb: Math.max(rb, value.b) };
    });
  }

  private functionDeclaration(): string[] {
    const name = this.fresh('f');
    const pb = this.pick([3, 5, 10]);
    const count = this.int(1, 3);
    const params: NumVar[] = [];
    for (let k = 0; k < count; k++) params.push({ kind: 'num', name: this.fresh('p'), b: pb, mut: true });
    const optional = this.chance(0.3) ? 1 : 0;
    // A default: a literal, or computed from the first parameter.
    const defaults = !optional ? '' : this.chance(0.6) ? String(this.pick(LITERALS)) : `${params[0].name} * ${this.pick([0.5, 2, -1])}`;
    if (optional) params.push({ kind: 'num', name: this.fresh('p'), b: 2 * pb + 4, mut: true });
    const { lines, rb } = this.functionBody(params, this.pick([10, 100, 1e3]));
    if (this.chance(0.15)) {
      // `arguments`: how many were passed, and the first.
      lines.splice(lines.length - 1, 0, `${params[0].name} += arguments.length * 0.1 + (arguments[0] as number) * 0.5;`);
    }
    const signature = params.map((param, k) => (k < count ? `${param.name}: number` : `${param.name} = ${defaults}`)).join(', ');
    this.declare({ kind: 'fn', name, required: count, optional, pb, rb });
    return [`function ${name}(${signature}): number {`, ...indent(lines), '}'];
  }

  private recursiveFunction(): string[] {
    const name = this.fresh('r');
    const n = this.fresh('n');
    const u = this.fresh('u');
    const pb = 3;
    const lines = this.scoped(() => {
      this.declare({ kind: 'num', name: u, b: pb, mut: false });
      this.declare({ kind: 'num', name: n, b: 5, mut: false });
      const base = this.arg(1, pb);
      const step = this.arg(2, pb);
      if (this.chance(0.3)) {
        return [
          `function ${name}(${n}: number, ${u}: number): number {`,
          `  if (${n} < 2) return ${base.c};`,
          `  return (${name}(${n} - 1, ${step.c}) + ${name}(${n} - 2, ${u})) / 2;`,
          '}',
        ];
      }
      return [
        `function ${name}(${n}: number, ${u}: number): number {`,
        `  return ${n} <= 0 ? ${base.c} : ${name}(${n} - 1, ${this.squash(step, pb).c});`,
        '}',
      ];
    });
    // Called through a function of one argument, with the depth fixed or computed from a leaf.
    const depth = this.chance(0.3) ? `Math.abs(Math.floor(${this.leaf().c})) % 3 + 1` : String(this.int(2, 5));
    const wrapper = this.fresh('f');
    this.declare({ kind: 'fn', name: wrapper, required: 1, optional: 0, pb, rb: pb });
    return [...lines, `const ${wrapper} = (${this.prefix}x: number): number => ${name}(${depth}, ${this.prefix}x);`];
  }

  private arrowFunction(): string[] {
    const name = this.fresh('g');
    const pb = this.pick([3, 5]);
    const count = this.int(1, 2);
    const params: NumVar[] = [];
    for (let k = 0; k < count; k++) params.push({ kind: 'num', name: this.fresh('p'), b: pb, mut: true });
    const signature = params.map((param) => `${param.name}: number`).join(', ');
    if (this.chance(0.5)) {
      const value = this.scoped(() => {
        for (const param of params) this.declare(param);
        return this.arg(3, 1e3);
      });
      this.declare({ kind: 'fn', name, required: count, optional: 0, pb, rb: value.b });
      return [`const ${name} = (${signature}): number => ${value.c};`];
    }
    const { lines, rb } = this.functionBody(params, 1e3);
    this.declare({ kind: 'fn', name, required: count, optional: 0, pb, rb });
    return [`const ${name} = (${signature}): number => {`, ...indent(lines), '};'];
  }

  /** A closure factory: `const mk = (s) => (u) => …`, called as `mk(x)(y)`, and one closure kept. */
  private maker(): string[] {
    const name = this.fresh('mk');
    const s = this.fresh('s');
    const u = this.fresh('u');
    const pb = 3;
    const value = this.scoped(() => {
      this.declare({ kind: 'num', name: s, b: pb, mut: false });
      this.declare({ kind: 'num', name: u, b: pb, mut: false });
      return this.arg(3, 1e3);
    });
    this.declare({ kind: 'maker', name, pb, rb: value.b });
    const kept = this.fresh('h');
    const arg = this.arg(1, pb);
    this.declare({ kind: 'fn', name: kept, required: 1, optional: 0, pb, rb: value.b });
    return [`const ${name} = (${s}: number) => (${u}: number): number => ${value.c};`, `const ${kept} = ${name}(${arg.c});`];
  }

  private arrayDeclaration(inLoop: boolean): string[] {
    const name = this.fresh('arr');
    const p = this.prefix;
    return this.weighted<string[]>([
      [4, () => {
        const items: Expr[] = [];
        for (let k = 0, count = this.int(2, 4); k < count; k++) items.push(this.arg(this.int(0, 2), 1e3));
        this.declare({ kind: 'arr', name, min: items.length, max: items.length, b: Math.max(...items.map((x) => x.b)), mut: true });
        return [`const ${name}: number[] = [${items.map((x) => x.c).join(', ')}];`];
      }],
      [2, () => {
        const fill = this.arg(2, 1e3);
        const length = this.chance(0.6) ? `Math.abs(Math.floor(${this.arg(1, 10).c})) % 3 + 2` : String(this.int(2, 4));
        this.declare({ kind: 'arr', name, min: 2, max: 4, b: fill.b, mut: true });
        const form = this.pick([`Array(${length}).fill(${fill.c})`, `new Array<number>(${length}).fill(${fill.c})`, `Array<number>(${length}).fill(${fill.c})`]);
        return [`const ${name}: number[] = ${form};`];
      }],
      [1.5, () => {
        const length = this.int(2, 4);
        const value = this.scoped(() => {
          this.declare({ kind: 'num', name: `${p}j`, b: length, mut: false, int: true });
          return this.arg(2, 1e3);
        });
        this.declare({ kind: 'arr', name, min: length, max: length, b: value.b, mut: true });
        return [`const ${name}: number[] = Array.from({ length: ${length} }, (${p}_, ${p}j) => ${value.c});`];
      }],
      ...this.derivedArrays(name, inLoop),
    ]);
  }

  /** Arrays made from arrays in scope: map, filter, spread, slice, sort. */
  private derivedArrays(name: string, inLoop: boolean): Array<readonly [number, () => string[]]> {
    const arrays = this.ofKind('arr').filter((a) => a.max <= 8);
    if (!arrays.length) return [];
    const p = this.prefix;
    const v = `${p}v`;
    const a = this.pick(arrays);
    return [
      [2, () => {
        const value = this.scoped(() => {
          this.declare({ kind: 'num', name: v, b: a.b, mut: false });
          this.declare({ kind: 'num', name: `${p}j`, b: a.max, mut: false, int: true });
          return this.arg(2, 1e3);
        });
        this.declare({ kind: 'arr', name, min: a.min, max: a.max, b: value.b, mut: true });
        return [`const ${name}: number[] = ${a.name}.map((${v}, ${p}j) => ${value.c});`];
      }],
      [1.5, () => {
        const keep = this.callback(v, a.b, 1, 'truthy');
        this.declare({ kind: 'arr', name, min: 0, max: a.max, b: a.b, mut: true });
        return [`const ${name}: number[] = ${a.name}.filter((${v}) => ${keep});`];
      }],
      [inLoop ? 0 : 1.5, () => {
        const others = arrays.filter((x) => x.max <= 4);
        const b = others.length ? this.pick(others) : a;
        const item = this.arg(1, 1e3);
        this.declare({ kind: 'arr', name, min: a.min + b.min + 1, max: a.max + b.max + 1, b: Math.max(a.b, b.b, item.b), mut: true });
        return [`const ${name}: number[] = [...${a.name}, ${item.c}, ...${b.name}];`];
      }],
      [0.7, () => {
        this.declare({ kind: 'arr', name, min: Math.max(a.min - 1, 0), max: Math.max(a.max - 1, 0), b: a.b, mut: true });
        return [`const ${name}: number[] = ${a.name}.slice(1);`];
      }],
      [1, () => {
        this.declare({ kind: 'arr', name, min: a.min, max: a.max, b: a.b, mut: true });
        const order = this.pick([`(${p}x, ${p}y) => ${p}x - ${p}y`, `(${p}x, ${p}y) => ${p}y - ${p}x`, '']);
        return [`const ${name}: number[] = [...${a.name}].${this.chance(0.2) ? 'reverse()' : `sort(${order})`};`];
      }],
    ];
  }

  private elementAssignment(a: ArrVar, inLoop: boolean): string[] {
    const counters = this.nums((v) => v.int === true);
    const index = counters.length && this.chance(0.4) ? `${this.pick(counters).name} % ${a.name}.length` : String(this.int(0, a.min - 1));
    const target = `${a.name}[${index}]`;
    return this.weighted<string[]>([
      [2, () => {
        const value = this.arg(2, inLoop ? 100 : 1e3);
        a.b = Math.max(a.b, value.b);
        return [`${target} = ${value.c};`];
      }],
      [3, () => {
        const value = this.arg(2, inLoop ? 3 : 100);
        a.b = cap(a.b + value.b);
        return [`${target} ${this.pick(['+=', '-='])} ${value.c};`];
      }],
      [2, () => {
        const value = this.arg(2, 1.5);
        a.b = cap(a.b * 1.5);
        return [`${target} *= ${value.c};`];
      }],
      [1, () => {
        a.b = cap(a.b * 2);
        return [`${target} /= ${this.positive(1).c};`];
      }],
      [1, () => {
        a.b += 1;
        return [`${this.pick([`${target}++`, `${target}--`, `++${target}`])};`];
      }],
      [0.5, () => {
        const value = this.arg(1, 1e3);
        a.b = Math.max(a.b, value.b);
        return [`${target} ||= ${value.c};`];
      }],
    ]);
  }

  private destructuring(): string[] {
    const arrays = this.ofKind('arr').filter((a) => a.min >= 2);
    const objects = this.ofKind('obj').filter((o) => o.props.length >= 2);
    const x = this.fresh('x');
    const y = this.fresh('y');
    return this.weighted<string[]>([
      [arrays.length ? 2 : 0, () => {
        const a = this.pick(arrays);
        this.declare({ kind: 'num', name: x, b: a.b, mut: false });
        if (this.chance(0.4)) {
          this.declare({ kind: 'arr', name: y, min: a.min - 1, max: a.max - 1, b: a.b, mut: true });
          return [`const [${x}, ...${y}] = ${a.name};`];
        }
        this.declare({ kind: 'num', name: y, b: a.b, mut: true });
        return [`let [${x}, ${y}] = ${a.name};`];
      }],
      [objects.length ? 2 : 0, () => {
        const o = this.pick(objects);
        this.declare({ kind: 'num', name: x, b: o.b, mut: false });
        this.declare({ kind: 'num', name: y, b: o.b, mut: false });
        return [`const { ${o.props[0]}: ${x}, ${o.props[1]}: ${y} } = ${o.name};`];
      }],
      [1, () => {
        const a = this.arg(2, 1e3);
        const b = this.arg(2, 1e3);
        // Swapped or not: each may hold either value.
        this.declare({ kind: 'num', name: x, b: Math.max(a.b, b.b), mut: true });
        this.declare({ kind: 'num', name: y, b: Math.max(a.b, b.b), mut: true });
        const swap = this.chance(0.5) ? [`[${x}, ${y}] = [${y}, ${x}];`] : [];
        return [`let [${x}, ${y}] = [${a.c}, ${b.c}];`, ...swap];
      }],
    ]);
  }

  private objectDeclaration(): string[] {
    const name = this.fresh('o');
    const props = PROPS.slice(0, this.int(1, 4));
    const values = props.map(() => this.arg(this.int(0, 2), 1e3));
    const b = Math.max(...values.map((x) => x.b));
    const objects = this.ofKind('obj').filter((o) => o.plain);
    if (objects.length && this.chance(0.25)) {
      const o = this.pick(objects);
      const prop = this.pick(o.props);
      const value = values[0];
      this.declare({ kind: 'obj', name, props: o.props, b: Math.max(o.b, value.b), plain: true });
      return [`const ${name} = { ...${o.name}, ${prop}: ${value.c} };`];
    }
    if (this.chance(0.25)) {
      // An array inside the object: its elements are read and written through the path.
      const items = [this.arg(1, 1e3), this.arg(1, 1e3)];
      this.declare({ kind: 'obj', name, props, b, plain: false });
      this.declare({ kind: 'arr', name: `${name}.list`, min: 2, max: 2, b: Math.max(...items.map((x) => x.b)), mut: true });
      return [`const ${name} = { ${props.map((prop, k) => `${prop}: ${values[k].c}`).join(', ')}, list: [${items.map((x) => x.c).join(', ')}] };`];
    }
    this.declare({ kind: 'obj', name, props, b, plain: true });
    const literal = `{ ${props.map((prop, k) => `${prop}: ${values[k].c}`).join(', ')} }`;
    if (this.chance(0.3)) {
      const type = this.fresh('T');
      return [`interface ${type} { ${props.map((prop) => `${prop}: number;`).join(' ')} }`, `const ${name}: ${type} = ${literal};`];
    }
    return [`const ${name} = ${literal};`];
  }

  private memberAssignment(o: ObjVar, inLoop: boolean): string[] {
    const target = `${o.name}.${this.pick(o.props)}`;
    if (o.plain && this.chance(0.15)) {
      const total = this.fresh('v');
      this.declare({ kind: 'num', name: total, b: o.b * o.props.length, mut: false });
      return [`const ${total} = Object.values(${o.name}).reduce((${this.prefix}s, ${this.prefix}v) => ${this.prefix}s + ${this.prefix}v, 0);`];
    }
    return this.weighted<string[]>([
      [2, () => {
        const value = this.arg(2, inLoop ? 100 : 1e3);
        o.b = Math.max(o.b, value.b);
        return [`${target} = ${value.c};`];
      }],
      [3, () => {
        const value = this.arg(2, inLoop ? 3 : 100);
        o.b = cap(o.b + value.b);
        return [`${target} ${this.pick(['+=', '-='])} ${value.c};`];
      }],
      [2, () => {
        const value = this.arg(2, 1.5);
        o.b = cap(o.b * 1.5);
        return [`${target} *= ${value.c};`];
      }],
      [1, () => {
        o.b = cap(o.b * 2);
        return [`${target} /= ${this.positive(1).c};`];
      }],
      [1, () => {
        o.b += 1;
        return [`${this.pick([`${target}++`, `${target}--`, `--${target}`])};`];
      }],
      [0.7, () => {
        const value = this.arg(1, 1e3);
        o.b = Math.max(o.b, value.b);
        return [`${target} ${this.pick(['||=', '&&='])} ${value.c};`];
      }],
    ]);
  }

  private classDeclaration(): string[] {
    const name = this.fresh('C');
    const x = this.fresh('x');
    const k = this.fresh('k');
    const fb = 5;
    const fields: NumVar[] = [
      { kind: 'num', name: 'this.p', b: fb, mut: false },
      { kind: 'num', name: 'this.q', b: fb, mut: false },
    ];
    const getter = this.scoped(() => {
      for (const field of fields) this.declare(field);
      return this.arg(2, 1e3);
    });
    const body = this.scoped(() => {
      for (const field of fields) this.declare(field);
      this.declare({ kind: 'num', name: k, b: 3, mut: false });
      return this.arg(3, 1e3);
    });
    const cls: ClassInfo = { name, fields: ['p', 'q'], getter: 's', method: 'm', mutator: 'bump', gb: getter.b, rb: body.b };
    const lines = [
      `class ${name} {`,
      '  p: number;',
      `  constructor(${x}: number, public q: number) {`,
      `    this.p = ${x};`,
      '  }',
      '  get s(): number {',
      `    return ${getter.c};`,
      '  }',
      `  m(${k}: number): number {`,
      `    return ${body.c};`,
      '  }',
      `  bump(${k}: number): void {`,
      `    this.p ${this.pick(['+=', '-='])} ${k};`,
      '  }',
      '}',
    ];
    const instance = this.fresh('c');
    const a = this.arg(2, fb);
    const b = this.arg(2, fb);
    this.declare({ kind: 'inst', name: instance, cls, b: fb });
    return [...lines, `const ${instance} = new ${name}(${a.c}, ${b.c});`];
  }

  private mapDeclaration(): string[] {
    const name = this.fresh('m');
    if (this.chance(0.4)) {
      const keys = [this.key(1), this.key(1)];
      const values = [this.arg(2, 1e3), this.arg(2, 1e3)];
      this.declare({ kind: 'map', name, keys: keys.map((key) => this.keyOf(key)), b: Math.max(...values.map((x) => x.b)) });
      return [`const ${name} = new Map<number, number>([[${keys[0]}, ${values[0].c}], [${keys[1]}, ${values[1].c}]]);`];
    }
    this.declare({ kind: 'map', name, keys: [], b: 0 });
    return [`const ${name} = new Map<number, number>();`];
  }

  private mapSet(m: MapVar): string[] {
    const key = this.knownKey(m, 0.3, 1);
    if (!m.keys.some((known) => known.c === key)) m.keys.push(this.keyOf(key));
    const value = this.arg(2, 100);
    if (this.chance(0.4)) {
      m.b = cap(m.b + value.b);
      return [`${m.name}.set(${key}, (${m.name}.get(${key}) ?? 0) + ${value.c});`];
    }
    m.b = Math.max(m.b, value.b);
    return [`${m.name}.set(${key}, ${value.c});`];
  }

  private setDeclaration(): string[] {
    const name = this.fresh('st');
    const keys: string[] = [];
    for (let k = 0, count = this.int(1, 3); k < count; k++) keys.push(this.key(1));
    const same = this.chance(0.4) ? [this.leaf().c] : [];
    if (same.length) same.push(this.pick([same[0], `(${same[0]} * 1)`, `(${same[0]} + 0)`, `Math.abs(${same[0]})`]));
    this.declare({ kind: 'set', name, keys: keys.map((key) => this.keyOf(key)), b: 1e3 });
    return [`const ${name} = new Set<number>([${[...keys, ...same].join(', ')}]);`];
  }

  /** Closures made in a loop: each captures its own iteration's counter. */
  private closuresInLoop(): string[] {
    const list = this.fresh('fs');
    const i = this.fresh('i');
    const total = this.fresh('v');
    const trips = this.int(2, 4);
    const value = this.scoped(() => {
      this.declare({ kind: 'num', name: i, b: trips, mut: false, int: true });
      return this.arg(2, 100);
    });
    this.declare({ kind: 'num', name: total, b: trips * value.b, mut: true });
    return [
      `const ${list}: Array<() => number> = [];`,
      `for (let ${i} = 0; ${i} < ${trips}; ${i}++) ${list}.push(() => ${value.c});`,
      `let ${total} = ${list}.reduce((${this.prefix}s, ${this.prefix}f) => ${this.prefix}s + ${this.prefix}f(), 0);`,
    ];
  }

  /** A generator function, walked by for…of or spread. */
  private generatorFunction(): string[] {
    const name = this.fresh('gen');
    const n = this.fresh('n');
    const u = this.fresh('u');
    const i = this.fresh('i');
    const yielded = this.scoped(() => {
      this.declare({ kind: 'num', name: u, b: 3, mut: false });
      this.declare({ kind: 'num', name: i, b: 4, mut: false, int: true });
      return this.arg(2, 100);
    });
    const trips = this.int(1, 4);
    const arg = this.arg(1, 3);
    const total = this.fresh('v');
    const e = this.fresh('e');
    this.declare({ kind: 'num', name: total, b: trips * yielded.b, mut: true });
    const use = this.chance(0.5)
      ? [`let ${total} = 0;`, `for (const ${e} of ${name}(${trips}, ${arg.c})) ${total} += ${e};`]
      : [`let ${total} = [...${name}(${trips}, ${arg.c})].reduce((${this.prefix}s, ${this.prefix}v) => ${this.prefix}s + ${this.prefix}v, 0);`];
    return [
      `function* ${name}(${n}: number, ${u}: number): Generator<number> {`,
      `  for (let ${i} = 0; ${i} < ${n}; ${i}++) yield ${yielded.c};`,
      '}',
      ...use,
    ];
  }

  /** Two nested loops, the inner one continuing or breaking the outer one by its label. */
  private labeledLoops(ctx: Ctx): string[] {
    const label = this.fresh('L');
    const i = this.fresh('i');
    const j = this.fresh('j');
    const [outer, inner] = [this.int(1, 3), this.int(1, 3)];
    const grown = this.pessimistic();
    const body = this.scoped(() => {
      this.declare({ kind: 'num', name: i, b: outer, mut: false, int: true });
      this.declare({ kind: 'num', name: j, b: inner, mut: false, int: true });
      const loopCtx: Ctx = { ...ctx, loops: 2, canBreak: true, canContinue: true };
      // Written first, so that it reads no variable the statements after it declare.
      const jump = `if (${this.condition(1)}) ${this.pick(['continue', 'break'])} ${label};`;
      const statements: string[][] = [];
      for (let k = 0, count = this.int(1, 2); k < count; k++) statements.push(this.statement(loopCtx));
      statements.splice(this.int(0, statements.length), 0, [jump]);
      return statements.flat();
    });
    grown();
    return [
      `${label}: for (let ${i} = 0; ${i} < ${outer}; ${i}++) {`,
      `  for (let ${j} = 0; ${j} < ${inner}; ${j}++) {`,
      ...indent(indent(body)),
      '  }',
      '}',
    ];
  }

  /** A number thrown and caught. */
  private throwAndCatch(ctx: Ctx): string[] {
    const caught = this.fresh('x');
    const target = this.fresh('v');
    const first = this.arg(2, 1e3);
    this.declare({ kind: 'num', name: target, b: 2e3, mut: true });
    const before = this.block(ctx, this.int(0, 1));
    const thrown = this.arg(2, 1e3);
    const condition = this.chance(0.7) ? `if (${this.condition(1)}) ` : '';
    const lines = [
      `let ${target} = ${first.c};`,
      'try {',
      ...indent(before),
      `  ${condition}throw ${thrown.c};`,
      '} catch (' + caught + ') {',
      `  ${target} ${this.pick(['+=', '-=', '='])} ${caught} as number;`,
      '}',
    ];
    return lines;
  }

  /** An object literal with a getter and a method that read `this`. */
  private objectWithMethods(): string[] {
    const name = this.fresh('o');
    const u = this.fresh('u');
    const x = this.arg(1, 10);
    const fields: NumVar[] = [{ kind: 'num', name: 'this.x', b: 10, mut: false }];
    const getter = this.scoped(() => {
      for (const field of fields) this.declare(field);
      return this.arg(2, 1e3);
    });
    const body = this.scoped(() => {
      for (const field of fields) this.declare(field);
      this.declare({ kind: 'num', name: u, b: 3, mut: false });
      return this.arg(2, 1e3);
    });
    const total = this.fresh('v');
    const arg = this.arg(1, 3);
    this.declare({ kind: 'num', name: total, b: getter.b + body.b, mut: true });
    return [
      `const ${name} = {`,
      `  x: ${x.c},`,
      `  get g(): number {`,
      `    return ${getter.c};`,
      '  },',
      `  f(${u}: number): number {`,
      `    return ${body.c};`,
      '  },',
      '};',
      `let ${total} = ${name}.g + ${name}.f(${arg.c});`,
    ];
  }

  /** A function of any number of arguments (`...xs`). */
  private restFunction(): string[] {
    const name = this.fresh('g');
    const xs = this.fresh('xs');
    const v = `${this.prefix}v`;
    const value = this.scoped(() => {
      this.declare({ kind: 'num', name: v, b: 5, mut: false });
      return this.arg(1, 30);
    });
    this.declare({ kind: 'fn', name, required: 1, optional: 2, pb: 5, rb: 3 * value.b + 4 });
    return [`const ${name} = (...${xs}: number[]): number => ${xs}.reduce((${this.prefix}s, ${v}) => ${this.prefix}s + ${value.c}, ${xs}.length);`];
  }

  private typeDeclaration(): string[] {
    const type = this.fresh('N');
    const name = this.fresh('v');
    const value = this.arg(2, 1e3);
    this.declare({ kind: 'num', name, b: value.b, mut: false });
    return [`type ${type} = number;`, `const ${name} = ${value.c} as ${type};`];
  }
}

const indent = (lines: readonly string[]): string[] => lines.map((line) => `  ${line}`);

/** A program from a seed; every identifier it declares starts with `prefix`. */
export function generateProgram(seed: number, prefix: string): DifferentialProgram {
  return new Generator(seed, prefix).program();
}

export const PREFIX = (seed: number): string => `p${seed}_`;

// ---------------------------------------------------------------------------------------------------------
// The comparison with plain JavaScript

export interface Mismatch {
  readonly seed: number;
  readonly kind: 'value' | 'gradient' | 'error' | 'reference';
  /** The leaf, for a gradient. */
  readonly leaf?: string;
  readonly expected: string;
  readonly actual: string;
  /** The program as a snippet of its own (its leaves and its body). */
  readonly text: string;
}

export interface DifferentialReport {
  readonly programs: number;
  readonly values: number;
  readonly gradientsChecked: number;
  /**
   * Gradients not compared: the leaf goes through an identity cut; the program is not smooth there (the
   * two step sizes, or the one-sided differences, disagree); a difference is not finite; the output is so
   * large that finite differences cannot resolve the gradient.
   */
  readonly skipped: { readonly cut: number; readonly notSmooth: number; readonly notFinite: number; readonly imprecise: number };
  readonly mismatches: readonly Mismatch[];
  readonly cliMs: number;
}

export interface DifferentialOptions {
  /** The built CLI. */
  readonly cli: string;
  /** Programs per snippet file. */
  readonly batch?: number;
  /** Files per CLI call; the default is one call with every file. */
  readonly filesPerCall?: number;
  /** Per-file time limit for the CLI, in ms. */
  readonly timeoutMs?: number;
}

type Reference = (values: readonly number[]) => number;

/**
 * The programs' bodies as plain JavaScript: for each, a function of its leaves that returns its output.
 * Strict code, as Gradient Graph runs a snippet (it shows in `arguments`, which a sloppy function ties to
 * its parameters). TypeScript transpiles them all at once (one call per program would cost about 10 ms
 * each); if that fails, one at a time, so that the failure is the program's own.
 */
export function referencesOf(programs: readonly DifferentialProgram[]): Array<Reference | Error> {
  const source = (program: DifferentialProgram) => `(function (${program.leaves.map((leaf) => leaf.name).join(', ')}) {\n'use strict';\n${program.body}\nreturn ${program.output};\n})`;
  const compile = (items: readonly DifferentialProgram[]): unknown[] => {
    const js = ts.transpileModule(`[\n${items.map(source).join(',\n')}\n];\n`, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the reference is plain JavaScript, run as written
    return (new Function(`return ${js}`) as () => unknown[])();
  };
  const wrap = (run: unknown): Reference => (values) => {
    const result = (run as (...values: number[]) => unknown)(...values);
    if (typeof result !== 'number') throw new Error(`the output is a ${typeof result}`);
    return result;
  };
  try {
    return compile(programs).map(wrap);
  } catch {
    return programs.map((program) => {
      try {
        return wrap(compile([program])[0]);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }
}

/** One program's body as plain JavaScript, a function of its leaves that returns its output. */
export function referenceOf(program: DifferentialProgram): Reference {
  const reference = referencesOf([program])[0];
  if (reference instanceof Error) throw reference;
  return reference;
}

/** The snippet file of a batch: every leaf, every body, a log of each output, and their sum. */
export function batchText(programs: readonly DifferentialProgram[]): string {
  return [
    ...programs.flatMap((program) => program.leaves.map((leaf) => `const ${leaf.name} = ${leaf.value};`)),
    ...programs.map((program) => program.body),
    ...programs.map((program) => `console.log(String(${program.output}));`),
    `${programs.map((program) => program.output).join(' + ')};`,
    '',
  ].join('\n');
}

interface Evaluated {
  readonly logs?: readonly string[];
  /** Leaf label → gradient. */
  readonly grads?: ReadonlyMap<string, number>;
  readonly error?: string;
}

/**
 * One call of the CLI on files (`--json`): one result per file, in order. The files of one call are
 * evaluated one after the other.
 */
function runCli(cli: string, files: readonly string[], timeoutMs: number): Evaluated[] {
  const run = spawnSync(process.execPath, [cli, '--json', '--timeout', String(timeoutMs), ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: (timeoutMs + 5000) * files.length,
  });
  const lines = run.stdout.split('\n').filter((line) => line.length > 0);
  if (lines.length !== files.length) {
    throw new Error(`the CLI printed ${lines.length} lines for ${files.length} files (exit ${run.status}, ${String(run.error ?? '')}): ${run.stderr.slice(0, 2000)}`);
  }
  return lines.map(readGraph);
}

/** A number of the JSON: NaN, Infinity and -Infinity are the strings "NaN", "Infinity", "-Infinity". */
const numberOf = (value: unknown): number => (typeof value === 'number' ? value : Number(value));

/**
 * One line of `--json`: the leaves' gradients by label, and the logs. Read here rather than with the
 * graph model's own reader, and in its forms, version 1 (an object per node) and versions 2 and 3 (a
 * column per field, `label` indexing `labels`; 3 adds the training steps), so that the test does not depend on which one the
 * sources and the built CLI are at.
 */
function readGraph(line: string): Evaluated {
  const graph = JSON.parse(line) as {
    error?: { message: string; line: number; column: number };
    version?: number;
    leaves: number[];
    logs: string[];
    nodes?: Array<{ label?: string; grad: unknown }>;
    grad?: unknown[];
    label?: number[];
    labels?: string[];
  };
  if (graph.error) return { error: `${graph.error.message} (${graph.error.line}:${graph.error.column})` };
  const grads = new Map<string, number>();
  for (const id of graph.leaves) {
    if (graph.version === 1 && graph.nodes) grads.set(graph.nodes[id].label ?? '', numberOf(graph.nodes[id].grad));
    else if ((graph.version === 2 || graph.version === 3) && graph.grad && graph.label && graph.labels) grads.set(graph.labels[graph.label[id]] ?? '', numberOf(graph.grad[id]));
    else throw new Error(`a graph model of version ${String(graph.version)}, which this test does not read`);
  }
  return { logs: graph.logs, grads };
}

/** The CLI on files, `perCall` files per call (all in one call by default). */
function evaluateFiles(cli: string, files: readonly string[], timeoutMs: number, perCall = files.length): Evaluated[] {
  const results: Evaluated[] = [];
  for (let k = 0; k < files.length; k += Math.max(1, perCall)) results.push(...runCli(cli, files.slice(k, k + Math.max(1, perCall)), timeoutMs));
  return results;
}

/** Relative differences beyond this between the two step sizes, or the one-sided differences, mean not smooth. */
const SMOOTH = 1e-3;
/** |autograd − fd| ≤ TOLERANCE · max(1, |fd|). */
const TOLERANCE = 1e-4;

interface Generated {
  readonly seed: number;
  readonly program: DifferentialProgram;
  readonly text: string;
  readonly reference?: Reference;
  readonly value?: number;
  readonly referenceError?: string;
}

/**
 * Generates the programs of `seeds`, evaluates them with the CLI and compares them with plain JavaScript.
 * A batch file that fails as a whole is evaluated again one program per file, to name the program.
 */
export function runDifferential(seeds: readonly number[], options: DifferentialOptions): DifferentialReport {
  const batch = options.batch ?? 50;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-differential-'));
  try {
    const programs = seeds.map((seed) => generateProgram(seed, PREFIX(seed)));
    const references = referencesOf(programs);
    const generated: Generated[] = seeds.map((seed, k) => {
      const program = programs[k];
      const text = programText(program);
      const reference = references[k];
      try {
        if (reference instanceof Error) throw reference;
        return { seed, program, text, reference, value: reference(program.leaves.map((leaf) => leaf.value)) };
      } catch (error) {
        return { seed, program, text, referenceError: String(error) };
      }
    });
    const mismatches: Mismatch[] = [];
    for (const item of generated) {
      if (item.referenceError !== undefined) mismatches.push({ seed: item.seed, kind: 'reference', expected: 'plain JavaScript runs', actual: item.referenceError, text: item.text });
    }
    const runnable = generated.filter((item) => item.reference);
    const batches: Generated[][] = [];
    for (let k = 0; k < runnable.length; k += batch) batches.push(runnable.slice(k, k + batch));
    const files = batches.map((items, k) => {
      const file = path.join(folder, `batch${k}.ts`);
      writeFileSync(file, batchText(items.map((item) => item.program)));
      return file;
    });
    const started = performance.now();
    const results = evaluateFiles(options.cli, files, timeoutMs, options.filesPerCall);
    // A batch that failed: one file per program, to find which.
    const perProgram = new Map<Generated, Evaluated>();
    const retry: Generated[] = batches.filter((_, k) => results[k].error !== undefined).flat();
    if (retry.length) {
      const single = retry.map((item, k) => {
        const file = path.join(folder, `single${k}.ts`);
        writeFileSync(file, batchText([item.program]));
        return file;
      });
      const again = evaluateFiles(options.cli, single, timeoutMs, options.filesPerCall);
      retry.forEach((item, k) => perProgram.set(item, again[k]));
    }
    const cliMs = performance.now() - started;
    let values = 0;
    let gradientsChecked = 0;
    const skipped = { cut: 0, notSmooth: 0, notFinite: 0, imprecise: 0 };
    batches.forEach((items, k) => {
      items.forEach((item, index) => {
        const evaluated = perProgram.get(item) ?? results[k];
        const log = perProgram.has(item) ? evaluated.logs?.[0] : evaluated.logs?.[index];
        if (evaluated.error !== undefined || log === undefined || !evaluated.grads) {
          mismatches.push({ seed: item.seed, kind: 'error', expected: `String(out) = ${String(item.value)}`, actual: evaluated.error ?? 'no log', text: item.text });
          return;
        }
        values++;
        const expected = String(item.value);
        if (log !== expected) {
          mismatches.push({ seed: item.seed, kind: 'value', expected, actual: log, text: item.text });
        }
        const check = checkGradients(item, evaluated.grads);
        gradientsChecked += check.checked;
        skipped.cut += check.cut;
        skipped.notSmooth += check.notSmooth;
        skipped.notFinite += check.notFinite;
        skipped.imprecise += check.imprecise;
        mismatches.push(...check.mismatches);
      });
    });
    return { programs: seeds.length, values, gradientsChecked, skipped, mismatches, cliMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Each leaf's gradient against central finite differences of the plain-JavaScript program. */
function checkGradients(item: Generated, grads: ReadonlyMap<string, number>) {
  const result = { checked: 0, cut: 0, notSmooth: 0, notFinite: 0, imprecise: 0, mismatches: [] as Mismatch[] };
  const reference = item.reference;
  const f0 = item.value;
  if (!reference || f0 === undefined) return result;
  const base = item.program.leaves.map((leaf) => leaf.value);
  const at = (k: number, x: number): number => {
    const values = [...base];
    values[k] = x;
    try {
      return reference(values);
    } catch {
      return NaN;
    }
  };
  item.program.leaves.forEach((leaf, k) => {
    if (leaf.cut) {
      result.cut++;
      return;
    }
    const x = leaf.value;
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const [xp, xm, xp2, xm2] = [x + h, x - h, x + h / 10, x - h / 10];
    const [fp, fm, fp2, fm2] = [at(k, xp), at(k, xm), at(k, xp2), at(k, xm2)];
    const fd = (fp - fm) / (xp - xm);
    const fd2 = (fp2 - fm2) / (xp2 - xm2);
    const forward = (fp - f0) / (xp - x);
    const backward = (f0 - fm) / (x - xm);
    const grad = grads.get(leaf.name);
    if (![f0, fd, fd2, forward, backward].every(Number.isFinite)) {
      result.notFinite++;
      return;
    }
    const scale = Math.max(1, Math.abs(fd));
    // The resolution of the h/10 quotient: a large output (e^30) rounds its small changes away.
    if ((Number.EPSILON * Math.max(...[f0, fp, fm, fp2, fm2].map(Math.abs))) / (xp2 - xm2) > SMOOTH * scale) {
      result.imprecise++;
      return;
    }
    if (Math.abs(fd - fd2) > SMOOTH * scale || Math.abs(forward - backward) > SMOOTH * scale) {
      result.notSmooth++;
      return;
    }
    result.checked++;
    if (grad === undefined || !(Math.abs(grad - fd) <= TOLERANCE * scale)) {
      result.mismatches.push({ seed: item.seed, kind: 'gradient', leaf: leaf.name, expected: `${fd} (finite differences; ${fd2} with h/10)`, actual: String(grad), text: item.text });
    }
  });
  return result;
}

/** A mismatch as a paragraph that reproduces it. */
export function describeMismatch(mismatch: Mismatch): string {
  const what = mismatch.kind === 'gradient' ? `gradient of ${mismatch.leaf ?? '?'}` : mismatch.kind === 'value' ? 'value String(out)' : mismatch.kind === 'error' ? 'evaluation' : 'plain JavaScript';
  return `seed ${mismatch.seed}: ${what}: expected ${mismatch.expected}, Gradient Graph gave ${mismatch.actual}\n${mismatch.text}`;
}
