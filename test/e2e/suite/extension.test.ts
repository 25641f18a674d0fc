// Extension-host tests: the real extension in a real VS Code (code-server here, desktop VS Code with
// npm run test:desktop). The workspace is a copy of examples/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GraphModel } from '../../../src/graph/model.ts';
import type { EvaluationResult } from '../../../src/snippet/evaluate.ts';
import type { GradientGraphApi } from '../../../src/extension/extension.ts';
import { nodesOf } from '../../../src/graph/reader.ts';

const EXTENSION_ID = 'gradient-graph.gradient-graph';

async function api(): Promise<GradientGraphApi> {
  const extension = vscode.extensions.getExtension<GradientGraphApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

async function open(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders![0].uri;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, name));
  return vscode.window.showTextDocument(document, vscode.ViewColumn.One);
}

/** Counts the scratch documents, so that each has a name of its own. */
let scratchCount = 0;

/**
 * A new untitled TypeScript document holding `text`, in the first column. Each has its own name: VS Code
 * reuses "Untitled-1" once the last test's document is closed, and the extension host could then still
 * hold the closed document under that name (a fresh-clone run evaluated the previous test's text).
 */
async function scratch(text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/gradient-graph-test-${process.pid}-${++scratchCount}.ts` });
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
  assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), text)), 'the scratch text was inserted');
  assert.equal(editor.document.getText(), text);
  return editor;
}

/**
 * Runs Show Gradient Graph on `editor` with the selection it has now. The command reads the active editor
 * and its selection, and both can be stale for a moment: a webview that reports its focus late leaves
 * another editor active, and the editor's own selection event from before ours can arrive after it. So this
 * waits until `editor` is active and the workbench has echoed the selection back.
 */
async function showGraphOf(editor: vscode.TextEditor): Promise<EvaluationResult | undefined> {
  const wanted = editor.selection;
  const until = Date.now() + 10_000;
  while (vscode.window.activeTextEditor?.document !== editor.document && Date.now() < until) {
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    await new Promise<void>((resolve) => { const listener = vscode.window.onDidChangeActiveTextEditor(() => { listener.dispose(); resolve(); }); setTimeout(() => { listener.dispose(); resolve(); }, 200); });
  }
  const active = vscode.window.activeTextEditor;
  assert.ok(active !== undefined && active.document === editor.document, 'the editor to evaluate is the active one');
  for (let attempt = 0; attempt < 10; attempt++) {
    const echoed = new Promise<boolean>((resolve) => {
      const listener = vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document === editor.document && event.selections[0]?.isEqual(wanted)) { listener.dispose(); resolve(true); }
      });
      setTimeout(() => { listener.dispose(); resolve(false); }, 500);
    });
    // A change, then the selection wanted: the workbench echoes the second, after any older event.
    active.selection = new vscode.Selection(wanted.active, wanted.active);
    active.selection = wanted;
    if (await echoed && active.selection.isEqual(wanted)) break;
  }
  assert.ok(active.selection.isEqual(wanted), 'the selection to evaluate is the active one');
  return vscode.commands.executeCommand<EvaluationResult>('gradientGraph.show');
}

/** Selects the lines from the first that starts with `from` to the first that starts with `to`. */
function selectLines(editor: vscode.TextEditor, from: string, to: string): void {
  const lines = editor.document.getText().split('\n');
  const first = lines.findIndex((line) => line.startsWith(from));
  const last = lines.findIndex((line) => line.startsWith(to));
  editor.selection = new vscode.Selection(first, 0, last, lines[last].length);
}

const leafGrads = (graph: GraphModel): Record<string, number> => Object.fromEntries(graph.leaves.map((id) => [nodesOf(graph)[id].label ?? `#${id}`, nodesOf(graph)[id].grad]));

suite('Gradient Graph in the editor', () => {
  test('the command is in the palette as "Show Gradient Graph"', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('gradientGraph.show'));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string; title: string; category: string }> } };
    const command = manifest.contributes.commands.find((item) => item.command === 'gradientGraph.show')!;
    assert.equal(command.title, 'Show Gradient Graph');
    assert.equal(command.category, 'Gradient Graph');
  });

  test("the command on micrograd's selection returns its graph and the panel paints it", async () => {
    const gradientGraph = await api();
    const editor = await open('micrograd.ts');
    selectLines(editor, 'const a', 'const L');
    const rendered = gradientGraph.nextRender();
    const result = await showGraphOf(editor);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.deepEqual(leafGrads(result.graph), { a: 6, b: -4, c: -2, f: 4 });
    assert.equal(result.graph.outputLabel, 'L');
    assert.equal(nodesOf(result.graph)[result.graph.output].data, -8);
    const painted = await rendered;
    assert.equal(painted.type, 'rendered', JSON.stringify(painted));
    // The focus stays in the editor.
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
  });

  test('the reported escape runs as a harmless snippet, behind both walls', async () => {
    const gradientGraph = await api();
    const marker = path.join(os.tmpdir(), `gradient-graph-owned-${process.pid}-${Date.now()}.txt`);
    const text = "JSON.stringify = () => { throw { [Symbol.for('nodejs.util.inspect.custom')]: (d: any, o: any, inspect: any) => "
      + `inspect.constructor('return process')().getBuiltinModule('child_process').execSync('id > ${marker}') }; };\n1\n`;
    const editor = await scratch(text);
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    const result = await showGraphOf(editor);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.equal(nodesOf(result.graph)[result.graph.output].data, 1);
    assert.ok(!fs.existsSync(marker), 'no file written');
    assert.equal(gradientGraph.sandboxWalls?.permission, true, "the sandbox process runs under Node's permission model");
    assert.equal(gradientGraph.sandboxWalls?.residentMemory, process.platform === 'linux');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a loop of 5,000 iterations paints a picture within the budget of boxes', async () => {
    const gradientGraph = await api();
    // 5,000 iterations of a top-level loop (30,000 values): runs of iterations are one box each.
    const text = 'const x = 0.5;\nlet s = 0;\nfor (let i = 0; i < 5000; i++) {\n  s = s + Math.sin(x * i) * 0.001;\n}\ns\n';
    const editor = await scratch(text);
    editor.selection = new vscode.Selection(0, 0, 6, 0);
    const rendered = gradientGraph.nextRender();
    const result = await showGraphOf(editor);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.ok(result.graph.nodeCount >= 30_000, `the loop was evaluated: ${result.graph.nodeCount} nodes`);
    const painted = await rendered;
    assert.equal(painted.type, 'rendered', JSON.stringify(painted));
    const budget = vscode.workspace.getConfiguration('gradientGraph').get<number>('maxBoxes');
    assert.ok(painted.type === 'rendered' && painted.values <= budget! && painted.values >= 3, JSON.stringify(painted));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the panel keeps its own column: a file opened in its group moves beside it, and no column is added', async () => {
    await api();
    const editor = await open('micrograd.ts');
    selectLines(editor, 'const a', 'const L');
    await vscode.commands.executeCommand('gradientGraph.show');
    const panelGroup = () => vscode.window.tabGroups.all.find((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Gradient Graph'));
    const columnOf = (name: string) => vscode.window.tabGroups.all.find((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.path.endsWith(name)))?.viewColumn;
    const groups = vscode.window.tabGroups.all.length;
    const column = panelGroup()?.viewColumn;
    assert.ok(column !== undefined && column > vscode.ViewColumn.One, 'the panel is beside the editor');
    // As after a click in the panel: its group is the active one when a file is opened.
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    const folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'neuron.ts')), { viewColumn: vscode.ViewColumn.Active });
    for (let waited = 0; columnOf('neuron.ts') === column && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(columnOf('neuron.ts'), vscode.ViewColumn.One, 'the file moved to the editor group');
    selectLines(vscode.window.activeTextEditor!, 'const x1', 'const o');
    const result = await showGraphOf(editor);
    assert.ok(result?.ok);
    assert.equal(vscode.window.tabGroups.all.length, groups, 'no column was added');
    assert.equal(panelGroup()?.viewColumn, column, 'the panel stayed in its column');
  });

  test('hovering a variable shows its value and gradient', async () => {
    const editor = await open('micrograd.ts');
    selectLines(editor, 'const a', 'const L');
    await vscode.commands.executeCommand('gradientGraph.show');
    const lines = editor.document.getText().split('\n');
    const line = lines.findIndex((text) => text.startsWith('const e = a * b'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, lines[line].indexOf('a *')));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /a = 2\.0000 · ∂L\/∂a = 6\.0000/);
    const product = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, lines[line].indexOf('*')));
    const productText = product.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(productText, /e = -6\.0000 · ∂L\/∂e = -2\.0000/);
  });

  test('with no selection, the statement under the cursor is evaluated with the declarations it needs', async () => {
    const editor = await open('accumulate.ts');
    const lines = editor.document.getText().split('\n');
    const line = lines.findIndex((text) => text.startsWith('const e'));
    editor.selection = new vscode.Selection(line, 3, line, 3);
    const result = await showGraphOf(editor);
    assert.ok(result?.ok, JSON.stringify(result));
    assert.deepEqual(leafGrads(result.graph), { a: 45, b: 20 });
  });

  test('an error in the selection is a diagnostic at its position, cleared by the next good run', async () => {
    const editor = await scratch('const a = 2;\nconst b = a * missing;\n');
    const document = editor.document;
    editor.selection = new vscode.Selection(0, 0, 1, 22);
    const result = await showGraphOf(editor);
    assert.ok(result && !result.ok);
    const [diagnostic] = vscode.languages.getDiagnostics(document.uri);
    assert.ok(diagnostic, 'a diagnostic');
    assert.match(diagnostic.message, /`missing` is not defined/);
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character], [1, 14, 21]);
    await editor.edit((edit) => edit.replace(new vscode.Range(1, 14, 1, 21), '3'));
    editor.selection = new vscode.Selection(0, 0, 1, 16);
    const fixed = await showGraphOf(editor);
    assert.ok(fixed?.ok, JSON.stringify(fixed));
    assert.equal(vscode.languages.getDiagnostics(document.uri).length, 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the panel survives being closed and reopened', async () => {
    const gradientGraph = await api();
    const editor = await open('neuron.ts');
    selectLines(editor, 'const x1', 'const o');
    await vscode.commands.executeCommand('gradientGraph.show');
    const panelTab = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === 'Gradient Graph');
    const tab = panelTab();
    assert.ok(tab, 'the panel is open');
    await vscode.window.tabGroups.close(tab);
    assert.equal(panelTab(), undefined);
    // The panel's dispose event reaches the extension after the tab is gone.
    for (let waited = 0; gradientGraph.panelOpen && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(gradientGraph.panelOpen, false, 'the extension saw the panel close');
    await open('neuron.ts');
    selectLines(vscode.window.activeTextEditor!, 'const x1', 'const o');
    const rendered = gradientGraph.nextRender();
    const result = await showGraphOf(editor);
    assert.ok(result?.ok);
    assert.equal((await rendered).type, 'rendered');
    // The editor's tab model learns of the new panel asynchronously.
    for (let waited = 0; !panelTab() && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(panelTab(), 'the panel is open again');
    const o = nodesOf(result.graph)[result.graph.output];
    assert.ok(Math.abs(o.data - Math.SQRT1_2) < 1e-12);
  });
});
