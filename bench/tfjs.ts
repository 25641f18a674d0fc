/**
 * The part of tfjs the benchmark uses, typed here so that the project type-checks without tfjs installed
 * (it is a peer of the benchmark only: bench/peers/install.sh installs it), and its loader.
 */
import { createRequire } from 'node:module';

export interface Tensor {
  dataSync(): ArrayLike<number>;
}
export type Scalar = Tensor;
type Operand = Tensor | number;

export interface Tf {
  scalar(value: number): Scalar;
  add(a: Operand, b: Operand): Tensor;
  sub(a: Operand, b: Operand): Tensor;
  mul(a: Operand, b: Operand): Tensor;
  div(a: Operand, b: Operand): Tensor;
  sin(x: Operand): Tensor;
  tanh(x: Operand): Tensor;
  addN(tensors: Operand[]): Tensor;
  tidy<T>(fn: () => T): T;
  dispose(tensors: Tensor[]): void;
  valueAndGrads(f: (...inputs: Tensor[]) => Scalar): (inputs: Tensor[]) => { value: Scalar; grads: Tensor[] };
  env(): { set(flag: string, value: boolean): void };
  setBackend(name: string): Promise<boolean>;
}

/** tfjs's CommonJS entry (its ESM build does not load in Node), pure-JS CPU backend; PROD mode drops its debug checks and its banner. */
export async function loadTfjs(): Promise<Tf> {
  const require = createRequire(new URL('./peers/package.json', import.meta.url));
  const tf = require('@tensorflow/tfjs') as Tf;
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  return tf;
}
