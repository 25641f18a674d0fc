// UI tests that act as a person would: playwright-core drives Debian's Chromium against code-server with
// the extension loaded, on a copy of examples/. Each step starts from the same workbench (resetWorkbench:
// no editor, no panel, the Explorer shown, Dark Modern, the focus in the first group), sets up what it
// needs as a person would, and saves screenshots under .e2e/screenshots/. A failed step keeps its
// screenshot and the workbench's, the server's and the extension host's logs in .e2e/failures/ui-N/ and
// prints their paths. Prints a closing line `N passed, N failed` and exits 1 if any step failed.
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { freshRunDir, removeRunDir, repoRoot } from './codeServer.ts';
import { lowContrastTexts } from './contrast.ts';
import { activeEditor, editorText, focusFirstEditor, hoverWord, openFileFromExplorer, pickFromQuickInput, resetWorkbench, runCommand, saveFailure, screenshot, startWorkbench, waitForWebviewGroupActive, webviewFrame, type WorkbenchSession } from './ui.ts';

const COMMAND = 'Gradient Graph: Show Gradient Graph';

interface Step {
  readonly name: string;
  /** What the step needs beyond the reset workbench, done as a person would (not timed as the step's own). */
  readonly given?: (page: Page, frame: FrameLocator) => Promise<void>;
  run(page: Page, frame: FrameLocator): Promise<void>;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** The text of the graph drawn in the panel (the SVG's text, spaces normalised). */
async function graphText(frame: FrameLocator): Promise<string> {
  const svg = frame.locator('svg[id^="gradient-graph-"]').first();
  await svg.waitFor({ timeout: 60_000 });
  return (await svg.textContent() ?? '').replace(/\s+/g, ' ');
}

/**
 * Selects whole lines `first`..`last` (1-based) with the keyboard: Ctrl+G to the first, Shift+Down to the
 * last; waits until the status bar shows the selection.
 */
async function selectLines(page: Page, first: number, last: number): Promise<void> {
  await activeEditor(page).click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await page.keyboard.type(String(first));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`^\\s*Ln ${first},`) }).waitFor();
  await page.keyboard.press('Home');
  for (let line = first; line < last; line++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  await page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`^\\s*Ln ${last},.*selected`) }).waitFor();
}

/**
 * micrograd.ts opened from the Explorer, its lines 3-9 selected and Show Gradient Graph run from the
 * palette; waits until the panel has drawn the graph and the editor is the active one again.
 */
async function showMicrogradGraph(page: Page, frame: FrameLocator): Promise<void> {
  await openFileFromExplorer(page, 'micrograd.ts');
  await selectLines(page, 3, 9);
  await runCommand(page, COMMAND);
  await graphText(frame);
  await activeEditor(page).locator('.view-lines').waitFor();
}

/** Waits until no animation runs in the panel's diagram (a view change such as Fit may animate it). */
async function viewSettled(frame: FrameLocator): Promise<void> {
  await frame.locator('.canvas').first().evaluate(async (canvas) => {
    await Promise.all(canvas.getAnimations({ subtree: true }).map((animation) => animation.finished));
  });
}

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)`/`rgba(…)` colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((part) => Number(part) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Picks a colour theme as a person would (Ctrl+K Ctrl+T, type its name, Enter) and waits until the panel
 * has the theme's body class and has drawn a new SVG (each drawing has a new id).
 */
async function pickColorTheme(page: Page, frame: FrameLocator, theme: string, bodyClass: string): Promise<void> {
  const svg = frame.locator('svg[id^="gradient-graph-"]').first();
  const before = await svg.getAttribute('id');
  const alreadyThere = (await frame.locator(`body.${bodyClass}`).count()) > 0;
  await focusFirstEditor(page);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  await pickFromQuickInput(page, theme);
  await frame.locator(`body.${bodyClass}`).waitFor({ timeout: 15_000 });
  if (!alreadyThere) await frame.locator(`svg[id^="gradient-graph-"]:not([id="${before}"])`).waitFor({ timeout: 30_000 });
}

/** The budget of boxes a picture draws (gradientGraph.maxBoxes' default). */
const BUDGET = 60;

/** Opens a file from the Explorer, selects all of it and runs the command; waits for the picture. */
async function showWholeFile(page: Page, frame: FrameLocator, file: string): Promise<void> {
  await openFileFromExplorer(page, file);
  await activeEditor(page).click();
  await page.keyboard.press('Control+A');
  await runCommand(page, COMMAND);
  await graphText(frame);
  await viewSettled(frame);
}

/** What the panel drew: its boxes (operations aside), the frames' and group boxes' names, and the output's box on screen. */
async function drawnPicture(frame: FrameLocator): Promise<{ boxes: number; frames: string[]; groups: string[]; output?: { inView: boolean; textHeight: number } }> {
  return frame.locator('body').evaluate(() => {
    const svg = document.querySelector('svg[id^="gradient-graph-"]')!;
    const port = document.querySelector('.viewport')!.getBoundingClientRect();
    const output = svg.querySelector('g.node.output');
    const rect = output?.getBoundingClientRect();
    const text = output?.querySelector('.nodeLabel span, .nodeLabel')?.getBoundingClientRect();
    return {
      boxes: svg.querySelectorAll('g.node:not(.operation)').length,
      frames: Array.from(svg.querySelectorAll('g.cluster .cluster-label')).map((label) => (label.textContent ?? '').trim()),
      groups: Array.from(svg.querySelectorAll('g.node.group')).map((node) => (node.textContent ?? '').trim()),
      output: rect === undefined ? undefined : {
        inView: rect.left >= port.left - 1 && rect.right <= port.right + 1 && rect.top >= port.top - 1 && rect.bottom <= port.bottom + 1,
        textHeight: text?.height ?? 0,
      },
    };
  });
}

/** A snippet that uses the API as a user writes it, and ends with the one mistake the types catch (line 9). */
const TYPED_SNIPPET = [
  'const mlp = new MLP(3, [4, 4, 1]);',
  'const optimizer = new SGD(mlp.parameters(), { lr: 0.05 });',
  'const y = mlp([2, 3, -1]);',
  'const loss = (y - 1) ** 2;',
  'optimizer.zeroGrad();',
  'loss.backward();',
  'optimizer.step();',
  'const pair = new MLP(3, [4, 2])([2, 3, -1]);',
  'const wrong = (pair - 1) ** 2;',
  'mlp.layers[0].neurons[0].w[0].grad + wrong',
  '',
].join('\n');

/** The Problems panel's rows (Ctrl+Shift+M opens it), as their text. */
async function problemRows(page: Page): Promise<string[]> {
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** The active editor's text as drawn, inlay hints included (they are spans of their own in `.view-lines`). */
function editorLines(page: Page) {
  return activeEditor(page).locator('.view-lines');
}

/** The same as one string, with the editor's non-breaking spaces as spaces. */
async function editorLinesText(page: Page): Promise<string> {
  return ((await editorLines(page).textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Puts the cursor at the end of line `line` (1-based) of the first group's editor, with Ctrl+G. */
async function cursorAtEndOf(page: Page, line: number): Promise<void> {
  await focusFirstEditor(page);
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.keyboard.press('End');
  await page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`^\\s*Ln ${line},`) }).waitFor();
}

/** Undoes until the active tab has no unsaved changes, so that closing it asks nothing. */
async function undoToSaved(page: Page): Promise<void> {
  // Whichever group is active (a live update may have left the panel's), the edit is undone in the editor:
  // a dirty tab left behind would be saved by the next step's reset, and every later step would see it.
  const dirty = page.locator('.tab.dirty');
  await focusFirstEditor(page);
  for (let tries = 0; tries < 20 && (await dirty.count()) > 0; tries++) await page.keyboard.press('Control+Z');
  await dirty.first().waitFor({ state: 'detached' });
}

/** Turns gradientGraph.liveMode on or off in the Settings editor, as a person would, and closes it. */
async function setLiveMode(page: Page, on: boolean): Promise<void> {
  await focusFirstEditor(page).catch(() => undefined);
  await runCommand(page, 'Preferences: Open Settings (UI)');
  const editor = page.locator('.settings-editor');
  await editor.waitFor();
  await page.keyboard.type('gradientGraph.liveMode');
  // The search finds this one setting: its checkbox is the only one shown.
  const checkbox = editor.locator('.settings-body .setting-value-checkbox');
  await checkbox.waitFor();
  if ((await checkbox.getAttribute('aria-checked')) !== String(on)) await checkbox.click();
  await editor.locator(`.settings-body .setting-value-checkbox[aria-checked="${on}"]`).waitFor();
  await page.locator('.editor-group-container.active .tab.active .tab-actions .action-label').click();
  await editor.waitFor({ state: 'detached' });
}

/** Opens the panel's Export menu from its toolbar button and runs the item named `label`. */
async function runExportItem(frame: FrameLocator, label: string): Promise<void> {
  await frame.locator('button[data-action="export"]').click();
  await frame.getByRole('menuitem', { name: label }).click();
  await frame.locator('.export-menu').waitFor({ state: 'hidden' });
}

/**
 * Accepts VS Code's own save dialog (the simple file dialog: a quick input holding the proposed path) as
 * proposed; returns that path once the extension's status bar note says it was saved.
 */
async function acceptSaveDialog(page: Page): Promise<string> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await page.waitForFunction(() => /\.\w+$/.test(document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? ''));
  const proposed = await input.inputValue();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar', { hasText: `Gradient Graph: saved ${path.basename(proposed)}` }).waitFor({ timeout: 15_000 });
  return proposed;
}

/** Whether two computed colours (`rgb(…)`, or Chromium's `color(srgb …)` for a mixed one) are the same to a unit in 255. */
function sameColour(first: string, second: string): boolean {
  const channels = (colour: string) => (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => (colour.startsWith('color(') ? Number(part) * 255 : Number(part)));
  const [a, b] = [channels(first), channels(second)];
  return a.length === 3 && b.length === 3 && a.every((value, index) => Math.abs(value - b[index]) <= 1);
}

/** The text of an SVG file as a reader sees it: the tags dropped, spaces normalised. */
const svgText = (svg: string) => svg.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

const steps: Step[] = [
  {
    name: "select micrograd's lines with the keyboard, F1, Show Gradient Graph: the panel shows ∂L/∂a = 6 and ∂L/∂b = -4",
    async run(page, frame) {
      await openFileFromExplorer(page, 'micrograd.ts');
      await selectLines(page, 3, 9);
      await screenshot(page, '1-selected');
      await runCommand(page, COMMAND);
      const text = await graphText(frame);
      await screenshot(page, '2-graph');
      check(/a \| data 2\.0000 \| grad 6\.0000/.test(text), `no "a | data 2.0000 | grad 6.0000" in the graph: ${text.slice(0, 400)}`);
      check(/b \| data -3\.0000 \| grad -4\.0000/.test(text), `no "b | data -3.0000 | grad -4.0000" in the graph: ${text.slice(0, 400)}`);
      check(/L \| data -8\.0000 \| grad 1\.0000/.test(text), 'no output L in the graph');
      // The picture in the README: the Explorer hidden, so the panel has room, the graph fitted to it.
      await page.keyboard.press('Control+B');
      await page.locator('.monaco-workbench.nosidebar').waitFor({ state: 'attached' });
      // By its accessible name: the text "Fit", or an icon's aria-label "Fit the graph in the panel (F)".
      await frame.getByRole('button', { name: /^Fit\b/ }).first().click();
      // The click makes the panel's group the active one once the webview reports its focus: wait for
      // that, so that the report cannot come after whatever is done next (see waitForWebviewGroupActive).
      await waitForWebviewGroupActive(page);
      await viewSettled(frame);
      await screenshot(page, 'readme');
    },
  },
  {
    name: 'hovering a in the editor shows its value and gradient',
    given: showMicrogradGraph,
    async run(page) {
      const hover = await hoverWord(page, 'a', 'a * b');
      await screenshot(page, '3-hover');
      check(hover.includes('a = 2.0000 · ∂L/∂a = 6.0000'), `hover: ${hover}`);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: "clicking the node d in the panel selects d's source in the editor",
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
      await frame.locator('aside.details', { hasText: 'e + c' }).waitFor();
      // d = e + c is line 8; its expression `e + c` is 5 characters.
      const selected = page.locator('#status\\.editor\\.selection', { hasText: '5 selected' });
      await selected.waitFor({ timeout: 15_000 });
      const selection = (await selected.innerText()).trim();
      await screenshot(page, '4-clicked-d');
      check(/Ln 8, Col 1[16]/.test(selection), `status bar selection: ${selection}`);
    },
  },
  {
    name: 'switching from a dark to a light theme re-renders the panel in light colours',
    given: showMicrogradGraph,
    async run(page, frame) {
      await pickColorTheme(page, frame, 'Dark Modern', 'vscode-dark');
      await screenshot(page, '5-dark');
      await pickColorTheme(page, frame, 'Light Modern', 'vscode-light');
      // In the light theme the page is light and the labels are dark.
      const colours = await frame.locator('svg[id^="gradient-graph-"] g.node').first().evaluate((node) => {
        const label = node.querySelector('foreignObject div, foreignObject span, text') ?? node;
        const style = getComputedStyle(label);
        return { background: getComputedStyle(document.body).backgroundColor, text: label.tagName.toLowerCase() === 'text' ? style.fill : style.color };
      });
      await screenshot(page, '6-light');
      check(luminance(colours.background) > 0.6, `page background in the light theme: ${colours.background}`);
      check(luminance(colours.text) < 0.4, `label colour in the light theme: ${colours.text}`);
      check(/a \| data 2\.0000 \| grad 6\.0000/.test(await graphText(frame)), 'the light graph lost its values');
    },
  },
  {
    name: "the first picture shows micrograd's output, at a readable size",
    async run(page, frame) {
      await showMicrogradGraph(page, frame);
      await viewSettled(frame);
      const measured = await frame.locator('body').evaluate(() => {
        const port = document.querySelector('.viewport')!.getBoundingClientRect();
        const output = Array.from(document.querySelectorAll('g.node')).find((node) => /^\s*L \|/.test(node.textContent ?? ''))!.getBoundingClientRect();
        const svg = document.querySelector('.canvas svg')!;
        const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('width') ?? svg.getBoundingClientRect().width);
        const label = document.querySelector('g.node .nodeLabel')!;
        return { inside: output.left >= port.left && output.right <= port.right && output.top >= port.top && output.bottom <= port.bottom, textPx: parseFloat(getComputedStyle(label).fontSize) * scale };
      });
      await screenshot(page, '7-first-picture');
      check(measured.inside, 'the output L is in view');
      check(measured.textPx >= 8.95, `labels are ${measured.textPx.toFixed(2)} px on screen`);
    },
  },
  {
    name: 'the toolbar fits a half-width panel; in a narrow one, More actions holds the rest',
    given: showMicrogradGraph,
    async run(page, frame) {
      const overlaps = () => frame.locator('.toolbar').evaluate((bar) => {
        const box = bar.getBoundingClientRect();
        const parts = Array.from(bar.children).filter((child) => !(child as HTMLElement).hidden && child.getClientRects().length > 0 && !child.classList.contains('spacer') && !child.classList.contains('menu'))
          .flatMap((child) => (child.classList.contains('actions') ? Array.from(child.children).filter((item) => !(item as HTMLElement).hidden) : [child]))
          .map((child) => child.getBoundingClientRect()).filter((rect) => rect.width > 0);
        const outside = parts.filter((rect) => rect.left < box.left - 0.5 || rect.right > box.right + 0.5).length;
        let overlapping = 0;
        for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) if (parts[i].right > parts[j].left + 0.5 && parts[j].right > parts[i].left + 0.5) overlapping++;
        return { outside, overlapping, count: parts.length };
      });
      const half = await overlaps();
      check(half.outside === 0 && half.overlapping === 0, `half width: ${JSON.stringify(half)}`);
      check(await frame.locator('button.more').isHidden(), 'everything fits a half-width panel');
      await page.setViewportSize({ width: 900, height: 1000 });
      await frame.locator('button.more').waitFor();
      // Nobody moved the view: the narrower panel opens it again on the output.
      await frame.locator('body').evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await viewSettled(frame);
      const outputInView = await frame.locator('body').evaluate(() => {
        const port = document.querySelector('.viewport')!.getBoundingClientRect();
        const output = Array.from(document.querySelectorAll('g.node')).find((node) => /^\s*L \|/.test(node.textContent ?? ''))!.getBoundingClientRect();
        return output.left >= port.left - 1 && output.right <= port.right + 1 && output.top >= port.top - 1 && output.bottom <= port.bottom + 1;
      });
      check(outputInView, 'after the panel narrowed, the output L is in view');
      const narrow = await overlaps();
      check(narrow.outside === 0 && narrow.overlapping === 0, `narrow: ${JSON.stringify(narrow)}`);
      const before = await frame.locator('.zoom-label').first().textContent();
      await frame.locator('button.more').click();
      const item = frame.locator('.menu .menu-item').first();
      await item.waitFor();
      await screenshot(page, '8-narrow-toolbar');
      await item.click();
      await frame.locator('.menu').waitFor({ state: 'hidden' });
      check((await frame.locator('.zoom-label').first().textContent()) !== before || (await frame.locator('.menu-item').count()) === 0, 'the menu ran its action');
      await page.setViewportSize({ width: 1600, height: 1000 });
      await frame.locator('button.more').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'every text in the panel has a contrast of 4.5 or more in light, dark and both high-contrast themes',
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
      await frame.locator('aside.details .source').first().waitFor();
      for (const [theme, bodyClass] of [['Light Modern', 'vscode-light'], ['Dark High Contrast', 'vscode-high-contrast'], ['Light High Contrast', 'vscode-high-contrast-light'], ['Dark Modern', 'vscode-dark']] as const) {
        await pickColorTheme(page, frame, theme, bodyClass);
        await viewSettled(frame);
        const low = await lowContrastTexts(frame);
        await screenshot(page, `9-contrast-${bodyClass}`);
        check(low.length === 0, `${theme}: ${JSON.stringify(low.slice(0, 5))}`);
      }
    },
  },
  {
    name: "the error's location in the panel selects it in the editor",
    async run(page, frame) {
      await openFileFromExplorer(page, 'loop.ts');
      // The loop's first two lines without its closing brace do not parse: an error at the selection's end.
      await selectLines(page, 6, 7);
      await runCommand(page, COMMAND);
      const location = frame.locator('.banner.error button.error-location');
      await location.waitFor();
      await screenshot(page, '10-error');
      const text = (await location.textContent()) ?? '';
      const [, line, column] = /:(\d+):(\d+)$/.exec(text) ?? [];
      check(line !== undefined, `a location: ${text}`);
      await location.click();
      await page.locator('#status\\.editor\\.selection', { hasText: new RegExp(`Ln ${line}, Col ${column}`) }).waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'console.log lines are linked from the panel and shown in the Gradient Graph output channel',
    async run(page, frame) {
      await openFileFromExplorer(page, 'loop.ts');
      await selectLines(page, 3, 10);
      await runCommand(page, COMMAND);
      const link = frame.locator('button.logs-link');
      await link.waitFor();
      check(/1 log line/.test((await link.textContent()) ?? ''), 'one log line');
      await link.click();
      const output = page.locator('.part.panel .output-view, .part.panel .monaco-editor', { hasText: 'x after the loop' }).first();
      await output.waitFor({ timeout: 15_000 });
      await screenshot(page, '11-logs');
    },
  },
  {
    name: "the editor title's button shows the graph",
    async run(page, frame) {
      await openFileFromExplorer(page, 'micrograd.ts');
      await selectLines(page, 3, 9);
      await page.locator('.editor-group-container.active .editor-actions [aria-label^="Show Gradient Graph"]').first().click();
      check(/L \| data -8\.0000/.test(await graphText(frame)), 'the graph of L');
    },
  },
  {
    name: 'moving the cursor down the code keeps its node in view; Tab to a box moves the view, not the legend',
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.locator('button[data-action="oneToOne"]').click();
      await viewSettled(frame);
      await focusFirstEditor(page);
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget input').waitFor();
      await page.keyboard.type('3');
      await page.keyboard.press('Enter');
      for (let line = 3; line < 9; line++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      const highlighted = frame.locator('g.node.highlighted').first();
      await highlighted.waitFor();
      await viewSettled(frame);
      const inView = () => frame.locator('body').evaluate(() => {
        const port = document.querySelector('.viewport')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('g.node.highlighted')).every((node) => {
          const box = node.getBoundingClientRect();
          return box.left >= port.left - 1 && box.right <= port.right + 1 && box.top >= port.top - 1 && box.bottom <= port.bottom + 1;
        });
      });
      check(await inView(), 'the highlighted node is in view');
      const legendBefore = await frame.locator('.legend').boundingBox();
      await frame.locator('.viewport').focus();
      for (let step = 0; step < 7; step++) await page.keyboard.press('Tab');
      await viewSettled(frame);
      const legendAfter = await frame.locator('.legend').boundingBox();
      const scrolled = await frame.locator('.viewport').evaluate((port) => port.scrollLeft + port.scrollTop);
      check(scrolled === 0, `the viewport scrolled by ${scrolled}`);
      check(JSON.stringify(legendBefore) === JSON.stringify(legendAfter), `the legend moved: ${JSON.stringify(legendBefore)} → ${JSON.stringify(legendAfter)}`);
    },
  },
  {
    name: 'Ctrl+F in the panel finds a value by its source text and selects it',
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.locator('.viewport').click({ position: { x: 5, y: 5 } });
      await waitForWebviewGroupActive(page);
      await page.keyboard.press('Control+F');
      const input = frame.locator('.find-bar.shown input.find-input');
      await input.waitFor();
      await page.keyboard.type('e + c');
      await frame.locator('.find-result', { hasText: 'e + c' }).first().waitFor();
      await screenshot(page, '12-find');
      await page.keyboard.press('Enter');
      await frame.locator('aside.details h2', { hasText: /^d$/ }).waitFor();
      await frame.locator('g.node.selected', { hasText: /^\s*d \| data 4\.0000/ }).waitFor();
      await page.keyboard.press('Escape');
      await frame.locator('.find-bar.shown').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'a reloaded window shows the panel as it was left: the same picture, selection and zoom',
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
      await frame.locator('aside.details h2', { hasText: /^d$/ }).waitFor();
      await frame.locator('button[data-action="oneToOne"]').click();
      await viewSettled(frame);
      // A command's view is saved at once (a drag's or the wheel's within a quarter of a second).
      const zoom = await frame.locator('.zoom-label').first().textContent();
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForEvent('load');
      await page.locator('.monaco-workbench').waitFor();
      const restored = webviewFrame(page);
      const text = await graphText(restored);
      check(/L \| data -8\.0000 \| grad 1\.0000/.test(text), `the picture after the reload: ${text.slice(0, 200)}`);
      await restored.locator('aside.details h2', { hasText: /^d$/ }).waitFor({ timeout: 30_000 });
      await restored.locator('g.node.selected', { hasText: /^\s*d \| data 4\.0000/ }).waitFor();
      check((await restored.locator('.zoom-label').first().textContent()) === zoom, `zoom ${zoom} before, ${await restored.locator('.zoom-label').first().textContent()} after`);
      await screenshot(page, '13-reloaded');
    },
  },
  {
    name: "layers.ts's MLP: at most the budget of boxes, the output in view and readable, and a layer(…) opens on its neurons",
    async run(page, frame) {
      await showWholeFile(page, frame, 'layers.ts');
      const drawn = await drawnPicture(frame);
      check(drawn.boxes <= BUDGET && drawn.boxes >= 10, `${drawn.boxes} boxes (budget ${BUDGET})`);
      check(drawn.output !== undefined && drawn.output.inView && drawn.output.textHeight >= 9, `the output's box: ${JSON.stringify(drawn.output)}`);
      check(drawn.frames.some((label) => label.startsWith('mlp(')), `the frames: ${drawn.frames.join(', ')}`);
      await screenshot(page, '14-mlp-first');
      await page.keyboard.press('Control+B');
      await page.locator('.monaco-workbench.nosidebar').waitFor({ state: 'attached' });
      await viewSettled(frame);
      await screenshot(page, 'readme-mlp');
      await page.keyboard.press('Control+B');
      await page.locator('.monaco-workbench:not(.nosidebar)').waitFor({ state: 'attached' });
      const svg = frame.locator('svg[id^="gradient-graph-"]').first();
      const before = await svg.getAttribute('id');
      const layer = frame.locator('g.node.group', { hasText: /^\s*layer\(/ }).first();
      await layer.focus();
      await page.keyboard.press('Enter');
      await frame.locator(`svg[id^="gradient-graph-"]:not([id="${before}"])`).waitFor({ timeout: 30_000 });
      const opened = await drawnPicture(frame);
      check(opened.boxes <= BUDGET, `${opened.boxes} boxes after opening a layer`);
      check(opened.frames.some((label) => label.startsWith('layer(')), `the frames: ${opened.frames.join(', ')}`);
      check((await frame.locator('g.node.group', { hasText: /^\s*neuron\(/ }).count()) >= 4, 'its four neurons');
      await screenshot(page, '15-mlp-layer');
      // The README's pictures: the panel with room (the Explorer hidden), the first picture fitted, then one neuron opened.
      await page.keyboard.press('Control+B');
      await page.locator('.monaco-workbench.nosidebar').waitFor({ state: 'attached' });
      const neuronBefore = await svg.getAttribute('id');
      const neuron = frame.locator('g.node.group', { hasText: /^\s*neuron\(/ }).first();
      await neuron.focus();
      await page.keyboard.press('Enter');
      await frame.locator(`svg[id^="gradient-graph-"]:not([id="${neuronBefore}"])`).waitFor({ timeout: 30_000 });
      check((await drawnPicture(frame)).frames.some((label) => label.startsWith('neuron(')), 'the neuron opens as a frame');
      await viewSettled(frame);
      // The view moves to the frame just opened: its name is on screen.
      const named = await frame.locator('body').evaluate(() => {
        const port = document.querySelector('.viewport')!.getBoundingClientRect();
        return Array.from(document.querySelectorAll('g.cluster .cluster-label[data-frame]')).filter((label) => (label.textContent ?? '').trim().startsWith('neuron(')).some((label) => {
          const box = label.getBoundingClientRect();
          return box.left >= port.left && box.right <= port.right && box.top >= port.top && box.bottom <= port.bottom;
        });
      });
      check(named, "the opened neuron's frame is in view, its name a button that closes it");
      await screenshot(page, 'readme-mlp-neuron');
    },
  },
  {
    name: 'a loop of 5,000 iterations draws at most the budget, in runs of iterations, with the output in view',
    async run(page, frame) {
      await showWholeFile(page, frame, 'long-loop.ts');
      const drawn = await drawnPicture(frame);
      check(drawn.boxes <= BUDGET, `${drawn.boxes} boxes (budget ${BUDGET})`);
      check(drawn.output !== undefined && drawn.output.inView && drawn.output.textHeight >= 9, `the output's box: ${JSON.stringify(drawn.output)}`);
      check(drawn.groups.some((label) => /^for #\d+–#\d+/.test(label)), `no run of iterations among ${drawn.groups.slice(0, 5).join(', ')}`);
      await screenshot(page, '16-long-loop');
    },
  },
  {
    name: "'Show only what feeds this' draws d's cone without L, and 'Show everything' brings L back",
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
      await frame.locator('aside.details h2', { hasText: /^d$/ }).waitFor();
      const svg = frame.locator('svg[id^="gradient-graph-"]').first();
      const before = await svg.getAttribute('id');
      await frame.locator('aside.details button.cone').click();
      await frame.locator(`svg[id^="gradient-graph-"]:not([id="${before}"])`).waitFor({ timeout: 30_000 });
      const cone = await graphText(frame);
      check(/a \| data 2\.0000/.test(cone) && /d \| data 4\.0000/.test(cone), `the cone: ${cone.slice(0, 300)}`);
      check(!/L \| data -8\.0000/.test(cone), `L is not in d's cone: ${cone.slice(0, 300)}`);
      await frame.locator('.status', { hasText: 'what feeds the selection' }).first().waitFor();
      await screenshot(page, '17-cone');
      const coneId = await frame.locator('svg[id^="gradient-graph-"]').first().getAttribute('id');
      await frame.locator('aside.details button.cone', { hasText: 'Show everything' }).click();
      await frame.locator(`svg[id^="gradient-graph-"]:not([id="${coneId}"])`).waitFor({ timeout: 30_000 });
      check(/L \| data -8\.0000/.test(await graphText(frame)), 'L is back');
    },
  },
  {
    name: 'a snippet using .backward(), SGD and new MLP(3, [4, 4, 1]) has no error squiggle: the TypeScript server plugin gives it the types, with their docs in hovers',
    async run(page) {
      await openFileFromExplorer(page, 'typed.ts');
      // The Problems panel lists the file once TypeScript has checked it: its one mistake is the marker.
      await page.keyboard.press('Control+Shift+M');
      const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'left-hand side of an arithmetic operation' });
      await marker.waitFor({ timeout: 90_000 });
      const rows = await problemRows(page);
      await screenshot(page, '9-snippet-types');
      const problems = rows.filter((row) => !/typed\.ts/.test(row));
      check(problems.length === 1 && /\[Ln 9, Col 16\]/.test(problems[0]), `the Problems panel lists only the mistake on line 9: ${JSON.stringify(rows)}`);
      check(!rows.some((row) => /backward|Cannot find name|does not exist/.test(row)), `no error about the snippet API: ${JSON.stringify(rows)}`);
      const hover = await hoverWord(page, 'backward', 'loss.backward()');
      check(hover.includes('micrograd: Value.backward()') && hover.includes('PyTorch: tensor.backward()'), `hover of backward: ${hover}`);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: "train.ts trains in the panel: its loss curve over 100 steps, and a click on a point draws that step's graph",
    async run(page, frame) {
      await showWholeFile(page, frame, 'train.ts');
      const strip = frame.locator('section.training');
      await strip.locator('.training-summary', { hasText: /^100 backward\(\) steps · loss / }).waitFor({ timeout: 30_000 });
      const points = await strip.locator('polyline.training-line').getAttribute('points');
      check((points ?? '').trim().split(' ').length === 100, `the curve has 100 points: ${points?.slice(0, 80)}`);
      await screenshot(page, '19-training-run');
      // A click a tenth of the way along the curve: step 11 or near it.
      const box = (await strip.locator('svg.training-curve').boundingBox())!;
      const before = await frame.locator('svg[id^="gradient-graph-"]').first().getAttribute('id');
      await page.mouse.click(box.x + box.width * 0.1, box.y + box.height / 2);
      await frame.locator(`svg[id^="gradient-graph-"]:not([id="${before}"])`).waitFor({ timeout: 30_000 });
      await viewSettled(frame);
      const reading = (await strip.locator('.training-reading').textContent()) ?? '';
      const match = /^step (\d+): loss = (-?[\d.]+)$/.exec(reading.trim());
      check(match !== null && Math.abs(Number(match[1]) - 11) <= 2, `the reading names a step near 11: "${reading}"`);
      check(await strip.locator('.training-note', { hasText: `Step ${match![1]}’s graph` }).count() === 1, 'the note says which step is drawn');
      // That step's graph: its output is the loss of that step, not of the last one.
      const drawn = await drawnPicture(frame);
      check(drawn.output !== undefined && drawn.output.inView, `the step's loss is in view: ${JSON.stringify(drawn.output)}`);
      const output = (await frame.locator('g.node.output').first().textContent()) ?? '';
      check(output.includes(`data ${match![2]}`), `the output box shows the step's loss ${match![2]}: ${output}`);
      await screenshot(page, '20-training-step');
      // Whole run goes back to the last loss.
      await strip.getByRole('button', { name: /Show the graph of the whole run/ }).click();
      await strip.locator('.training-reading', { hasText: 'the whole run' }).waitFor();
    },
  },
  {
    name: "accumulate.ts: the details of a write ∂e/∂a as its chain-rule sum, 25 (through d) + 20 (through c) = 45, and say where 35 comes from",
    async run(page, frame) {
      await showWholeFile(page, frame, 'accumulate.ts');
      // The first view is on the output in a half-width panel: Fit brings a in.
      await frame.getByRole('button', { name: /^Fit\b/ }).first().click();
      await viewSettled(frame);
      await frame.locator('g.node', { hasText: /^\s*a \| data 2\.0000/ }).first().click();
      const ledger = frame.locator('aside.details .ledger');
      await ledger.waitFor({ timeout: 30_000 });
      const lines = (await ledger.locator('.ledger-term').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
      check(lines.length === 2, `two terms: ${JSON.stringify(lines)}`);
      check(/^25\.0000 \(through d, 5\.0000 × 5\.0000\)/.test(lines[0]), `first term: ${lines[0]}`);
      check(/^\+ 20\.0000 \(through c, 20\.0000 × 1\.0000\)/.test(lines[1]), `second term: ${lines[1]}`);
      check(/= 45\.0000/.test((await ledger.locator('.ledger-total').textContent()) ?? ''), 'the total is 45');
      check(await frame.locator('aside.details .ledger-note', { hasText: '35.0000' }).count() === 1, 'a note says where 35 comes from');
      await screenshot(page, '21-ledger');
      // A term's consumer is a link: it selects c, whose own ledger has its direct term.
      await ledger.locator('.ledger-term').nth(1).getByRole('button', { name: 'c', exact: true }).click();
      await frame.locator('aside.details h2', { hasText: /^c$/ }).waitFor();
      const ofC = (await frame.locator('aside.details .ledger-term').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
      check(/^10\.0000 \(directly in e, ∂e\/∂c = 10\.0000\)/.test(ofC[0] ?? ''), `c's direct term: ${JSON.stringify(ofC)}`);
    },
  },
  {
    name: "the backward stepper walks micrograd's L: every gradient ? but L's, then each step passes its gradient back, shown on the edges",
    given: showMicrogradGraph,
    async run(page, frame) {
      await frame.getByRole('button', { name: /^Step through backward/ }).first().click();
      const status = frame.locator('.stepper-status');
      await status.filter({ hasText: /^Before backward: .* 3 steps\.$/ }).waitFor({ timeout: 30_000 });
      const box = (name: string) => frame.locator('g.node', { hasText: new RegExp(`^\\s*${name} \\| data`) }).first();
      check(/grad \?/.test((await box('a').textContent()) ?? ''), `a's gradient is unknown: ${await box('a').textContent()}`);
      check(/grad 1\.0000/.test((await box('L').textContent()) ?? ''), "L's gradient is 1");
      await screenshot(page, '22-stepper-before');
      // The keys step while the panel has the focus: three steps, L = d·f, d = e + c, e = a·b.
      await frame.locator('.viewport').click({ position: { x: 5, y: 5 } });
      for (let step = 1; step <= 3; step++) {
        await page.keyboard.press('ArrowRight');
        await status.filter({ hasText: `Step ${step} of 3` }).waitFor();
      }
      check(/grad 6\.0000/.test((await box('a').textContent()) ?? ''), `a received 6: ${await box('a').textContent()}`);
      check(await frame.locator('.step-label', { hasText: '× -3.0000 → 6.0000' }).count() === 1, 'the edge from a carries × -3 → 6');
      check(await frame.locator('g.node.stepping').count() >= 1, 'the current box is highlighted');
      await screenshot(page, '23-stepper-step3');
      await page.keyboard.press('ArrowLeft');
      await status.filter({ hasText: 'Step 2 of 3' }).waitFor();
      check(/grad \?/.test((await box('a').textContent()) ?? ''), 'one step back, a has received nothing yet');
      await frame.getByRole('button', { name: /^Close the stepper/ }).click();
      await frame.locator('.stepper').waitFor({ state: 'hidden' });
      check(/grad 6\.0000/.test((await box('a').textContent()) ?? ''), 'closed, a shows its gradient again');
    },
  },
  {
    name: "after Show Gradient Graph, micrograd's editor shows ∂L/∂a = 6.0000 after a's declaration and L = -8.0000 after L's; an edit takes them away",
    given: showMicrogradGraph,
    async run(page) {
      await editorLines(page).filter({ hasText: '∂L/∂a = 6.0000' }).waitFor({ timeout: 30_000 });
      const text = await editorLinesText(page);
      check(text.includes('∂L/∂b = -4.0000') && text.includes('L = -8.0000'), `the editor's hints: ${text.slice(0, 300)}`);
      await screenshot(page, '21-inlay-hints');
      await cursorAtEndOf(page, 9);
      await page.keyboard.type(' ');
      // (Line 2's comment says "∂L/∂a = 6" too: the hint is the one with four digits.)
      await editorLines(page).filter({ hasText: '∂L/∂a = 6.0000' }).waitFor({ state: 'detached' });
      await undoToSaved(page);
    },
  },
  {
    name: 'in live mode, changing a = 2.0 to 3.0 updates the hints and the panel, which keeps its selection and zoom',
    async given(page, frame) {
      await setLiveMode(page, true);
      await showMicrogradGraph(page, frame);
    },
    async run(page, frame) {
      try {
        await editorLines(page).filter({ hasText: '∂L/∂b = -4.0000' }).waitFor({ timeout: 30_000 });
        await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
        await frame.locator('aside.details h2', { hasText: /^d$/ }).waitFor();
        await frame.locator('button[data-action="oneToOne"]').click();
        await viewSettled(frame);
        const zoom = await frame.locator('.zoom-label').first().textContent();
        // `const a = 2.0;`: the cursor before `;`, `2.0` selected and typed over.
        await cursorAtEndOf(page, 3);
        await page.keyboard.press('ArrowLeft');
        for (let k = 0; k < 3; k++) await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.type('3.0');
        // L = (a·b + c)·f = (-9 + 10)·(-2) = -2, ∂L/∂b = a·f = -6; ∂L/∂a = b·f stays 6.
        await editorLines(page).filter({ hasText: '∂L/∂b = -6.0000' }).waitFor({ timeout: 30_000 });
        const text = await editorLinesText(page);
        check(text.includes('∂L/∂a = 6.0000') && text.includes('L = -2.0000'), `the editor's hints after the edit: ${text.slice(0, 300)}`);
        await frame.locator('g.node', { hasText: /^\s*a \| data 3\.0000 \| grad 6\.0000/ }).first().waitFor({ timeout: 30_000 });
        await frame.locator('g.node.selected', { hasText: /^\s*d \| data 1\.0000/ }).waitFor();
        check((await frame.locator('.zoom-label').first().textContent()) === zoom, `zoom ${zoom} before, ${await frame.locator('.zoom-label').first().textContent()} after`);
        check(await frame.locator('.banner.stale').count() === 0, 'no "out of date" banner after the live update');
        await screenshot(page, '22-live-mode');
        await undoToSaved(page);
        const restored = await editorText(page);
        check(restored.includes('const a = 2.0;'), `micrograd.ts is as it was: ${restored.slice(0, 200)} (dirty tabs: ${await page.locator('.tab.dirty').count()})`);
      } finally {
        await setLiveMode(page, false);
      }
    },
  },
  {
    name: "Check with finite differences in the summary: a numeric column beside autograd's, every leaf of micrograd's L agreeing",
    given: showMicrogradGraph,
    async run(page, frame) {
      // The summary (nothing selected) in the open details pane: select a node, then clear the selection.
      await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
      await frame.locator('aside.details h2', { hasText: /^d$/ }).waitFor();
      await frame.getByRole('button', { name: 'Clear the selection' }).click();
      const pane = frame.locator('aside.details');
      await pane.getByRole('button', { name: 'Check with finite differences' }).click();
      await pane.locator('.check-agrees', { hasText: /^Every leaf agrees with finite differences/ }).waitFor({ timeout: 30_000 });
      const headers = await pane.locator('table.leaves th').allTextContents();
      check(headers.join('|') === 'leaf|value|∂L/∂leaf|numeric', `the leaves table's columns: ${headers.join('|')}`);
      const rows = await pane.locator('table.leaves tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent?.trim() ?? '').join(' ')));
      check(rows.join('; ') === 'a 2.0000 6.0000 6.0000; b -3.0000 -4.0000 -4.0000; c 10.0000 -2.0000 -2.0000; f -2.0000 4.0000 4.0000', `the rows: ${rows.join('; ')}`);
      check(await pane.locator('td .check-disagrees').count() === 0, 'no leaf is marked');
      await screenshot(page, '24-gradient-check');
    },
  },
  {
    name: "Export, from the keyboard: Save as SVG… and Save as PNG… write micrograd's picture beside micrograd.ts, and the SVG opens by itself with the panel's look",
    given: showMicrogradGraph,
    async run(page, frame) {
      // The menu by keyboard: Enter opens it on its first item, End goes to the last, Escape gives the focus back.
      const exportButton = frame.locator('button[data-action="export"]');
      await exportButton.focus();
      await page.keyboard.press('Enter');
      await frame.getByRole('menuitem', { name: 'Copy mermaid text' }).and(frame.locator(':focus')).waitFor();
      await page.keyboard.press('End');
      await frame.getByRole('menuitem', { name: 'Save mermaid text…' }).and(frame.locator(':focus')).waitFor();
      await screenshot(page, '21-export-menu');
      await page.keyboard.press('Escape');
      await frame.locator('.export-menu').waitFor({ state: 'hidden' });
      await frame.locator('button[data-action="export"]:focus').waitFor();

      await runExportItem(frame, 'Save as SVG…');
      const svgFile = await acceptSaveDialog(page);
      check(svgFile.endsWith(`${path.sep}examples${path.sep}micrograd.svg`), `the dialog proposed ${svgFile}`);
      const svg = readFileSync(svgFile, 'utf8');
      const text = svgText(svg);
      for (const box of ['a | data 2.0000 | grad 6.0000', 'b | data -3.0000 | grad -4.0000', 'L | data -8.0000 | grad 1.0000']) check(text.includes(box), `no "${box}" in the SVG file: ${text.slice(0, 300)}`);
      check(/^<\?xml[^>]*>\s*<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(svg), `the SVG's root: ${svg.slice(0, 200)}`);
      check(!svg.includes('var(--') && !svg.includes('color-mix(') && svg.includes('.gradient-graph .node'), 'the panel\'s rules are in the file, resolved');
      check(!/tabindex|class="[^"]*\bselected\b/.test(svg), 'no focus or selection marks in the file');

      // The file by itself in Chromium: a leaf's box in the panel's colour, its label laid out inside it.
      const panelFill = await frame.locator('g.node.leaf .label-container').first().evaluate((box) => getComputedStyle(box).fill);
      const tab = await page.context().newPage();
      try {
        await tab.goto(`file://${svgFile}`);
        const leaf = await tab.locator('g.node.leaf').first().evaluate((node) => {
          const box = node.querySelector('.label-container')!.getBoundingClientRect();
          const label = node.querySelector('.nodeLabel')!.getBoundingClientRect();
          return { fill: getComputedStyle(node.querySelector('.label-container')!).fill, label: label.width, inside: label.width > 0 && label.left >= box.left && label.right <= box.right };
        });
        await screenshot(tab, '22-exported-svg');
        check(sameColour(leaf.fill, panelFill) && leaf.inside, `a leaf in the file ${JSON.stringify(leaf)}, in the panel filled ${panelFill}`);
      } finally {
        await tab.close();
      }

      await runExportItem(frame, 'Save as PNG…');
      const pngFile = await acceptSaveDialog(page);
      check(pngFile.endsWith('micrograd.png'), `the dialog proposed ${pngFile}`);
      const png = readFileSync(pngFile);
      // Kept beside the screenshots, for a look at what a user gets.
      for (const file of [svgFile, pngFile]) copyFileSync(file, path.join(repoRoot, '.e2e', 'screenshots', `exported-${path.basename(file)}`));
      // The IHDR chunk: width and height at bytes 16 and 20. The picture at twice its size.
      const root = /<svg [^>]*>/.exec(svg)![0];
      const size = [0, / width="([\d.]+)"/.exec(root)?.[1], / height="([\d.]+)"/.exec(root)?.[1]];
      check(png.subarray(1, 4).toString() === 'PNG' && png.readUInt32BE(16) === Math.round(Number(size[1]) * 2) && png.readUInt32BE(20) === Math.round(Number(size[2]) * 2),
        `the PNG is ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}, the SVG ${size[1]}×${size[2]}`);
    },
  },
  {
    name: 'Export > Copy mermaid text puts the flowchart on the clipboard (pasted into an untitled editor), and Copy PNG an image',
    given: showMicrogradGraph,
    async run(page, frame) {
      await runExportItem(frame, 'Copy mermaid text');
      await page.locator('.statusbar', { hasText: 'Gradient Graph: copied the graph as mermaid text' }).waitFor({ timeout: 15_000 });
      await waitForWebviewGroupActive(page);
      await focusFirstEditor(page);
      await page.keyboard.press('Control+N');
      await page.locator('.editor-group-container.active .tab.active[data-resource-name^="Untitled"]').waitFor();
      await activeEditor(page).click();
      await page.keyboard.press('Control+V');
      await activeEditor(page).locator('.view-line', { hasText: 'flowchart LR' }).waitFor();
      const pasted = await editorText(page);
      await screenshot(page, '23-pasted-mermaid');
      check(/^flowchart LR\n/.test(pasted) && pasted.includes('v0["a | data 2.0000 | grad 6.0000"]'), `pasted: ${pasted.slice(0, 200)}`);
      // Emptied, the untitled editor closes without asking to save it.
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');

      // Reading the clipboard back needs the permission a person grants when a page asks.
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await runExportItem(frame, 'Copy PNG');
      await page.locator('.statusbar', { hasText: 'Gradient Graph: copied the graph as PNG' }).waitFor({ timeout: 15_000 });
      const image = await frame.locator('body').evaluate(async () => {
        const items = await navigator.clipboard.read();
        const blob = await items[0].getType('image/png');
        const bitmap = await createImageBitmap(blob);
        return { types: items[0].types, width: bitmap.width, height: bitmap.height };
      });
      const drawn = await frame.locator('.canvas svg').evaluate((svg) => ({ width: Number(svg.getAttribute('width')), height: Number(svg.getAttribute('height')) }));
      check(image.width === Math.round(drawn.width * 2) && image.height === Math.round(drawn.height * 2), `the copied PNG ${JSON.stringify(image)}, the picture ${JSON.stringify(drawn)}`);
    },
  },
];

/**
 * Prints a failed step's error (its first lines; the whole error goes to error.txt beside the screenshot)
 * and where its screenshot and logs are, relative to the repository.
 */
function reportFailure(name: string, error: unknown, kept: Awaited<ReturnType<typeof saveFailure>> | undefined): void {
  const relative = (file: string | undefined): string => (file === undefined ? '(none)' : path.relative(repoRoot, file));
  // Playwright colours its call log: plain text for the log file.
  const message = (error instanceof Error ? error.message : String(error)).replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const lines = message.split('\n');
  if (!kept) {
    console.log(`  ✖ ${name}\n      ${lines.join('\n      ')}`);
    return;
  }
  const errorFile = path.join(kept.dir, 'error.txt');
  writeFileSync(errorFile, `${name}\n\n${error instanceof Error ? error.stack ?? message : message}\n`);
  const shown = lines.slice(0, 12);
  if (shown.length < lines.length) shown.push(`… (${lines.length - shown.length} more lines in ${relative(errorFile)})`);
  console.log(`  ✖ ${name}\n      ${shown.join('\n      ')}`);
  console.log(`      error:               ${relative(errorFile)}`);
  console.log(`      screenshot:          ${relative(kept.screenshot)}`);
  console.log(`      workbench log:       ${relative(kept.workbenchLog)}`);
  console.log(`      extension host log:  ${relative(kept.extensionHostLog)}`);
  console.log(`      everything kept:     ${relative(kept.dir)}/ (workbench/, server/, code-server.log, browser-console.log)`);
  for (const note of kept.notes) console.log(`      (${note})`);
}

async function main(): Promise<number> {
  // A copy, so that nothing the tests do touches the repository's examples.
  const workspaceDir = freshRunDir('workspace');
  const workspace = path.join(workspaceDir, 'examples');
  cpSync(path.join(repoRoot, 'examples'), workspace, { recursive: true });
  // A top-level loop of 5,000 iterations (30,000 values): more than any picture draws.
  writeFileSync(path.join(workspace, 'long-loop.ts'), 'const x = 0.5;\nlet s = 0;\nfor (let i = 0; i < 5000; i++) {\n  s = s + Math.sin(x * i) * 0.001;\n}\ns\n');
  // A user's folder: its tsconfig names no declarations (examples' names the repository's copy, which the
  // copy cannot reach), so that the snippet types come from the extension's TypeScript server plugin.
  const tsconfig = path.join(workspace, 'tsconfig.json');
  writeFileSync(tsconfig, readFileSync(tsconfig, 'utf8').replace(/^\s*"files": \[[^\]]*\],?\n/m, ''));
  writeFileSync(path.join(workspace, 'typed.ts'), TYPED_SNIPPET);
  const failures = path.join(repoRoot, '.e2e', 'failures');
  for (let index = 1; index <= steps.length; index++) rmSync(path.join(failures, `ui-${index}`), { recursive: true, force: true });
  let session: WorkbenchSession | undefined;
  let passed = 0;
  let failed = 0;
  const started = performance.now();
  try {
    session = await startWorkbench({ workspace, extensionDevelopmentPath: repoRoot });
    const frame = webviewFrame(session.page);
    // GG_UI_STEPS=3,10 runs only those steps (1-based), for working on them.
    const only = process.env.GG_UI_STEPS?.split(',').map(Number);
    for (const [index, step] of steps.entries()) {
      if (only && !only.includes(index + 1)) continue;
      let stepStarted = performance.now();
      let stage = 'resetting the workbench';
      try {
        await resetWorkbench(session.page);
        stage = 'setting up the step';
        await step.given?.(session.page, frame);
        stage = 'the step itself';
        stepStarted = performance.now();
        await step.run(session.page, frame);
        passed++;
        console.log(`  ✔ ${step.name} (${Math.round(performance.now() - stepStarted)} ms)`);
      } catch (error) {
        failed++;
        const kept = await saveFailure(session, path.join(failures, `ui-${index + 1}`)).catch((saveError: unknown) => {
          console.log(`      (could not keep the failure's files: ${String(saveError)})`);
          return undefined;
        });
        reportFailure(`${step.name} (failed in ${stage})`, error, kept);
      }
    }
  } catch (error) {
    failed++;
    console.log(`  ✖ the workbench did not start: ${(error as Error).message}`);
  } finally {
    await session?.close(failed === 0);
  }
  if (failed === 0) removeRunDir(workspaceDir);
  else {
    const kept = session ? `${path.relative(repoRoot, session.server.dir)} (user data, logs) and ` : '';
    console.log(`kept for a look: ${kept}${path.relative(repoRoot, workspaceDir)} (the workspace)`);
  }
  console.log(`UI tests in ${Math.round((performance.now() - started) / 1000)} s; screenshots in .e2e/screenshots/`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
