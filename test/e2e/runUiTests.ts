// UI tests that act as a person would: playwright-core drives Debian's Chromium against code-server with
// the extension loaded, on a copy of examples/. Each step saves a screenshot under .e2e/screenshots/.
// Prints a closing line `N passed, N failed` and exits 1 if any step failed.
import { cpSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { repoRoot } from './codeServer.ts';
import { activeEditor, hoverWord, openFileFromExplorer, runCommand, screenshot, startWorkbench, webviewFrame, type WorkbenchSession } from './ui.ts';

const COMMAND = 'Gradient Graph: Show Gradient Graph';

interface Step {
  readonly name: string;
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

/** Selects whole lines `first`..`last` (1-based) with the keyboard: Ctrl+G to the first, Shift+Down to the last. */
async function selectLines(page: Page, first: number, last: number): Promise<void> {
  await activeEditor(page).click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(first));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  for (let line = first; line < last; line++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
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
  await activeEditor(page).click();
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: theme }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await frame.locator(`body.${bodyClass}`).waitFor({ timeout: 15_000 });
  if (!alreadyThere) await frame.locator(`svg[id^="gradient-graph-"]:not([id="${before}"])`).waitFor({ timeout: 30_000 });
}

async function statusBarSelection(page: Page): Promise<string> {
  return (await page.locator('#status\\.editor\\.selection').innerText()).trim();
}

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
      await frame.locator('button', { hasText: 'Fit' }).first().click();
      await screenshot(page, 'readme');
      await page.keyboard.press('Control+B');
      // Back to the editor (the click on Fit made the panel's group the active one).
      await page.keyboard.press('Control+1');
      await activeEditor(page).locator('.view-lines').waitFor();
    },
  },
  {
    name: 'hovering a in the editor shows its value and gradient',
    async run(page) {
      const hover = await hoverWord(page, 'a', 'a * b');
      await screenshot(page, '3-hover');
      check(hover.includes('a = 2.0000 · ∂L/∂a = 6.0000'), `hover: ${hover}`);
      await page.keyboard.press('Escape');
    },
  },
  {
    name: "clicking the node d in the panel selects d's source in the editor",
    async run(page, frame) {
      await frame.locator('g.node', { hasText: /^\s*d \| data 4\.0000/ }).first().click();
      await frame.locator('aside.details', { hasText: 'e + c' }).waitFor();
      // d = e + c is line 8; its expression `e + c` is 5 characters.
      await page.locator('#status\\.editor\\.selection', { hasText: '5 selected' }).waitFor({ timeout: 15_000 });
      const selection = await statusBarSelection(page);
      await screenshot(page, '4-clicked-d');
      check(/Ln 8, Col 1[16]/.test(selection), `status bar selection: ${selection}`);
    },
  },
  {
    name: 'switching from a dark to a light theme re-renders the panel in light colours',
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
];

async function main(): Promise<number> {
  // A copy, so that nothing the tests do touches the repository's examples.
  const workspace = path.join(mkdtempSync(path.join(repoRoot, '.e2e', 'workspace-')), 'examples');
  cpSync(path.join(repoRoot, 'examples'), workspace, { recursive: true });
  let session: WorkbenchSession | undefined;
  let passed = 0;
  let failed = 0;
  const started = performance.now();
  try {
    session = await startWorkbench({ workspace, extensionDevelopmentPath: repoRoot, userSettings: { 'workbench.colorTheme': 'Default Dark Modern' } });
    const frame = webviewFrame(session.page);
    for (const step of steps) {
      const stepStarted = performance.now();
      try {
        await step.run(session.page, frame);
        passed++;
        console.log(`  ✔ ${step.name} (${Math.round(performance.now() - stepStarted)} ms)`);
      } catch (error) {
        failed++;
        console.log(`  ✖ ${step.name}\n      ${(error as Error).message.split('\n').join('\n      ')}`);
        await screenshot(session.page, `failed-${passed + failed}`).catch(() => undefined);
      }
    }
  } catch (error) {
    failed++;
    console.log(`  ✖ the workbench did not start: ${(error as Error).message}`);
  } finally {
    await session?.close(failed === 0);
  }
  console.log(`UI tests in ${Math.round((performance.now() - started) / 1000)} s; screenshots in .e2e/screenshots/`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
