/**
 * The TypeScript server plugin that gives snippets their types in the editor. VS Code's built-in
 * TypeScript extension loads it into tsserver (package.json's `typescriptServerPlugins`; the build puts it
 * in node_modules/gradient-graph-snippet-types/, where tsserver looks for it). For each project it adds
 * gradient-graph-snippets.d.ts (shipped beside it) to the project's root files, when scope.ts says the
 * project gets it; the extension passes the `gradientGraph.snippetTypes` setting in through
 * `configurePlugin` (src/extension/snippetTypes.ts). The user's files and tsconfig are never touched.
 */
import path from 'node:path';
import type * as ts from 'typescript';
import { DECLARATIONS_FILE_NAME, projectGetsDeclarations, snippetTypesMode, type SnippetTypesConfiguration, type SnippetTypesMode } from './scope.ts';

/** A file's scan, kept until its version changes. */
interface Scan {
  readonly version: string;
  readonly text: string;
}

function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const typescript = modules.typescript;
  const declarations = path.join(__dirname, DECLARATIONS_FILE_NAME);
  // Const type parameters (`new MLP(3, [4, 4, 1])` typed as a number) need TypeScript 5.0: an older
  // workspace TypeScript would report the declarations' syntax, so it gets nothing.
  const [major] = typescript.versionMajorMinor.split('.').map(Number);
  const supported = major >= 5;
  let mode: SnippetTypesMode = 'auto';
  const projects = new Set<ts.server.Project>();

  return {
    create(info) {
      if (!supported) return info.languageService;
      const host = info.languageServiceHost;
      const scans = new Map<string, Scan>();
      const textOf = (fileName: string): string => {
        const version = host.getScriptVersion(fileName);
        const known = scans.get(fileName);
        if (known?.version === version) return known.text;
        const snapshot = host.getScriptSnapshot(fileName);
        const text = snapshot === undefined ? '' : snapshot.getText(0, snapshot.getLength());
        scans.set(fileName, { version, text });
        return text;
      };
      const rootFileNames = host.getScriptFileNames.bind(host);
      let added: boolean | undefined;
      host.getScriptFileNames = () => {
        const names = rootFileNames();
        if (names.some((name) => path.basename(name) === DECLARATIONS_FILE_NAME)) return names;
        // The project's own files: library declarations in node_modules say nothing of the user's code.
        const own = names.filter((name) => !/[\\/]node_modules[\\/]/.test(name));
        const add = projectGetsDeclarations(mode, (function* () { for (const name of own) yield textOf(name); })());
        if (add !== added) {
          added = add;
          info.project?.projectService?.logger.info(`gradient-graph-snippet-types: ${add ? 'adds' : 'does not add'} ${declarations} to ${info.project.getProjectName()} (gradientGraph.snippetTypes: ${mode})`);
        }
        return add ? [...names, declarations] : names;
      };
      if (info.project !== undefined) projects.add(info.project);
      return info.languageService;
    },

    onConfigurationChanged(configuration: SnippetTypesConfiguration) {
      const next = snippetTypesMode(configuration.snippetTypes);
      if (next === mode) return;
      mode = next;
      // Each project asks again which files are its roots, and the editor asks again for its diagnostics.
      for (const project of projects) {
        if (project.isClosed()) {
          projects.delete(project);
          continue;
        }
        // markAsDirty is tsserver's own (not in its typings, there in every TypeScript 5): without it the project
        // keeps its program, whose roots were asked for before the change.
        (project as unknown as { markAsDirty?(): void }).markAsDirty?.();
        project.refreshDiagnostics();
      }
    },
  };
}

export = init;
