/**
 * Tells the TypeScript server plugin (src/typescriptPlugin/) which projects get the snippet declarations:
 * the `gradientGraph.snippetTypes` setting, sent through the built-in TypeScript extension's
 * `configurePlugin`, at activation and whenever the setting changes. That extension keeps the last
 * configuration and gives it to every TypeScript server it starts, so it may be sent before one runs.
 */
import * as vscode from 'vscode';
import { settingKey, SETTINGS } from '../shared/settings.ts';
import { PLUGIN_NAME, type SnippetTypesConfiguration } from '../typescriptPlugin/scope.ts';

/** The part of the built-in TypeScript extension's API (`getAPI(0)`) used here. */
interface TypeScriptExtensionApi {
  configurePlugin(pluginId: string, configuration: SnippetTypesConfiguration): void;
}

interface TypeScriptExtensionExports {
  getAPI?(version: 0): TypeScriptExtensionApi | undefined;
}

async function sendSetting(): Promise<void> {
  const typescript = vscode.extensions.getExtension<TypeScriptExtensionExports>('vscode.typescript-language-features');
  if (typescript === undefined) return; // Disabled by the user: nothing loads the plugin either.
  const exports = typescript.isActive ? typescript.exports : await typescript.activate();
  const snippetTypes = vscode.workspace.getConfiguration('gradientGraph').get<unknown>('snippetTypes', SETTINGS.snippetTypes.default);
  exports?.getAPI?.(0)?.configurePlugin(PLUGIN_NAME, { snippetTypes });
}

/** Sends the setting now and on every change of it; dispose to stop. */
export function configureSnippetTypes(): vscode.Disposable {
  void sendSetting();
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(settingKey('snippetTypes'))) void sendSetting();
  });
}
