// The test runner that VS Code loads into the extension host (its extensionTestsPath, compiled to
// out/test/e2e/suite/index.js by scripts/build-e2e.mjs): runs every *.test.js beside it with mocha.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/**
 * Runs the suite (mocha's tdd interface: suite/test, 60 s per test) and prints a last line
 * `N passed, N failed`. Rejects when a test fails or when there is no test at all, which is how
 * the editor learns the exit code.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  // runExtensionTests.ts prints the extension host's output from this line on (before it, the workbench's own log).
  console.log(`e2e suite: running ${files.length} test file(s) in ${__dirname}`);

  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run((failures) => {
      console.log(`${passed} passed, ${failed} failed`);
      if (failures > 0 || failed > 0) reject(new Error(`${Math.max(failures, failed)} test(s) failed`));
      else if (passed === 0) reject(new Error(`no tests ran (no *.test.js beside ${__filename})`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
}
