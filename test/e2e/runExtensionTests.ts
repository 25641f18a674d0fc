// Runs the extension-host test suite in a real VS Code: code-server (scripts/setup-e2e.sh) opened in
// headless Chromium, with the extension in development mode and the suite as its extensionTestsPath.
// Usage: node --import tsx test/e2e/runExtensionTests.ts [--extension DIR] [--tests FILE]
//          [--workspace DIR] [--timeout SECONDS]    (build the suite first: node scripts/build-e2e.mjs)
// Prints mocha's output; the exit code is the suite's (1 on timeout or setup failure). A failed run keeps
// a screenshot and the workbench's, the server's and the extension host's logs in
// .e2e/failures/extension-host/ and prints their paths.
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { freshRunDir, launchBrowser, removeRunDir, repoRoot, startCodeServer, tail, testRunOptions, workbenchUrl } from './codeServer.ts';
import { saveFailure, type FailureRecord } from './ui.ts';

/** The line with which suite/index.ts starts; the workbench logs through the same channel before it. */
const suiteStart = 'e2e suite: ';

/** Formats one codeAutomationLog call's arguments as console.log would (mocha uses %s and %d). */
function formatLog(args: unknown): string {
  return Array.isArray(args) ? format(...(args as unknown[])) : format(args);
}

/** A fresh folder under .e2e/runs/ holding a copy of examples/ (empty when there is none). */
function freshWorkspace(): string {
  const dir = freshRunDir('workspace');
  const examples = path.join(repoRoot, 'examples');
  if (existsSync(examples)) cpSync(examples, dir, { recursive: true });
  return dir;
}

/** Runs the suite once and resolves with its exit code. */
async function main(): Promise<number> {
  const started = performance.now();
  const options = testRunOptions();
  if (!existsSync(options.extensionTestsPath)) {
    throw new Error(`no test runner at ${options.extensionTestsPath}: build it with node scripts/build-e2e.mjs`);
  }
  if (!existsSync(path.join(options.extensionDevelopmentPath, 'package.json'))) {
    throw new Error(`no extension at ${options.extensionDevelopmentPath} (no package.json)`);
  }

  // By default a fresh copy of examples/, so that tests may edit files freely.
  const workspace = options.workspace ?? freshWorkspace();
  const server = await startCodeServer({ workspace, extensionDevelopmentPath: options.extensionDevelopmentPath });
  const browserErrors: string[] = [];
  const startupLog: string[] = [];
  let suiteStarted = false;
  const failureDir = path.join(repoRoot, '.e2e', 'failures', 'extension-host');
  rmSync(failureDir, { recursive: true, force: true });
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let kept: FailureRecord | undefined;
  let code = 1;
  try {
    context = await launchBrowser(path.join(server.dir, 'chromium'));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => browserErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') browserErrors.push(message.text());
    });

    let reportExit: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (exitCode: number) => reportExit(exitCode));
    // The extension host's console (mocha's output) arrives here, mixed with the workbench's log.
    // Print from the suite's first line on; keep the workbench's startup log for failures.
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      const text = formatLog(args);
      suiteStarted ||= text.startsWith(suiteStart);
      if (!suiteStarted) startupLog.push(`[${level}] ${text}`);
      else if (level === 'error') console.error(text);
      else console.log(text);
    });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutSeconds * 1000)));
    await page.goto(workbenchUrl(server, workspace, options));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`e2e: TIMEOUT, the tests did not finish within ${options.timeoutSeconds} s`);
      console.error(`e2e: last browser errors:\n${browserErrors.slice(-10).join('\n') || '(none)'}`);
      console.error(`e2e: ${server.logFile}:\n${tail(server.logFile)}`);
      code = 1;
    } else {
      code = result;
    }
  } finally {
    if (code !== 0 && page) {
      kept = await saveFailure({ page, server }, failureDir).catch((error: unknown) => {
        console.error(`e2e: could not keep the failure's files: ${String(error)}`);
        return undefined;
      });
    }
    await context?.close();
    await server.stop();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code === 0) {
    removeRunDir(server.dir);
    if (workspace !== options.workspace) removeRunDir(workspace);
    console.log(`e2e: passed in ${seconds} s`);
  } else {
    if (!suiteStarted) console.error(`e2e: the suite never started; workbench log:\n${startupLog.slice(-40).join('\n') || '(none)'}`);
    console.error(`e2e: FAILED with exit code ${code} in ${seconds} s (the run's folder is kept: ${path.relative(repoRoot, server.dir)})`);
    if (kept) {
      const relative = (file: string | undefined): string => (file === undefined ? '(none)' : path.relative(repoRoot, file));
      console.error(`e2e: screenshot:          ${relative(kept.screenshot)}`);
      console.error(`e2e: workbench log:       ${relative(kept.workbenchLog)}`);
      console.error(`e2e: extension host log:  ${relative(kept.extensionHostLog)}`);
      console.error(`e2e: everything kept:     ${relative(kept.dir)}/`);
      for (const note of kept.notes) console.error(`e2e: (${note})`);
    }
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('e2e:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
