/**
 * The host's side of sandbox processes: starts them (one spare ahead, so that nobody waits for a process
 * and TypeScript to load), sends a request, and ends the process when it answers or breaks a limit. Nothing
 * here waits on the snippet: time, memory and cancellation are watched from outside the process, which is
 * killed (SIGKILL) at once when one is crossed, and every process is used for one evaluation only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FrameReader, frameHeader } from './frames.ts';
import { FRAME, LOG_LIMITS, type ReadyInfo, type SandboxRequest } from './protocol.ts';
import { probeNetworkIsolator, sandboxLaunch, type SandboxLaunch, type SandboxWalls } from './sandboxLaunch.ts';
import { MAX_CACHE_BYTES, typeScriptCacheFile, writeTypeScriptCache } from './typescriptCache.ts';
import type { CacheUse } from './typescriptLoader.ts';
import { SETTINGS } from '../shared/settings.ts';

export interface SandboxLimits {
  readonly timeLimitMs: number;
  readonly maxNodes: number;
  readonly memoryLimitMb: number;
  /** The rewrite's own time limit (default `REWRITE_TIME_LIMIT_MS`). */
  readonly rewriteTimeLimitMs?: number;
}

/** How a sandboxed evaluation ended, before its payload is checked. */
export type SandboxOutcome =
  | { readonly kind: 'result' | 'failure'; readonly payload: Uint8Array; readonly rewriteMs: number }
  | { readonly kind: 'stopped'; readonly reason: StopReason; readonly detail?: string };

/** Why the host ended a process: a limit in the rewrite or in the run, cancellation, or a crash. */
export type StopReason = 'rewriteTime' | 'rewriteMemory' | 'time' | 'memory' | 'cancelled' | 'crash';

/** The rewrite has a time limit of its own: a file so large that TypeScript takes this long is refused. */
export const REWRITE_TIME_LIMIT_MS = 10_000;
/** After the time limit, how long the process has to report where it was before it is killed. */
const GRACE_MS = 1000;
/** How often the resident size is read. */
const MEMORY_POLL_MS = 20;
const PAGE_BYTES = 4096;
const MB = 1024 * 1024;

/** The bundled sandbox process and the folder it may read: beside this file once built, or dist/ from source. */
function sandboxEntry(): { entry: string; folder: string } {
  const candidates = [path.join(__dirname, 'sandboxProcess.js'), path.join(__dirname, '..', '..', 'dist', 'sandboxProcess.js')];
  const entry = candidates.find((candidate) => existsSync(candidate));
  if (!entry) throw new Error(`the sandbox is not built (looked for ${candidates.join(', ')}): run npm run build`);
  return { entry, folder: path.dirname(entry) };
}

/** Resident bytes of a process, from /proc (Linux); undefined once it is gone. */
function residentBytes(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * PAGE_BYTES;
  } catch {
    return undefined;
  }
}

/** One sandbox process: its pipes, its frames, and how it ended. */
class SandboxProcess {
  readonly child: ChildProcess;
  readyInfo: ReadyInfo | undefined;
  /** Resident bytes when it became ready: the memory limit counts what the evaluation adds to this. */
  baseline = 0;
  stderrTail = '';
  closed: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /**
   * Where the process is in its one evaluation. Frames must come in order (ready, then rewritten, then a
   * result; a failure at any point; then nothing): a frame out of order ends the process, so that a
   * process that got out of hand cannot, say, restart the time limit by repeating `rewritten`.
   */
  stage: 'starting' | 'ready' | 'rewritten' | 'done' = 'starting';
  /** Bound for the frames of the current request (set by `run`). */
  limitOf: (kind: number) => number = () => 4096;
  onFrame: (kind: number, payload: Uint8Array) => void = () => undefined;
  onHeader: (kind: number, length: number) => void = () => undefined;
  onClose: () => void = () => undefined;
  onReady: () => void = () => undefined;
  protocolError: string | undefined;

  /** `launch` names the editor's TypeScript cache `typescriptCache`: the process may send one for it. */
  constructor(readonly launch: SandboxLaunch, private readonly typescriptCache?: string) {
    this.child = spawn(launch.command, launch.args, { stdio: ['pipe', 'pipe', 'pipe'], env: launch.env, cwd: path.dirname(sandboxEntry().entry), windowsHide: true });
    const reader = new FrameReader((kind) => (!this.expects(kind) ? -1 : kind === FRAME.typescriptCache ? MAX_CACHE_BYTES : this.limitOf(kind)), (kind, payload) => {
      if (kind === FRAME.typescriptCache) return writeTypeScriptCache(this.typescriptCache!, payload);
      this.stage = kind === FRAME.ready ? 'ready' : kind === FRAME.rewritten ? 'rewritten' : 'done';
      if (kind === FRAME.ready) {
        this.readyInfo = parseReady(payload);
        this.baseline = (this.child.pid !== undefined ? residentBytes(this.child.pid) : undefined) ?? 0;
        this.onReady();
      } else {
        this.onFrame(kind, payload);
      }
    }, (kind, length) => this.onHeader(kind, length));
    this.child.stdout!.on('data', (chunk: Buffer) => {
      if (this.protocolError !== undefined) return;
      this.protocolError = reader.push(chunk);
      if (this.protocolError !== undefined) this.kill();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      // Only the end matters (V8's last words when it runs out of heap).
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.on('error', () => undefined);
    this.child.on('close', (code, signal) => {
      this.closed = { code, signal };
      this.onClose();
    });
  }

  private expects(kind: number): boolean {
    switch (this.stage) {
      // A cache only before `ready`, while no code of a snippet's has run in the process.
      case 'starting': return kind === FRAME.ready || kind === FRAME.failure || (kind === FRAME.typescriptCache && this.typescriptCache !== undefined);
      case 'ready': return kind === FRAME.rewritten || kind === FRAME.failure;
      case 'rewritten': return kind === FRAME.result || kind === FRAME.failure;
      default: return false;
    }
  }

  /** Whether the process may keep the host (the CLI) alive: only while it evaluates. */
  setReferenced(referenced: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as Array<{ ref?(): void; unref?(): void } | null>) {
      if (referenced) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  send(request: SandboxRequest): void {
    const payload = new TextEncoder().encode(JSON.stringify(request));
    this.child.stdin!.write(frameHeader(FRAME.request, payload.length));
    this.child.stdin!.write(payload);
  }

  kill(): void {
    if (this.closed) return;
    this.child.kill('SIGKILL');
  }
}

const CACHE_USES: readonly unknown[] = ['accepted', 'rejected', 'none'] satisfies CacheUse[];

function parseReady(payload: Uint8Array): ReadyInfo {
  try {
    const ready = JSON.parse(new TextDecoder().decode(payload)) as { permission?: unknown; typescriptCache?: unknown };
    return { permission: ready.permission === true, typescriptCache: CACHE_USES.includes(ready.typescriptCache) ? ready.typescriptCache as CacheUse : undefined };
  } catch {
    return { permission: false };
  }
}

/**
 * Module state: the spare process, what the last process said when ready, whether this Node rejects the
 * permission flags, and the folder of the editor's TypeScript cache.
 */
const state: { spare: SandboxProcess | undefined; walls: SandboxWalls | undefined; ready: ReadyInfo | undefined; permissionRejected: boolean; cacheFolder: string | undefined } = {
  spare: undefined, walls: undefined, ready: undefined, permissionRejected: false, cacheFolder: undefined,
};

/**
 * Keeps the editor's code cache for TypeScript in `folder` (the extension's global storage), made by the
 * sandbox processes' own V8 at first use; undefined goes back to the build's cache only (the CLI).
 */
export function useTypeScriptCacheFolder(folder: string | undefined): void {
  state.cacheFolder = folder;
}

function start(memoryLimitMb: number): SandboxProcess {
  const { entry, folder } = sandboxEntry();
  const cache = state.cacheFolder !== undefined ? typeScriptCacheFile(state.cacheFolder, path.join(folder, 'typescript.js')) : undefined;
  const launch = sandboxLaunch(entry, cache !== undefined ? [folder, cache] : [folder], memoryLimitMb, !state.permissionRejected, cache !== undefined ? [`--typescript-cache=${cache}`] : []);
  const sandbox = new SandboxProcess(launch, cache);
  sandbox.setReferenced(false);
  return sandbox;
}

/**
 * A process for this evaluation: the spare if it fits, else a new one. The next spare is started once this
 * one is ready (`runSandboxed`), so that two processes never load TypeScript at once on the user's cores.
 */
function takeProcess(memoryLimitMb: number): SandboxProcess {
  const { entry, folder } = sandboxEntry();
  const wanted = sandboxLaunch(entry, [folder], memoryLimitMb, !state.permissionRejected).key;
  let sandbox = state.spare;
  state.spare = undefined;
  if (!sandbox || sandbox.closed || sandbox.launch.key !== wanted) {
    sandbox?.kill();
    sandbox = start(memoryLimitMb);
  }
  return sandbox;
}

/**
 * Starts the spare process ahead of the first evaluation (the extension does when it activates, as a
 * TypeScript or JavaScript file opens): the first command then finds a process with TypeScript loaded
 * instead of starting one while the editor is still busy opening the window. Does nothing when a spare is
 * there already; a failure to start is left for the first evaluation to report.
 */
export async function prepareSandbox(memoryLimitMb: number = SETTINGS.memoryLimit.default): Promise<void> {
  await probeNetworkIsolator();
  if (state.spare && !state.spare.closed) return;
  try {
    state.spare = takeProcess(memoryLimitMb);
  } catch {
    // Not built, or the binary is gone: the evaluation says so, located.
  }
}

/** Ends the spare process (the extension's `deactivate`, the CLI's exit). */
export function stopSpareProcess(): void {
  state.spare?.kill();
  state.spare = undefined;
}

/** The walls around the last evaluation (undefined before the first process was ready). */
export function sandboxWalls(): SandboxWalls | undefined {
  return state.walls;
}

/** Whether V8 accepted the TypeScript cache of the last evaluation's process (undefined before one was ready). */
export function lastTypeScriptCacheUse(): CacheUse | undefined {
  return state.ready?.typescriptCache;
}

/** Largest frame payloads: a result is bounded by the node limit and the document's size. */
function frameLimits(limits: SandboxLimits, textLength: number): (kind: number) => number {
  const failureBytes = 64 * 1024 + 8 * (LOG_LIMITS.characters + LOG_LIMITS.lines * 16);
  const resultBytes = 64 * MB + 8 * failureBytes + 64 * textLength + 69 * limits.maxNodes;
  return (kind) => {
    switch (kind) {
      case FRAME.ready: return 4096;
      case FRAME.rewritten: return 4096;
      case FRAME.failure: return failureBytes + 8 * textLength;
      case FRAME.result: return resultBytes;
      default: return -1;
    }
  };
}

/**
 * Evaluates a request in a sandbox process, within the limits. Never throws. With `request.reuse`, a
 * process that answered serves the next evaluation (in a fresh context) instead of being ended.
 */
export async function runSandboxed(request: SandboxRequest, limits: SandboxLimits, signal?: AbortSignal): Promise<SandboxOutcome> {
  await probeNetworkIsolator();
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: 'stopped', reason: 'cancelled' });
    let sandbox: SandboxProcess;
    try {
      sandbox = takeProcess(limits.memoryLimitMb);
    } catch (error) {
      return resolve({ kind: 'stopped', reason: 'crash', detail: (error as Error).message });
    }
    let settled = false;
    let rewritten = false;
    let rewriteMs = 0;
    let timer: NodeJS.Timeout | undefined;
    let memoryTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: SandboxOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(memoryTimer);
      signal?.removeEventListener('abort', abort);
      sandbox.setReferenced(false);
      if (request.reuse === true && outcome.kind !== 'stopped' && !sandbox.closed && state.spare === undefined) {
        // It makes a fresh context and says it is ready again; meanwhile it is the spare already (a request
        // sent to it waits in its input).
        sandbox.stage = 'starting';
        sandbox.readyInfo = undefined;
        sandbox.onReady = () => undefined;
        state.spare = sandbox;
      } else {
        sandbox.kill();
      }
      resolve(outcome);
    };
    const stopAfter = (ms: number, reason: 'time' | 'rewriteTime') => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'stopped', reason }), ms);
    };
    const abort = () => finish({ kind: 'stopped', reason: 'cancelled' });
    signal?.addEventListener('abort', abort);
    sandbox.setReferenced(true);
    sandbox.limitOf = frameLimits(limits, request.text.length);

    const watchMemory = () => {
      if (!sandbox.launch.walls.residentMemory || sandbox.child.pid === undefined) return;
      const pid = sandbox.child.pid;
      memoryTimer = setInterval(() => {
        const resident = residentBytes(pid);
        if (resident !== undefined && resident - sandbox.baseline > limits.memoryLimitMb * MB) finish({ kind: 'stopped', reason: rewritten ? 'memory' : 'rewriteMemory' });
      }, MEMORY_POLL_MS);
    };
    const onReady = () => {
      state.walls = { ...sandbox.launch.walls, permission: sandbox.readyInfo?.permission ?? false };
      state.ready = sandbox.readyInfo;
      watchMemory();
      // The next evaluation's process: this one again when it is to be reused, else a new spare.
      if (request.reuse !== true) state.spare ??= start(limits.memoryLimitMb);
    };
    if (sandbox.readyInfo) onReady();
    else sandbox.onReady = onReady;

    sandbox.onHeader = (kind, length) => {
      // A large result takes a moment to arrive: its own allowance, not the snippet's time.
      if (kind === FRAME.result) stopAfter(10_000 + length / (20 * MB) * 1000, 'time');
    };
    sandbox.onFrame = (kind, payload) => {
      if (kind === FRAME.rewritten) {
        rewritten = true;
        rewriteMs = parseRewriteMs(payload);
        stopAfter(limits.timeLimitMs + GRACE_MS, 'time');
      } else if (kind === FRAME.result || kind === FRAME.failure) {
        finish({ kind: kind === FRAME.result ? 'result' : 'failure', payload, rewriteMs });
      }
    };
    sandbox.onClose = () => {
      if (settled) return;
      const { code, signal: killedBy } = sandbox.closed!;
      if (/heap limit|heap out of memory|Allocation failed|invalid array length/i.test(sandbox.stderrTail)) return finish({ kind: 'stopped', reason: rewritten ? 'memory' : 'rewriteMemory' });
      if (!sandbox.readyInfo && code === 9 && sandbox.launch.walls.permissionRequested && !state.permissionRejected) {
        // This Node (an editor's Electron, say) rejects the permission flags: go on without that wall.
        state.permissionRejected = true;
        state.spare?.kill();
        state.spare = undefined;
        clearTimeout(timer);
        clearInterval(memoryTimer);
        signal?.removeEventListener('abort', abort);
        settled = true;
        void runSandboxed(request, limits, signal).then(resolve);
        return;
      }
      const how = killedBy ? `signal ${killedBy}` : `exit code ${code}`;
      // What the process printed is not shown: it may name files of the extension's.
      finish({ kind: 'stopped', reason: 'crash', detail: `the evaluation process stopped unexpectedly (${how}${sandbox.protocolError ? `; it sent ${sandbox.protocolError}` : ''})` });
    };
    stopAfter(limits.rewriteTimeLimitMs ?? REWRITE_TIME_LIMIT_MS, 'rewriteTime');
    sandbox.send(request);
  });
}

function parseRewriteMs(payload: Uint8Array): number {
  try {
    const value = (JSON.parse(new TextDecoder().decode(payload)) as { rewriteMs?: unknown }).rewriteMs;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
  } catch {
    return 0;
  }
}
