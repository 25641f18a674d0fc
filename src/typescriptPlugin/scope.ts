/**
 * Which projects get the snippet declarations. They add `data`, `grad` and `backward()` to every number of
 * the project they join, which hides real mistakes (`count.data`) in code that is not a snippet; and they
 * declare `Neuron`, `Layer`, `MLP`, `SGD`, `Adam` and `mseLoss`, which clash with a script of one's own that
 * declares the same names (micrograd written out in TypeScript). So by default (`auto`) they join only a
 * project in which some file uses the snippet API and none declares those names itself. A setting
 * (`gradientGraph.snippetTypes`) can give them to every project (`always`) or to none (`off`).
 */

import { SETTINGS } from '../shared/settings.ts';

export type SnippetTypesMode = (typeof SETTINGS.snippetTypes.values)[number];

/** The declarations' file name; a project that has a file of this name already (a copy for tsc) keeps its own. */
export const DECLARATIONS_FILE_NAME = 'gradient-graph-snippets.d.ts';

/** The plugin's name, as package.json's `typescriptServerPlugins` and the build's node_modules folder spell it. */
export const PLUGIN_NAME = 'gradient-graph-snippet-types';

/** What the extension sends the plugin through `configurePlugin`. */
export interface SnippetTypesConfiguration {
  readonly snippetTypes?: unknown;
}

/** What only a snippet does: backpropagate from a number, or make one of the `nn` globals. */
const USES_API = /\.backward\s*\(\s*\)|\bnew\s+(?:Neuron|Layer|MLP|SGD|Adam)\s*[(<]|\bmseLoss\s*\(/;

/** A top-level declaration (at the start of a line) of one of the globals' names. */
const DECLARES_OWN = /^[ \t]*(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:class|function|const|let|var|interface|type)\s+(?:Neuron|Layer|MLP|SGD|Adam|mseLoss)\b/m;

/** Whether a file's text uses the snippet API (`.backward()`, `new MLP(…)`, `mseLoss(…)` …). */
export function usesSnippetApi(text: string): boolean {
  return USES_API.test(text);
}

/** Whether a file's text declares a name the snippet globals declare (so that adding them would clash). */
export function declaresSnippetNames(text: string): boolean {
  return DECLARES_OWN.test(text);
}

/** A setting's value as a mode: anything unknown is the default, `auto`. */
export function snippetTypesMode(value: unknown): SnippetTypesMode {
  return SETTINGS.snippetTypes.values.find((mode) => mode === value) ?? SETTINGS.snippetTypes.default;
}

/** Whether a project whose files have these texts gets the declarations, in `mode`. */
export function projectGetsDeclarations(mode: SnippetTypesMode, texts: Iterable<string>): boolean {
  if (mode !== 'auto') return mode === 'always';
  let uses = false;
  for (const text of texts) {
    if (declaresSnippetNames(text)) return false;
    uses ||= usesSnippetApi(text);
  }
  return uses;
}
