/**
 * A lifted number: what a number the snippet computes with becomes, so that the runtime can record what is
 * done with it. Part of the sandbox runtime (runs inside the vm context).
 *
 * It is a handle on a node of the tape and holds nothing else: the node id sits in a private field, which
 * no code outside this class can read, write or fake (a Proxy does not carry it), so the snippet can
 * neither reach the tape through a value nor pass off an object of its own as one. Where JavaScript needs
 * a primitive (comparisons, indices, template strings) it converts to its data (`Symbol.toPrimitive`).
 */
import { LEAF } from '../engine/ops.ts';
import type { Tape } from '../engine/tape.ts';

export function createLiftedClass(tape: Tape, backward: (id: number) => void) {
  /** Only the runtime makes lifted numbers: `new x.constructor(…)` is refused. */
  const token = {};

  class Lifted {
    readonly #id: number;

    constructor(secret: unknown, id: number) {
      if (secret !== token) throw new TypeError('numbers of a snippet are made by computing with them, not with new');
      this.#id = id;
    }

    /** The node id of a lifted number, -1 for anything else (no code of the value's runs). */
    static idOf(this: void, value: unknown): number {
      return typeof value === 'object' && value !== null && #id in value ? value.#id : -1;
    }

    /** The value. */
    get data(): number {
      return tape.data[this.#id];
    }

    /**
     * A leaf's value, set in place (micrograd's `p.data += -0.05 * p.grad`): what is computed from it
     * afterwards sees the new value. A computed value is what its inputs make it, so it cannot be set.
     */
    set data(value: unknown) {
      if (tape.code[this.#id] !== LEAF) throw new TypeError("only a leaf's data can be set: a computed value is what its inputs make it");
      tape.data[this.#id] = Lifted.numberOf(value);
    }

    /** The gradient accumulated so far by backward passes from the snippet's own code. */
    get grad(): number {
      return tape.grad[this.#id];
    }

    /** Sets the accumulated gradient (micrograd's `p.grad = 0`). */
    set grad(value: unknown) {
      tape.setGrad(this.#id, Lifted.numberOf(value));
    }

    /** A number from what a snippet assigns: a lifted number's value, else JavaScript's ToNumber. */
    private static numberOf(value: unknown): number {
      const id = Lifted.idOf(value);
      return id >= 0 ? tape.data[id] : +(value as number);
    }

    /** Backpropagates from this value now, adding to the gradient of every node it depends on. */
    backward(): void {
      backward(this.#id);
    }

    /**
     * A number's `valueOf()` is the number itself: `x.valueOf()` is `x`, still lifted, so that the gradient
     * goes on through it (as through a unary plus). JavaScript's own conversions use `Symbol.toPrimitive`.
     */
    valueOf(): this {
      return this;
    }

    /** The primitive JavaScript's conversions read (`x < y` unrewritten, `${x}`, `isNaN(x)`, keys): the data. */
    [Symbol.toPrimitive](): number {
      return tape.data[this.#id];
    }

    toString(radix?: number): string {
      return tape.data[this.#id].toString(radix);
    }

    toJSON(): number {
      return tape.data[this.#id];
    }

    toFixed(digits?: number): string {
      return tape.data[this.#id].toFixed(digits);
    }

    toPrecision(digits?: number): string {
      return tape.data[this.#id].toPrecision(digits);
    }

    toExponential(digits?: number): string {
      return tape.data[this.#id].toExponential(digits);
    }

    toLocaleString(locales?: string | string[], options?: Intl.NumberFormatOptions): string {
      return tape.data[this.#id].toLocaleString(locales, options);
    }
  }

  return { idOf: Lifted.idOf, lift: (id: number) => new Lifted(token, id), prototype: Lifted.prototype as object };
}
