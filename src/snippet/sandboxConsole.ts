/**
 * The snippet's `console`: lines kept in order, within limits of lines and characters, with a last line that
 * says how much was left out. Part of the sandbox runtime (runs inside the vm context): values are
 * formatted here, where the snippet's `toJSON` and getters may run, and every read is guarded.
 */
import { LOG_LIMITS } from './protocol.ts';
import { jsonStringify, numberText, stringSlice, symbolText } from './sandboxIntrinsics.ts';

export function createConsole(plain: (value: unknown) => unknown) {
  /** The kept lines as JSON strings joined by commas: a list no prototype of the snippet's can touch. */
  let kept = '';
  let lines = 0;
  let characters = 0;
  let dropped = 0;

  function format(value: unknown): string {
    const primitive = plain(value);
    switch (typeof primitive) {
      case 'string': return primitive;
      case 'number': return numberText(primitive);
      case 'symbol': return symbolText(primitive);
      case 'bigint': return `${primitive}n`;
      case 'object':
      case 'function':
        if (primitive === null) return 'null';
        try {
          const text = jsonStringify(primitive);
          if (typeof text === 'string') return text;
        } catch {
          // Not JSON (a cycle, a getter that throws): said by its kind below.
        }
        return typeof primitive === 'function' ? '[function]' : '[object]';
      default: return String(primitive);
    }
  }

  function log(...args: unknown[]): void {
    if (lines >= LOG_LIMITS.lines || characters >= LOG_LIMITS.characters) {
      dropped++;
      return;
    }
    let line = '';
    for (let index = 0; index < args.length; index++) {
      line += (index > 0 ? ' ' : '') + format(args[index]);
      if (line.length > LOG_LIMITS.lineCharacters) break;
    }
    if (line.length > LOG_LIMITS.lineCharacters) {
      line = `${stringSlice(line, 0, LOG_LIMITS.lineCharacters)}… (the line goes on; ${LOG_LIMITS.lineCharacters} characters are kept)`;
    }
    kept += (lines > 0 ? ',' : '') + jsonStringify(line)!;
    lines++;
    characters += line.length;
  }

  return {
    api: { log, info: log, warn: log, error: log, debug: log, trace: log },
    /** The lines as a JSON array, with a note of what was dropped. */
    json(): string {
      if (dropped === 0) return `[${kept}]`;
      const note = `… ${dropped} more console ${dropped === 1 ? 'line was' : 'lines were'} not kept: the log keeps ${LOG_LIMITS.lines} lines and ${LOG_LIMITS.characters} characters`;
      return `[${kept}${lines > 0 ? ',' : ''}${jsonStringify(note)!}]`;
    },
  };
}
