/**
 * VS Code glue for the panel's Export menu: copies the text the panel sent to the clipboard, or asks where to
 * save it (beside the evaluated file, named after it) and writes it with `workspace.fs`, so that it works in
 * remote and web workbenches too. The checks and names are `exportFile.ts`'s.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { WebviewMessage } from '../shared/messages.ts';
import { checkExport, defaultExportName, EXPORT_FORMATS, type ExportMessage } from './exportFile.ts';

/** How long a "copied" or "saved" note stays in the status bar. */
const NOTE_MILLISECONDS = 4000;

/** Exports what the panel sent; `document` is the evaluated document, whose folder and name the dialog proposes. */
export async function exportPicture(message: ExportMessage, document: vscode.Uri | undefined): Promise<void> {
  const checked = checkExport(message);
  if (!checked.ok) {
    void vscode.window.showErrorMessage(`Gradient Graph: could not export the graph: ${checked.error}.`);
    return;
  }
  const { name } = EXPORT_FORMATS[checked.format];
  if (checked.target === 'clipboard') {
    await vscode.env.clipboard.writeText(checked.text);
    vscode.window.setStatusBarMessage(`$(check) Gradient Graph: copied the graph as ${name}`, NOTE_MILLISECONDS);
    return;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(document, checked.format),
    filters: { [EXPORT_FORMATS[checked.format].filter]: [EXPORT_FORMATS[checked.format].extension] },
    saveLabel: 'Export',
    title: `Save the graph as ${name}`,
  });
  if (target === undefined) return;
  try {
    await vscode.workspace.fs.writeFile(target, checked.bytes);
  } catch (error) {
    void vscode.window.showErrorMessage(`Gradient Graph: could not write ${target.fsPath || target.toString()}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  vscode.window.setStatusBarMessage(`$(check) Gradient Graph: saved ${vscode.workspace.asRelativePath(target)}`, NOTE_MILLISECONDS);
}

/** Says what an export done in the panel itself came to (a PNG copied there, or one it could not make). */
export function showExportNote(message: Extract<WebviewMessage, { type: 'exportNote' }>): void {
  const text = typeof message.message === 'string' ? message.message.slice(0, 500) : '';
  if (message.failed) void vscode.window.showErrorMessage(`Gradient Graph: ${text}`);
  else vscode.window.setStatusBarMessage(`$(check) Gradient Graph: ${text}`, NOTE_MILLISECONDS);
}

/** Beside the evaluated document, named after it; an untitled one's picture goes to the first workspace folder, or home. */
function defaultUri(document: vscode.Uri | undefined, format: ExportMessage['format']): vscode.Uri {
  const untitled = document === undefined || document.scheme === 'untitled';
  const name = defaultExportName(document?.path, untitled, format);
  const folder = untitled ? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()) : vscode.Uri.joinPath(document, '..');
  return vscode.Uri.joinPath(folder, name);
}
