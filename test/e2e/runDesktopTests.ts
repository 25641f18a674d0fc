// Runs the extension-host test suite in desktop VS Code, downloaded by @vscode/test-electron
// (needs internet access to update.code.visualstudio.com; on machines without it use
// runExtensionTests.ts, which runs the same suite in code-server).
// Usage: node --import tsx test/e2e/runDesktopTests.ts [--extension DIR] [--tests FILE]
//          [--workspace DIR]    (build the suite first: node scripts/build-e2e.mjs)
// VS Code's version is E2E_VSCODE_VERSION, by default 1.100.3 (the oldest our engines allow, as in code-server).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot, testRunOptions } from './codeServer.ts';

/** Downloads VS Code if needed, runs the suite in it and resolves with the exit code. */
async function main(): Promise<number> {
  const options = testRunOptions();
  if (!existsSync(options.extensionTestsPath)) {
    throw new Error(`no test runner at ${options.extensionTestsPath}: build it with node scripts/build-e2e.mjs`);
  }
  const workspace = options.workspace ?? path.join(repoRoot, 'examples');
  return runTests({
    version: process.env.E2E_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: options.extensionDevelopmentPath,
    extensionTestsPath: options.extensionTestsPath,
    // Other installed extensions stay off; the one in development is still loaded.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('e2e (desktop):', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
