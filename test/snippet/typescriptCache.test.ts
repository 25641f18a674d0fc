// The editor's code cache for TypeScript: a sandbox process that finds no cache V8 accepts makes one
// before it says it is ready, the host writes it under the folder it was given, and the next process
// loads TypeScript with it (typescriptLoader.ts, typescriptCache.ts).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { evaluateSnippet, prepareSandbox, stopSpareProcess, useTypeScriptCacheFolder } from '../../src/snippet/evaluate.ts';
import { lastTypeScriptCacheUse } from '../../src/snippet/sandboxPool.ts';
import { typeScriptCacheFile } from '../../src/snippet/typescriptCache.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-cache-'));
const compiler = path.join(__dirname, '..', '..', 'dist', 'typescript.js');
const snippet = { text: 'const a = 2;\nconst L = a * -3;\n', fileName: 'cache.ts' };

/** Evaluates a snippet (the spare is stopped before each test, so the first process has the test's folder). */
async function evaluate(): Promise<void> {
  const result = await evaluateSnippet(snippet);
  assert.ok(result.ok, JSON.stringify(result));
}

afterEach(() => {
  useTypeScriptCacheFolder(undefined);
  stopSpareProcess();
});
after(() => rmSync(folder, { recursive: true, force: true }));

describe('the editor’s TypeScript cache', () => {
  it('is made when V8 rejects the one there, and accepted by the next process', async () => {
    const cacheFolder = path.join(folder, 'rejected');
    const file = typeScriptCacheFile(cacheFolder, compiler);
    // A cache of another V8 (here: bytes V8 cannot read) in its place, and one of an older version beside it.
    mkdirSync(cacheFolder, { recursive: true });
    writeFileSync(file, Buffer.alloc(4096, 7));
    writeFileSync(path.join(cacheFolder, 'typescript-1.0-1.cache'), 'old');
    stopSpareProcess();
    useTypeScriptCacheFolder(cacheFolder);
    await evaluate();
    assert.equal(lastTypeScriptCacheUse(), 'rejected');
    const made = readFileSync(file);
    assert.ok(made.length > 100_000, `a cache of ${made.length} bytes`);
    assert.deepEqual(readdirSync(cacheFolder), [path.basename(file)], 'the older version’s file is removed, no temporary file is left');
    // The spare, started when the first process was ready, found the new cache.
    await evaluate();
    assert.equal(lastTypeScriptCacheUse(), 'accepted');
  });

  it('is made by the process the extension prepares when it activates, before any evaluation', async () => {
    const cacheFolder = path.join(folder, 'prepared');
    const file = typeScriptCacheFile(cacheFolder, compiler);
    mkdirSync(cacheFolder, { recursive: true });
    writeFileSync(file, Buffer.alloc(4096, 7));
    stopSpareProcess();
    useTypeScriptCacheFolder(cacheFolder);
    await prepareSandbox();
    // Preparing again while that process loads starts no second one (which would write the cache again).
    await prepareSandbox();
    // The process loads TypeScript and sends its cache when it is ready: nothing was evaluated.
    const until = Date.now() + 20_000;
    while (readFileSync(file).length === 4096 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(readFileSync(file).length > 100_000, 'the prepared process made the cache');
    // The evaluation is served by that process (it had rejected the cache; a new one would accept it).
    await evaluate();
    assert.equal(lastTypeScriptCacheUse(), 'rejected');
  });

  it('is not made while the build’s cache is accepted', async () => {
    const cacheFolder = path.join(folder, 'absent');
    stopSpareProcess();
    useTypeScriptCacheFolder(cacheFolder);
    await evaluate();
    assert.equal(lastTypeScriptCacheUse(), 'accepted');
    assert.equal(existsSync(cacheFolder), false);
  });
});
