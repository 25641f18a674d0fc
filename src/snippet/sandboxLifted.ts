/**
 * A lifted number: what a number the snippet computes with becomes, so that the runtime can record what is
 * done with it. Part of the sandbox runtime (runs inside the vm context).
 *
 * It is a handle on a node of the tape and holds nothing else: the node id sits in a private field, which
 * no code outside this class can read, write or fake (a Proxy does not carry it), so the snippet can
 * neither reach the tape through a value nor pass off an object of its own as one. Where JavaScript needs
 * a primitive (comparisons, indices, template strings) it converts to its data.
 */
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

    /** The gradient accumulated so far by backward passes from the snippet's own code. */
    get grad(): number {
      return tape.grad[this.#id];
    }

    /** Backpropagates from this value now, adding to the gradient of every node it depends on. */
    backward(): void {
      backward(this.#id);
    }

    valueOf(): number {
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
