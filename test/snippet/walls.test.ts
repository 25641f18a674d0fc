// The second wall: a process started with the sandbox's own command line (sandboxLaunch) runs code as if it
// had got out of the vm context (fixtures/escaped-process.mjs), and can still not write a file, start a
// process or a worker, read beyond what it was given, load an addon, compile a string, see the user's
// environment, or (where the platform allows a network namespace) reach the network.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { evaluateSnippet, sandboxWalls } from '../../src/snippet/evaluate.ts';
import { sandboxLaunch } from '../../src/snippet/sandboxLaunch.ts';

const fixtures = path.join(__dirname, 'fixtures');
const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-walls-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Whether this machine gives unprivileged processes a network namespace (then the wall must stand). */
const networkNamespaces = process.platform === 'linux' && existsSync('/usr/bin/unshare')
  && spawnSync('/usr/bin/unshare', ['--user', '--net', 'true']).status === 0;

function runEscaped(input: object): Promise<Record<string, unknown>> {
  const launch = sandboxLaunch(path.join(fixtures, 'escaped-process.mjs'), [fixtures], 256);
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, launch.args, { env: { ...launch.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        reject(new Error(`the fixture printed no result: ${stdout} ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

describe('the second wall', () => {
  it('code loose in the sandbox process can write nothing, start nothing and reach nothing', async () => {
    const connections: string[] = [];
    const server = createServer((socket) => { connections.push('connected'); socket.destroy(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const outside = path.join(folder, 'secret.txt');
    writeFileSync(outside, 'secret');
    const target = path.join(folder, 'written');
    try {
      const results = await runEscaped({ target, outside, port });
      assert.equal(results.permission, true, "Node's permission model is in force");
      for (const name of ['write a file', 'create a folder', 'start a process', 'spawn a process', 'start a worker', 'read a file outside the extension']) {
        assert.equal(results[name], 'ERR_ACCESS_DENIED', name);
      }
      assert.match(String(results['load a native addon']), /ERR_DLOPEN_DISABLED|ERR_ACCESS_DENIED/);
      assert.match(String(results['compile a string with Function']), /Code generation from strings disallowed/);
      assert.match(String(results['compile a string with eval']), /Code generation from strings disallowed/);
      assert.deepEqual(results.environment, [], 'no variable of the user environment');
      if (networkNamespaces) {
        assert.notEqual(results.network, 'connected');
        assert.deepEqual(connections, [], 'nothing reached the loopback server');
      }
      for (const suffix of ['', '.folder', '.process', '.spawned']) assert.ok(!existsSync(target + suffix), `${target + suffix} does not exist`);
    } finally {
      server.close();
    }
  });

  it('the evaluation says which walls stood', async () => {
    const result = await evaluateSnippet({ text: 'const a = 2;\na * a', fileName: 'walls.ts' });
    assert.ok(result.ok);
    const walls = sandboxWalls();
    assert.equal(walls?.permission, true);
    assert.equal(walls?.residentMemory, process.platform === 'linux');
    assert.equal(walls?.network, networkNamespaces);
  });
});
