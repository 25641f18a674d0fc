// Starts code-server (VS Code's server and web workbench, installed by scripts/setup-e2e.sh) and a
// headless Chromium to drive it. Everything a run writes goes into a fresh folder under .e2e/runs/.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';

/** The repository root (this file is test/e2e/codeServer.ts). */
export const repoRoot = path.resolve(__dirname, '..', '..');

const codeServerBinary = path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

export interface CodeServerOptions {
  /** Folder the workbench opens. */
  workspace: string;
  /** Extension loaded in development mode (given to the workbench in the URL, see workbenchUrl). */
  extensionDevelopmentPath?: string;
  /** Extra user settings, merged over the defaults that keep the welcome page and trust prompt away. */
  userSettings?: Record<string, unknown>;
  /** User keybindings (the entries of keybindings.json). */
  userKeybindings?: readonly Keybinding[];
  /** How long to wait for /healthz, in ms (default 60 s). */
  startTimeoutMs?: number;
}

/** One entry of VS Code's keybindings.json. */
export interface Keybinding {
  key: string;
  command: string;
  when?: string;
}

export interface CodeServer {
  /** Base URL, such as http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** This run's folder under .e2e/runs/ (user data, logs, temp files). */
  dir: string;
  /** code-server's stdout and stderr. */
  logFile: string;
  /** Its user data folder; the server and extension-host logs are under its logs/ (see serverLogs). */
  userDataDir: string;
  /** Stops the server and every process it started (its process group). */
  stop(): Promise<void>;
}

/** Creates a fresh, uniquely named folder under .e2e/runs/. */
export function freshRunDir(prefix: string): string {
  const runs = path.join(repoRoot, '.e2e', 'runs');
  mkdirSync(runs, { recursive: true });
  return mkdtempSync(path.join(runs, `${prefix}-`));
}

/** The last `lines` lines of a text file, or a note when it cannot be read. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Starts code-server on a free port with its own user data, extensions folder, XDG folders and
 * temp folder, and resolves once /healthz answers. Rejects with the server log's tail when the
 * server exits or does not answer in time.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(codeServerBinary)) {
    throw new Error(`code-server is not installed (${codeServerBinary}): run bash scripts/setup-e2e.sh`);
  }
  const dir = freshRunDir('code-server');
  const folder = (name: string): string => {
    const result = path.join(dir, name);
    mkdirSync(result, { recursive: true });
    return result;
  };
  const userDataDir = folder('user-data');
  const settings = {
    'workbench.startupEditor': 'none',
    // The test workspaces live inside this repository: no prompt to open its git repository.
    'git.openRepositoryInParentFolders': 'never',
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    // A step that edits a file undoes its edit (a dirty tab shows what is left to undo): nothing saves it meanwhile.
    'files.autoSave': 'off',
    ...options.userSettings,
  };
  writeFileSync(path.join(folder('user-data/User'), 'settings.json'), JSON.stringify(settings, null, 2));
  if (options.userKeybindings) writeFileSync(path.join(userDataDir, 'User', 'keybindings.json'), JSON.stringify(options.userKeybindings, null, 2));

  const port = await freePort();
  const logFile = path.join(dir, 'server.log');
  const log = openSync(logFile, 'a');
  // Detached: code-server and its children (extension host, file watcher) form one process group
  // that stop() kills at once.
  const child = spawn(
    codeServerBinary,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', userDataDir,
      '--extensions-dir', folder('extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      options.workspace,
    ],
    {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: folder('xdg-config'),
        XDG_DATA_HOME: folder('xdg-data'),
        XDG_CACHE_HOME: folder('xdg-cache'),
        TMPDIR: folder('tmp'),
      },
    },
  );
  closeSync(log);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `code ${code ?? signal}`;
      resolve();
    });
  });

  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killOnExit = (): void => killGroup('SIGKILL'); // If the test process ends without stop().
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (exited === undefined) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // Children that outlived code-server itself.
  };

  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`code-server exited (${exited}) before it was ready. ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s. ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, dir, logFile, userDataDir, stop };
}

export interface ServerLogs {
  /** user-data/logs: one folder per server start, holding remoteagent.log and exthost1/ (one file per extension's output channel). */
  dir: string;
  /** The extension host's own log (exthost1/remoteexthost.log), when it has been written. */
  extensionHost: string | undefined;
}

/**
 * Where code-server wrote its logs: the server's (remoteagent.log) and the extension host's
 * (remoteexthost.log, beside a folder per extension with its output channels), all under
 * USER_DATA/logs/TIMESTAMP/. The workbench's own log (window.log) is kept by the browser: see
 * saveWorkbenchLogs in ui.ts.
 */
export function serverLogs(userDataDir: string): ServerLogs {
  const dir = path.join(userDataDir, 'logs');
  const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
  const extensionHost = files.filter((file) => path.basename(file) === 'remoteexthost.log').sort().at(-1);
  return { dir, extensionHost: extensionHost === undefined ? undefined : path.join(dir, extensionHost) };
}

/** An absolute path on the server's machine as a vscode-remote URI of this server. */
export function remoteUri(server: Pick<CodeServer, 'port'>, absolutePath: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${path.resolve(absolutePath)}`;
}

export interface WorkbenchUrlOptions {
  /** Extension to load in development mode. */
  extensionDevelopmentPath?: string;
  /** Test runner module (exports run()) to run in the extension host; the workbench then reports through codeAutomationExit. */
  extensionTestsPath?: string;
}

/**
 * The workbench URL opening `folder`. code-server has no --extensionDevelopmentPath or
 * --extensionTestsPath flags, but the workbench reads both from the URL's `payload` parameter.
 */
export function workbenchUrl(server: Pick<CodeServer, 'url' | 'port'>, folder: string, options: WorkbenchUrlOptions = {}): string {
  const payload: [string, string][] = [['skipWelcome', 'true']];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(server, options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(server, options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: path.resolve(folder), payload: JSON.stringify(payload) });
  return `${server.url}/?${query.toString()}`;
}

/** Chromium's launch arguments that work on these machines (no sandbox as root, no network chatter). */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Debian's headless Chromium with a fresh profile under .e2e/runs/ and a 1600x1000
 * viewport. It asks pages for reduced motion (the workbench and the panel then draw each state at
 * once, without transitions). Close it with `context.close()`; `context.pages()[0]` is its first tab.
 */
export async function launchBrowser(profileDir: string = freshRunDir('chromium')): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1600, height: 1000 },
    reducedMotion: 'reduce',
  });
}

/** Removes a run folder made by freshRunDir (for runs that passed: failed ones keep their logs). */
export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface TestRunOptions {
  /** The extension under test (default: the repository root). */
  extensionDevelopmentPath: string;
  /** Its compiled test runner, exporting run() (default: out/test/e2e/suite/index.js). */
  extensionTestsPath: string;
  /** Folder to open, or undefined for a fresh copy of examples/. */
  workspace: string | undefined;
  /** Overall time limit of the run, in seconds (default 180). */
  timeoutSeconds: number;
}

/**
 * Reads a test run's options from the command line (--extension, --tests, --workspace, --timeout)
 * or else from E2E_EXTENSION_PATH, E2E_TESTS_PATH, E2E_WORKSPACE and E2E_TIMEOUT.
 */
export function testRunOptions(args: string[] = process.argv.slice(2)): TestRunOptions {
  const { values } = parseArgs({
    args,
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  const env = process.env;
  const extension = values.extension ?? env.E2E_EXTENSION_PATH ?? repoRoot;
  const tests = values.tests ?? env.E2E_TESTS_PATH ?? path.join(repoRoot, 'out', 'test', 'e2e', 'suite', 'index.js');
  const workspace = values.workspace ?? env.E2E_WORKSPACE;
  const timeoutSeconds = Number(values.timeout ?? env.E2E_TIMEOUT ?? 180);
  if (!(timeoutSeconds > 0)) throw new Error(`bad timeout: ${values.timeout ?? env.E2E_TIMEOUT}`);
  return {
    extensionDevelopmentPath: path.resolve(extension),
    extensionTestsPath: path.resolve(tests),
    workspace: workspace === undefined ? undefined : path.resolve(workspace),
    timeoutSeconds,
  };
}
