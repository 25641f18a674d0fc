// Serves examples/ in a local code-server with this checkout loaded as an extension in development mode,
// and prints the address to open. Used by scripts/start.sh where desktop VS Code is not installed.
import * as path from 'node:path';
import { repoRoot, startCodeServer, workbenchUrl } from '../test/e2e/codeServer.ts';

async function serve(): Promise<void> {
  const workspace = path.join(repoRoot, 'examples');
  const server = await startCodeServer({ workspace, extensionDevelopmentPath: repoRoot });
  const url = workbenchUrl(server, workspace, { extensionDevelopmentPath: repoRoot });
  console.log('\nGradient Graph is running in code-server. Open this address in a browser:\n');
  console.log(`  ${url}\n`);
  console.log('Open micrograd.ts, select its lines, press F1 and run "Show Gradient Graph" (or Ctrl+Alt+G).');
  console.log('Press Ctrl+C to stop.');
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

serve().catch((error: unknown) => {
  console.error(`gradient-graph start: ${(error as Error).message}`);
  process.exit(1);
});
