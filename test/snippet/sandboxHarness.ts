/**
 * For tests of the first wall alone: runs the built sandbox process (dist/sandboxProcess.js) as plain
 * `node`, without the walls the extension starts it with (no permission model, code generation from
 * strings allowed in the process's realm, the network there). Code that got out of the vm context would
 * then succeed in writing a file or starting a process, so an escape shows as a file that should not exist.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { FrameReader, frameHeader } from '../../src/snippet/frames.ts';
import { FRAME, type SandboxRequest } from '../../src/snippet/protocol.ts';

export const SANDBOX_PROCESS = path.join(__dirname, '..', '..', 'dist', 'sandboxProcess.js');

export interface UnwalledRun {
  /** The last frame: `result` or `failure` (undefined when the process answered neither). */
  readonly answer?: 'result' | 'failure';
  /** A failure's JSON. */
  readonly failure?: { kind: string; message: string };
  /** The process did not answer within the time limit and a few seconds more, and was killed. */
  readonly hung: boolean;
  readonly exitCode: number | null;
  readonly stderr: string;
}

export function runUnwalled(text: string, options: { timeLimitMs?: number; maxNodes?: number } = {}): Promise<UnwalledRun> {
  const timeLimitMs = options.timeLimitMs ?? 1000;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SANDBOX_PROCESS], { stdio: ['pipe', 'pipe', 'pipe'], env: {} });
    let answer: UnwalledRun['answer'];
    let failure: UnwalledRun['failure'];
    let hung = false;
    let stderr = '';
    const reader = new FrameReader(() => 512 * 1024 * 1024, (kind, payload) => {
      if (kind === FRAME.result) answer = 'result';
      if (kind === FRAME.failure) {
        answer = 'failure';
        try {
          failure = JSON.parse(new TextDecoder().decode(payload)) as UnwalledRun['failure'];
        } catch {
          failure = { kind: 'unreadable', message: '' };
        }
      }
      if (answer) child.kill('SIGKILL');
    });
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, timeLimitMs + 15_000);
    child.stdout.on('data', (chunk: Buffer) => { reader.push(chunk); });
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    child.stdin.on('error', () => undefined);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ answer, failure, hung, exitCode, stderr });
    });
    const request: SandboxRequest = { text, fileName: 'attempt.ts', start: 0, end: text.length, maxNodes: options.maxNodes ?? 100_000, timeLimitMs, randomSeed: 1 };
    const payload = new TextEncoder().encode(JSON.stringify(request));
    child.stdin.write(frameHeader(FRAME.request, payload.length));
    child.stdin.write(payload);
  });
}

/** Runs `count` jobs at most `parallel` at a time. */
export async function inParallel<T>(count: number, parallel: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await job(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}
