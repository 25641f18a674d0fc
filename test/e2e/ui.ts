// Helpers for tests that drive the workbench as a person would (playwright-core against
// code-server): open files, run commands from the palette, hover words, read webviews, take screenshots.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser, removeRunDir, repoRoot, startCodeServer, workbenchUrl, type CodeServer, type CodeServerOptions } from './codeServer.ts';

export interface WorkbenchSession {
  server: CodeServer;
  context: BrowserContext;
  /** The workbench's tab, ready for input. */
  page: Page;
  /** Closes the browser and stops the server; with `passed`, also removes the run's folder. */
  close(passed?: boolean): Promise<void>;
}

/**
 * Starts code-server and Chromium and opens the workbench on `options.workspace`, with
 * `options.extensionDevelopmentPath` loaded in development mode.
 */
export async function startWorkbench(options: CodeServerOptions): Promise<WorkbenchSession> {
  const server = await startCodeServer(options);
  let context: BrowserContext | undefined;
  try {
    context = await launchBrowser(path.join(server.dir, 'chromium'));
    const page = context.pages()[0] ?? (await context.newPage());
    await openWorkbench(page, server, options.workspace, options.extensionDevelopmentPath);
    const browser = context;
    return {
      server,
      context: browser,
      page,
      async close(passed = false) {
        await browser.close();
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
async function waitForActiveFile(page: Page, fileName: string): Promise<void> {
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

/** Saves a screenshot of the whole window as .e2e/screenshots/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(repoRoot, '.e2e', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
