/**
 * Installs micrograd's `nn` as globals of the sandbox's realm (`Neuron`, `Layer`, `MLP`, `mseLoss`, `SGD`,
 * `Adam`) and gives the runtime what the rewritten snippet calls for them: `nnNew` for `new MLP(…)` and
 * `nnCall` for `mlp(x)` and `mseLoss(…)`, which pass the expression's site so that the nodes made get
 * its range and its call groups. Part of the sandbox runtime (runs inside the vm context, before the snippet).
 * The globals are ordinary (a snippet's own `class Neuron` shadows them, as a local declaration).
 */
import { createAddedTables } from './sandboxAdded.ts';
import { apply } from './sandboxIntrinsics.ts';
import { createNn, type NnRuntime } from './sandboxNn.ts';
import { createOptim } from './sandboxOptim.ts';

const NativeTypeError = TypeError;

export function installNn(runtime: Omit<NnRuntime, 'added'>, rewriterCounts: () => { readonly labels: number; readonly groupSites: number }) {
  const added = createAddedTables(rewriterCounts);
  const nn = createNn({ ...runtime, added });
  const optim = createOptim(runtime);
  const global = globalThis as unknown as Record<string, unknown>;
  global.Neuron = nn.classes.Neuron;
  global.Layer = nn.classes.Layer;
  global.MLP = nn.classes.MLP;
  global.mseLoss = optim.mseLoss;
  global.SGD = optim.classes.SGD;
  global.Adam = optim.classes.Adam;

  return {
    /** `new C(…args)` where the snippet names an nn class. */
    nnNew: (constructor: unknown, site: number, args: unknown[]): unknown => nn.construct(constructor, site, args),
    /** `f(…args)` where `f` may hold a module or be `mseLoss`: theirs at `site`, any other function as written. */
    nnCall: (callee: unknown, calleeName: string, site: number, args: unknown[]): unknown => {
      const called = nn.callModule(callee, args[0], site);
      if (called) return called.result;
      if (callee === optim.mseLoss) return optim.mseLossAt(args[0], args[1], site);
      if (typeof callee !== 'function') throw new NativeTypeError(`${calleeName} is not a function`);
      return apply(callee as (...values: unknown[]) => unknown, undefined, args);
    },
    /** The labels and call groups added, for the result's JSON. */
    addedJson: added.json,
  };
}
