// Helpers for tests that drive the workbench as a person would (playwright-core against
// code-server): open files, run commands from the palette, hover words, read webviews, take screenshots;
// and for the runner: put the workbench in a known state (resetWorkbench) and keep what a failure
// leaves (saveFailure). Every wait is for a state of the page, never for a length of time.
import { copyFileSync, cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser, removeRunDir, repoRoot, serverLogs, startCodeServer, workbenchUrl, type CodeServer, type CodeServerOptions, type Keybinding } from './codeServer.ts';

/**
 * Workbench commands that resetWorkbench runs, each bound (in the run's own keybindings.json) to a key
 * that no default binding uses. A key pressed in the workbench runs its command at once, whatever the
 * VS Code version calls the command in the palette.
 */
const COMMAND_KEYS = {
  'workbench.action.closeQuickOpen': 'ctrl+alt+shift+f1',
  'workbench.action.closeAllGroups': 'ctrl+alt+shift+f2',
  'workbench.action.closePanel': 'ctrl+alt+shift+f3',
  'workbench.action.closeAuxiliaryBar': 'ctrl+alt+shift+f4',
  'notifications.clearAll': 'ctrl+alt+shift+f5',
  'workbench.view.explorer': 'ctrl+alt+shift+f6',
  'workbench.action.selectTheme': 'ctrl+alt+shift+f7',
  'workbench.action.focusFirstEditorGroup': 'ctrl+alt+shift+f8',
} as const;

type WorkbenchCommand = keyof typeof COMMAND_KEYS;

const commandKeybindings: Keybinding[] = Object.entries(COMMAND_KEYS).map(([command, key]) => ({ key, command }));

/** Runs one of COMMAND_KEYS's commands by pressing its key (Playwright spells ctrl+alt+shift+f2 Control+Alt+Shift+F2). */
async function runWorkbenchCommand(page: Page, command: WorkbenchCommand): Promise<void> {
  const key = COMMAND_KEYS[command].split('+').map((part) => ({ ctrl: 'Control', alt: 'Alt', shift: 'Shift' })[part] ?? part.toUpperCase()).join('+');
  await page.keyboard.press(key);
}

export interface WorkbenchSession {
  server: CodeServer;
  context: BrowserContext;
  /** The workbench's tab, ready for input. */
  page: Page;
  /** The browser's console messages and page errors, as they come (the workbench logs its errors there too). */
  consoleLog: string;
  /** Closes the browser and stops the server; with `passed`, also removes the run's folder. */
  close(passed?: boolean): Promise<void>;
}

/**
 * Starts code-server and Chromium and opens the workbench on `options.workspace`, with
 * `options.extensionDevelopmentPath` loaded in development mode.
 */
export async function startWorkbench(options: CodeServerOptions): Promise<WorkbenchSession> {
  const server = await startCodeServer({ ...options, userKeybindings: [...commandKeybindings, ...(options.userKeybindings ?? [])] });
  let context: BrowserContext | undefined;
  try {
    context = await launchBrowser(path.join(server.dir, 'chromium'));
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLog = path.join(server.dir, 'browser-console.log');
    const browserConsole = createWriteStream(consoleLog);
    page.on('console', (message) => browserConsole.write(`${new Date().toISOString()} [${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => browserConsole.write(`${new Date().toISOString()} [pageerror] ${error.stack ?? String(error)}\n`));
    await openWorkbench(page, server, options.workspace, options.extensionDevelopmentPath);
    const browser = context;
    return {
      server,
      context: browser,
      page,
      consoleLog,
      async close(passed = false) {
        await browser.close();
        await new Promise((resolve) => browserConsole.end(resolve));
        await server.stop();
        if (passed) removeRunDir(server.dir);
      },
    };
  } catch (error) {
    await context?.close();
    await server.stop();
    throw error;
  }
}

/**
 * Loads the workbench for `folder` in `page` and waits until it is ready: the Explorer shows the
 * folder's files. Extensions may still be activating then: a command run from the palette
 * activates its extension, and hoverWord tries again until a hover shows.
 */
export async function openWorkbench(page: Page, server: CodeServer, folder: string, extensionDevelopmentPath?: string): Promise<void> {
  await page.goto(workbenchUrl(server, folder, { extensionDevelopmentPath }));
  const explorer = page.locator('.explorer-folders-view');
  await explorer.waitFor({ timeout: 30_000 });
  if (readdirSync(folder).length > 0) await explorer.locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
}

/** The editor area's active editor (the one that has the text cursor). */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/**
 * Clicks into the text editor of the first editor group and waits until that group is the active one with
 * the focus in it. If a webview has the focus (a click in the panel), first waits until the workbench has
 * made the webview's group the active one: the webview reports its focus late (see
 * waitForWebviewGroupActive), and a report after the click would take the focus back.
 */
export async function focusFirstEditor(page: Page): Promise<Locator> {
  const webviewFocused = await page.evaluate(() => document.activeElement instanceof HTMLIFrameElement && document.activeElement.classList.contains('webview'));
  if (webviewFocused) await waitForWebviewGroupActive(page);
  const editor = page.locator('.editor-group-container').first().locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').click();
  await page.waitForFunction(() => {
    const first = document.querySelector('.editor-group-container');
    return first !== null && first.classList.contains('active') && first.contains(document.activeElement);
  });
  return editor;
}

/** The active editor's visible text, one line per line (the editor draws spaces as U+00A0). */
export async function editorText(page: Page): Promise<string> {
  const lines = await activeEditor(page).locator('.view-lines .view-line').evaluateAll((elements) =>
    elements
      .map((element) => ({ top: element.getBoundingClientRect().top, text: element.textContent ?? '' }))
      .sort((a, b) => a.top - b.top) // Lines are not in DOM order once scrolled.
      .map((line) => line.text.replace(/\u00a0/g, ' ')),
  );
  return lines.join('\n');
}

/** Waits until the active tab is `fileName` and its text is shown. */
export async function waitForActiveFile(page: Page, fileName: string): Promise<void> {
  await page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName}"]`).waitFor();
  await activeEditor(page).locator('.view-lines').waitFor();
}

/** Opens a file by clicking its row in the Explorer (top-level files and already expanded folders). */
export async function openFileFromExplorer(page: Page, fileName: string): Promise<void> {
  await page.locator('.explorer-folders-view').getByRole('treeitem', { name: fileName, exact: true }).click();
  await waitForActiveFile(page, fileName);
}

/** Opens a file through Quick Open (Ctrl+P), typing its workspace-relative path. */
export async function quickOpen(page: Page, relativePath: string): Promise<void> {
  const fileName = path.basename(relativePath);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(relativePath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor();
  await page.keyboard.press('Enter');
  await waitForActiveFile(page, fileName);
}

/** Runs a command as a person would: F1, its title (such as "Gradient Graph: Show Graph"), Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // Enter runs the highlighted row: wait until that is the command itself, not a longer title.
  const exactTitle = new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page.locator('.quick-input-list .monaco-list-row.focused .label-name').filter({ hasText: exactTitle }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The content of the (single) webview panel: its outer iframe holds the extension's page in #active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('#active-frame');
}

/**
 * Waits until the editor group that shows the (single) webview is the active group: the state that
 * a click in the webview leads to. The webview tells the workbench that it has the focus only when it
 * next polls its focus (every 250 ms): a shortcut pressed in the webview before that is forwarded,
 * handled, and then overridden by that late report. Ctrl+1 pressed right after a click in the panel
 * focused the first group's editor, and the late report made the panel's group the active one again,
 * with the text cursor still in the editor: no editor was active any more.
 */
export async function waitForWebviewGroupActive(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const webview = document.querySelector('iframe.webview');
    const group = document.querySelector('.editor-group-container.active');
    if (!webview || !group) return false;
    const inner = webview.getBoundingClientRect();
    const outer = group.getBoundingClientRect();
    const x = inner.left + inner.width / 2;
    const y = inner.top + inner.height / 2;
    return x > outer.left && x < outer.right && y > outer.top && y < outer.bottom;
  }, undefined, { timeout: 10_000 });
}

/** A colour theme as the theme picker lists it and as the workbench's element names it in its class. */
export interface ColorTheme {
  /** Its label in the picker, such as "Dark Modern". */
  label: string;
  /** The class the workbench then carries, such as vscode-theme-defaults-themes-dark_modern-json. */
  workbenchClass: string;
}

export const DARK_MODERN: ColorTheme = { label: 'Dark Modern', workbenchClass: 'vscode-theme-defaults-themes-dark_modern-json' };

/** The workbench element has `className`. */
async function workbenchHas(page: Page, className: string): Promise<boolean> {
  return (await page.locator(`.monaco-workbench.${className}`).count()) > 0;
}

/**
 * Puts the workbench in the state every UI test starts from, running each command in the workbench
 * only when its state is not there yet and waiting for the state it leads to: no quick input; no editor
 * and no webview, one editor group; no panel and no secondary side bar; no notification; the side bar
 * shown with the Explorer; `theme`; the focus in the (empty) first editor group, the mouse over it.
 *
 * The theme is set here rather than in the user settings: code-server is installed inside the
 * repository (.vscode-test/), so its built-in themes lie inside the extension under development, and
 * the workbench then starts in the first of them that matches the default (light) type, whatever
 * workbench.colorTheme says.
 */
export async function resetWorkbench(page: Page, theme: ColorTheme = DARK_MODERN): Promise<void> {
  // A key pressed while a webview has the focus reaches the workbench only when the webview forwards it:
  // take the focus back into the workbench's own page first.
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLIFrameElement) document.activeElement.blur();
  });
  const quickInput = page.locator('.quick-input-widget');
  if (await quickInput.isVisible()) {
    await runWorkbenchCommand(page, 'workbench.action.closeQuickOpen');
    await quickInput.waitFor({ state: 'hidden' });
  }

  await runWorkbenchCommand(page, 'workbench.action.closeAllGroups');
  await page.waitForFunction(() => document.querySelectorAll('.editor-group-container').length === 1
    && document.querySelectorAll('.editor-group-container .tab').length === 0
    && document.querySelectorAll('iframe.webview').length === 0);

  if (!(await workbenchHas(page, 'nopanel'))) {
    await runWorkbenchCommand(page, 'workbench.action.closePanel');
    await page.locator('.monaco-workbench.nopanel').waitFor({ state: 'attached' });
  }
  if (!(await workbenchHas(page, 'noauxiliarybar'))) {
    await runWorkbenchCommand(page, 'workbench.action.closeAuxiliaryBar');
    await page.locator('.monaco-workbench.noauxiliarybar').waitFor({ state: 'attached' });
  }
  const toasts = page.locator('.notification-toast');
  if ((await toasts.count()) > 0) {
    await runWorkbenchCommand(page, 'notifications.clearAll');
    await page.waitForFunction(() => document.querySelectorAll('.notification-toast').length === 0);
  }

  const explorerRows = page.locator('.explorer-folders-view .monaco-list-row');
  if ((await workbenchHas(page, 'nosidebar')) || !(await explorerRows.first().isVisible())) {
    await runWorkbenchCommand(page, 'workbench.view.explorer');
    await page.locator('.monaco-workbench:not(.nosidebar)').waitFor({ state: 'attached' });
    await explorerRows.first().waitFor();
  }

  if (!(await workbenchHas(page, theme.workbenchClass))) {
    // The picker lists the themes the workbench knows when it opens. Just after the start it knows none
    // (the built-in extensions' themes are registered a few seconds later, and then the workbench
    // switches to one of them, which gives its element a vscode-theme-… class): wait for that first.
    await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached' });
    await runWorkbenchCommand(page, 'workbench.action.selectTheme');
    await pickFromQuickInput(page, theme.label);
    await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached' });
  }

  await runWorkbenchCommand(page, 'workbench.action.focusFirstEditorGroup');
  const group = page.locator('.editor-group-container.active');
  await page.waitForFunction(() => {
    const first = document.querySelector('.editor-group-container');
    return first !== null && first.classList.contains('active') && first.contains(document.activeElement);
  });
  // Away from anything that shows a hover when an editor opens under it.
  const box = await group.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * In an open quick input (a picker), types `label` and picks the row of that label once it is the
 * highlighted one, then waits until the quick input has closed.
 */
export async function pickFromQuickInput(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(label);
  const exactLabel = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page.locator('.quick-input-list .monaco-list-row.focused .label-name').filter({ hasText: exactLabel }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Hovers the first occurrence of `word` in the active editor's visible text (or the `word` inside the
 * first occurrence of `context`, such as `a` in `a * b`) and resolves with the text of the hover.
 */
export async function hoverWord(page: Page, word: string, context = word): Promise<string> {
  const lines = activeEditor(page).locator('.view-lines');
  await lines.waitFor();
  const box = await lines.evaluate((root, { target, around }) => {
    // A line is many spans (one per token): find `around` in a whole line, then the text node holding `target`.
    for (const line of Array.from(root.querySelectorAll('.view-line'))) {
      const texts: Text[] = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
      // The editor renders spaces as non-breaking spaces.
      const whole = texts.map((text) => text.data).join('').replace(/\u00a0/g, ' ');
      const found = whole.indexOf(around);
      if (found < 0) continue;
      let offset = found + around.indexOf(target);
      for (const text of texts) {
        if (offset < text.data.length) {
          const range = document.createRange();
          range.setStart(text, offset);
          range.setEnd(text, Math.min(text.data.length, offset + target.length));
          const { x, y, width, height } = range.getBoundingClientRect();
          return { x, y, width, height };
        }
        offset -= text.data.length;
      }
    }
    return undefined;
  }, { target: word, around: context });
  if (!box) throw new Error(`"${context}" is not visible in the active editor (as one run of text)`);
  const editorBox = await activeEditor(page).boundingBox();
  if (!editorBox) throw new Error('no active editor');
  const hover = page.locator('.monaco-hover').filter({ visible: true }).first();
  // A hover provider registered late (extension still activating) shows nothing: try again, each
  // time from the editor's left margin (leaving the editor altogether does not reset its hover).
  const attempts = 6;
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(editorBox.x + 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    try {
      await hover.waitFor({ timeout: 3000 });
      // A slow provider first shows "Loading...".
      await hover.filter({ hasNotText: /^\s*Loading\.\.\.\s*$/ }).waitFor({ timeout: 15_000 });
      return (await hover.innerText()).trim();
    } catch (error) {
      if (attempt === attempts) throw error;
    }
  }
}

/** Saves a screenshot of the whole window as .e2e/screenshots/NAME.png (or in `dir`) and returns its path. */
export async function screenshot(page: Page, name: string, dir = path.join(repoRoot, '.e2e', 'screenshots')): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Writes the workbench's own logs into `dir` (window.log and the others, as they are at this moment)
 * and returns their paths. The web workbench keeps them in the browser, in the IndexedDB database
 * vscode-web-db (store vscode-logs-store, one record per file, keyed /TIMESTAMP/NAME.log).
 */
export async function saveWorkbenchLogs(page: Page, dir: string): Promise<string[]> {
  const records = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('vscode-web-db');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('cannot open vscode-web-db'));
    });
    try {
      if (!db.objectStoreNames.contains('vscode-logs-store')) return [];
      const store = db.transaction('vscode-logs-store').objectStore('vscode-logs-store');
      const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map((request) => new Promise<unknown[]>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error ?? new Error('cannot read vscode-logs-store'));
      })));
      return keys.map((key, index) => {
        const value = values[index];
        const text = value instanceof Uint8Array ? new TextDecoder().decode(value) : typeof value === 'string' ? value : JSON.stringify(value);
        return { file: String(key), text };
      });
    } finally {
      db.close();
    }
  });
  const files: string[] = [];
  for (const { file, text } of records) {
    // Drop the leading /TIMESTAMP/: one window per run.
    const relative = file.split('/').filter((part) => part && part !== '..').slice(1).join(path.sep);
    if (!relative) continue;
    const target = path.join(dir, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    files.push(target);
  }
  return files;
}

/** What saveFailure kept, as paths. */
export interface FailureRecord {
  dir: string;
  screenshot: string | undefined;
  /** The workbench's window.log (from the browser). */
  workbenchLog: string | undefined;
  /** The extension host's log (from code-server's user data). */
  extensionHostLog: string | undefined;
  /** What could not be kept, and why. */
  notes: string[];
}

/**
 * Keeps what a failed test leaves, in a fresh `dir`: a screenshot, the workbench's logs (workbench/,
 * from the browser), code-server's logs (server/: remoteagent.log, exthost1/remoteexthost.log and one
 * folder per extension's output channels), code-server's own output and the browser console. Each
 * part that cannot be kept is named in `notes` instead.
 */
export async function saveFailure(session: Pick<WorkbenchSession, 'page' | 'server'> & { consoleLog?: string }, dir: string): Promise<FailureRecord> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const notes: string[] = [];
  const record: FailureRecord = { dir, screenshot: undefined, workbenchLog: undefined, extensionHostLog: undefined, notes };
  try {
    record.screenshot = await screenshot(session.page, 'screenshot', dir);
  } catch (error) {
    notes.push(`no screenshot: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    const files = await saveWorkbenchLogs(session.page, path.join(dir, 'workbench'));
    record.workbenchLog = files.find((file) => path.basename(file) === 'window.log');
    if (!record.workbenchLog) notes.push('no window.log in the browser');
  } catch (error) {
    notes.push(`no workbench logs: ${(error as Error).message.split('\n')[0]}`);
  }
  const logs = serverLogs(session.server.userDataDir);
  if (existsSync(logs.dir)) {
    cpSync(logs.dir, path.join(dir, 'server'), { recursive: true });
    if (logs.extensionHost) record.extensionHostLog = path.join(dir, 'server', path.relative(logs.dir, logs.extensionHost));
    else notes.push('no extension host log yet');
  } else {
    notes.push(`no server logs in ${logs.dir}`);
  }
  for (const [file, name] of [[session.server.logFile, 'code-server.log'], [session.consoleLog, 'browser-console.log']] as const) {
    if (file !== undefined && existsSync(file)) copyFileSync(file, path.join(dir, name));
  }
  return record;
}
