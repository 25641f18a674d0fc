/**
 * The host's side of exporting the panel's picture, without VS Code: what each format is called and saved as,
 * the file name the save dialog proposes (after the evaluated file: `micrograd.ts` gives `micrograd.svg`), and
 * the check of what the panel sent (a message from the webview is input like any other: a wrong one is a
 * clear error, never a crash or a broken file). `exportPicture.ts` is the glue that asks and writes.
 */
import type { ExportFormat, WebviewMessage } from '../shared/messages.ts';

export type ExportMessage = Extract<WebviewMessage, { type: 'export' }>;

/** Each format's file extension, its name in the save dialog's filter, and in messages. */
export const EXPORT_FORMATS: Readonly<Record<ExportFormat, { readonly extension: string; readonly filter: string; readonly name: string }>> = {
  svg: { extension: 'svg', filter: 'SVG image', name: 'SVG' },
  png: { extension: 'png', filter: 'PNG image', name: 'PNG' },
  mermaid: { extension: 'mmd', filter: 'Mermaid diagram', name: 'mermaid text' },
};

/** The name proposed for a picture of an untitled document (or of none). */
export const FALLBACK_NAME = 'gradient-graph';

/**
 * The most the panel may send: a PNG of the largest canvas Chromium makes (`svgExport.ts`'s limits) is far
 * less, and an SVG of 1,000 boxes about 2 MB.
 */
export const MAX_EXPORT_CHARACTERS = 200_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The file name proposed for a picture of the document at `documentPath` (a path or a URI's path, either
 * separator): its base name without its extension, with the format's; `untitled` documents, and names that
 * would be empty, get `gradient-graph`.
 */
export function defaultExportName(documentPath: string | undefined, untitled: boolean, format: ExportFormat): string {
  const base = untitled || documentPath === undefined ? '' : (documentPath.split(/[\\/]/).pop() ?? '');
  // `micrograd.ts` → `micrograd`, `.eslintrc.js` → `.eslintrc`; a name that is only an extension keeps it.
  const stem = base.replace(/(.)\.[^.]*$/, '$1').trim();
  return `${stem === '' ? FALLBACK_NAME : stem}.${EXPORT_FORMATS[format].extension}`;
}

/** What the host does with an export message: copy this text, or write these bytes to a file. */
export type CheckedExport =
  | { readonly ok: true; readonly format: ExportFormat; readonly target: 'clipboard'; readonly text: string }
  | { readonly ok: true; readonly format: ExportFormat; readonly target: 'file'; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly error: string };

/**
 * Checks what the panel sent for an export and turns it into what to copy or write: text for mermaid and SVG,
 * decoded bytes for a PNG (which must be base64 of a PNG file). A PNG goes to a file only: the host's
 * clipboard takes text.
 */
export function checkExport(message: Partial<ExportMessage>): CheckedExport {
  const { format, target, content } = message;
  if (format !== 'mermaid' && format !== 'svg' && format !== 'png') return { ok: false, error: `unknown export format ${JSON.stringify(format)}` };
  if (target !== 'file' && target !== 'clipboard') return { ok: false, error: `unknown export target ${JSON.stringify(target)}` };
  if (typeof content !== 'string' || content.length === 0) return { ok: false, error: `the panel sent no ${EXPORT_FORMATS[format].name} to export` };
  if (content.length > MAX_EXPORT_CHARACTERS) return { ok: false, error: `the ${EXPORT_FORMATS[format].name} is larger than ${MAX_EXPORT_CHARACTERS / 1_000_000} MB` };
  if (format === 'svg' && !/^(?:<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(content)) return { ok: false, error: 'the SVG the panel sent does not start with <svg' };
  if (format === 'mermaid' && !/^\s*(?:flowchart|graph)\b/.test(content)) return { ok: false, error: 'the mermaid text the panel sent is not a flowchart' };
  if (format !== 'png') {
    return target === 'clipboard' ? { ok: true, format, target, text: content } : { ok: true, format, target, bytes: new TextEncoder().encode(content) };
  }
  if (target === 'clipboard') return { ok: false, error: 'a PNG is copied by the panel itself, not through the host' };
  if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) return { ok: false, error: 'the PNG the panel sent is not base64' };
  const bytes = new Uint8Array(Buffer.from(content, 'base64'));
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) return { ok: false, error: 'the PNG the panel sent is not a PNG file' };
  return { ok: true, format, target, bytes };
}
