/**
 * The host's side of the editor's code cache for TypeScript (`typescriptLoader.ts` says why there is one):
 * which file it is, and writing it there when a sandbox process sends one.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The largest cache taken from a process (TypeScript's is about 3.5 MB). */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024;

const PREFIX = 'typescript-';
const SUFFIX = '.cache';

/**
 * The cache's file in `folder`, named by the V8 that makes and reads it (the sandbox process runs the
 * host's own binary) and by the size of the compiler it is for: an editor or extension update starts a new
 * file, instead of every process finding that V8 rejects the old one until a process replaces it.
 */
export function typeScriptCacheFile(folder: string, typescriptFile: string): string {
  let size = 0;
  try {
    size = statSync(typescriptFile).size;
  } catch {
    // No compiler there (running from source): the process then loads none from dist/ and sends no cache.
  }
  return path.join(folder, `${PREFIX}${process.versions.v8.replace(/[^\w.-]/g, '_')}-${size}${SUFFIX}`);
}

/**
 * Writes a cache a process sent, atomically (a process starting meanwhile reads the old file or the new,
 * never half of one), and removes the files of other versions. Synchronously: it takes a few milliseconds,
 * and the process started next, when this one says it is ready, then finds it. A cache is only a speed-up,
 * so a failure to write it is ignored.
 */
export function writeTypeScriptCache(file: string, bytes: Uint8Array): void {
  const folder = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    for (const name of readdirSync(folder)) {
      if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name !== path.basename(file)) rmSync(path.join(folder, name), { force: true });
    }
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Left behind: the next write replaces it.
    }
  }
}
