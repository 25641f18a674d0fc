/**
 * How a sandbox process is started: the second wall behind the vm context. Should code ever get out of
 * the context into the process's own realm, the process it finds can do little:
 * - Node's permission model: it may read the extension's own files (`dist/`) and the editor's code cache
 *   for TypeScript (`typescriptLoader.ts`), and nothing else; it may not write a file, start a process or
 *   a worker, or load a native addon.
 * - V8 refuses to compile strings in every realm of the process (`eval`, `new Function`): the usual way
 *   from a function of the host realm to `process` is closed.
 * - On Linux, where unprivileged user namespaces are allowed, it runs in a network namespace of its own
 *   (`unshare --user --net`): no network at all, not even the loopback of the machine.
 * - Its environment is empty: no variable of the user's reaches it.
 * Which walls stand depends on the platform; `SandboxWalls` says which, and the README lists them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import v8Flags from './sandboxV8Flags.json';

/** What stands around an evaluation. */
export interface SandboxWalls {
  /** Node's permission model (no writes, no processes, no workers, no addons, reads of the extension's files and its TypeScript cache only). */
  readonly permission: boolean;
  /** A network namespace of its own: no network. */
  readonly network: boolean;
  /** The memory limit counts all of the process's memory (its resident size), not only the JavaScript heap. */
  readonly residentMemory: boolean;
}

export interface SandboxLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly walls: Omit<SandboxWalls, 'permission'> & { readonly permissionRequested: boolean };
  /** Launches with the same `key` are interchangeable (a spare process may serve either). */
  readonly key: string;
}

/**
 * V8's flags for the sandbox process, kept in a JSON file that the build reads too: TypeScript's code cache
 * (dist/typescript.cache) is only accepted by a V8 with the same flags, so the build makes it with exactly
 * these (scripts/typescript-cache.mjs); an editor whose V8 rejects it makes its own (`typescriptLoader.ts`). The heap limit is fixed at the largest memory limit, the limit
 * itself being enforced on the resident size.
 */
export const SANDBOX_V8_FLAGS: readonly string[] = v8Flags;

/** Where the resident size of a process can be read without starting another process. */
const canWatchResidentMemory = (): boolean => process.platform === 'linux' && existsSync('/proc/self/statm');

/** Node's flag for its permission model: `--permission` from Node 22.13/23.5, `--experimental-permission` before. */
function permissionFlag(): string | undefined {
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

/** `unshare`'s path once the probe found that it works here; null when it does not; undefined before. */
let unshareCommand: string | null | undefined;
let unshareProbe: Promise<void> | undefined;

const unshareCandidates = ['/usr/bin/unshare', '/bin/unshare'];
const unshareProbeArgs = (): string[] => ['--user', '--net', '--', process.execPath, '-e', '0'];

/**
 * Finds out, once, whether `unshare` can give a process a network namespace here, by starting one,
 * without waiting on it: the pool awaits this before it launches its first process (a synchronous probe
 * blocked the editor's thread for about 100 ms).
 */
export function probeNetworkIsolator(): Promise<void> {
  unshareProbe ??= new Promise((resolve) => {
    const command = process.platform === 'linux' ? unshareCandidates.find((candidate) => existsSync(candidate)) : undefined;
    if (!command) {
      unshareCommand = null;
      return resolve();
    }
    const probe = spawn(command, unshareProbeArgs(), { timeout: 5000, env: {}, stdio: 'ignore' });
    const settle = (works: boolean) => {
      // A synchronous probe (below) may have answered first.
      if (unshareCommand === undefined) unshareCommand = works ? command : null;
      resolve();
    };
    probe.on('error', () => settle(false));
    probe.on('exit', (code) => settle(code === 0));
  });
  return unshareProbe;
}

/**
 * `unshare`, if it can give a process a network namespace here. A launch never goes without the answer:
 * before the asynchronous probe has answered, it is found out synchronously.
 */
function networkIsolator(): string | undefined {
  if (unshareCommand === undefined) {
    unshareCommand = null;
    const command = process.platform === 'linux' ? unshareCandidates.find((candidate) => existsSync(candidate)) : undefined;
    if (command && spawnSync(command, unshareProbeArgs(), { timeout: 5000, env: {}, stdio: 'ignore' }).status === 0) unshareCommand = command;
  }
  return unshareCommand ?? undefined;
}

/**
 * The command line that starts `entry` as a sandbox process that may read `readable` (folders or files),
 * with `entryArgs` after the entry. `memoryLimitMb` sizes the heap where the resident size cannot be
 * watched; `withPermission: false` is the fallback for a Node that rejects the permission flags.
 */
export function sandboxLaunch(entry: string, readable: readonly string[], memoryLimitMb: number, withPermission = true, entryArgs: readonly string[] = []): SandboxLaunch {
  const residentMemory = canWatchResidentMemory();
  const flag = withPermission ? permissionFlag() : undefined;
  const v8Flags = residentMemory
    ? SANDBOX_V8_FLAGS
    : [SANDBOX_V8_FLAGS[0], `--max-old-space-size=${memoryLimitMb + 128}`];
  const nodeArgs = [
    '--no-warnings',
    ...v8Flags,
    ...(flag ? [flag, ...readable.map((item) => `--allow-fs-read=${item}`)] : []),
    entry,
    ...entryArgs,
  ];
  const isolator = networkIsolator();
  // Desktop VS Code's extension host runs in Electron, whose binary is Node only when asked.
  const env: Record<string, string> = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  return {
    command: isolator ?? process.execPath,
    args: isolator ? ['--user', '--net', '--', process.execPath, ...nodeArgs] : nodeArgs,
    env,
    walls: { permissionRequested: flag !== undefined, network: isolator !== undefined, residentMemory },
    key: `${flag ?? 'none'} ${v8Flags.join(' ')}`,
  };
}
