/**
 * Exporting the picture shown, the page's side: the mermaid text of the view message, a standalone SVG made
 * from the drawn one (`svgExport.ts` does the string work; this reads the page's stylesheet and theme), and a
 * PNG rasterised from that SVG on a canvas. Files and text go to the host (`export` messages), which owns the
 * save dialog and VS Code's clipboard; a PNG is copied here, through the webview's own clipboard.
 *
 * The PNG draws the SVG through an `<img>` with a `data:` URL (the CSP allows `data:` images): Chromium
 * (checked with 156) does not taint a canvas for an SVG with `foreignObject` from a `data:` URL, though it
 * does for the same SVG from a `blob:` URL, so the HTML labels are drawn as they are, with no second layout.
 */
import type { ExportFormat } from '../shared/messages.ts';
import { post } from './host.ts';
import { page } from './page.ts';
import { state } from './state.ts';
import { diagramRules, plainColour, pngScale, resolveColourMixes, resolveVariables, standaloneSvg } from './svgExport.ts';

/** The attributes the panel adds to boxes and frames for the keyboard (`mermaidView.ts`'s `decorate`). */
const INTERACTION_ATTRIBUTES = ['tabindex', 'role', 'aria-label', 'data-frame'];
/** The classes of marks (`marks.ts`): the selection, its inputs and consumers, the cursor's highlight. */
const MARK_CLASSES = ['selected', 'related', 'highlighted', 'selected-edge'];

let colourContext: CanvasRenderingContext2D | null | undefined;

/** A CSS colour computed by the page (a canvas's fill style reads any colour it can draw), or as it was if none. */
function computeColour(colour: string): string {
  colourContext ??= document.createElement('canvas').getContext('2d');
  if (colourContext === null) return colour;
  // An invalid colour leaves the fill style unchanged: a sentinel tells that apart.
  colourContext.fillStyle = '#010203';
  colourContext.fillStyle = colour;
  const computed = String(colourContext.fillStyle);
  return computed === '#010203' && colour.trim() !== '#010203' ? colour : computed;
}

/** The editor's background, the picture's background in the theme of the moment. */
function backgroundColour(): string {
  const variable = getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();
  return plainColour(computeColour(variable !== '' ? variable : getComputedStyle(document.body).backgroundColor));
}

/** The text of every style rule of the page's stylesheets (a sheet the page may not read is skipped). */
function pageRules(): string[] {
  const rules: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    let list: CSSRuleList;
    try {
      list = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of Array.from(list)) if (rule instanceof CSSStyleRule) rules.push(rule.cssText);
  }
  return rules;
}

/** The drawn SVG, or an error that says why there is none. */
function drawnSvg(): SVGSVGElement {
  const svg = page.canvas.querySelector('svg');
  if (svg === null || state.content === undefined || state.renderError !== undefined) throw new Error('there is no picture to export');
  return svg;
}

/** The picture as a standalone SVG file, its size times `scale`. */
export function pictureSvg(scale = 1): string {
  const drawn = drawnSvg();
  const clone = drawn.cloneNode(true) as SVGSVGElement;
  for (const name of INTERACTION_ATTRIBUTES) for (const marked of Array.from(clone.querySelectorAll(`g.node[${name}], .cluster-label[${name}]`))) marked.removeAttribute(name);
  for (const name of MARK_CLASSES) for (const marked of Array.from(clone.getElementsByClassName(name))) marked.classList.remove(name);
  const computed = getComputedStyle(drawn);
  const css = resolveColourMixes(resolveVariables(diagramRules(pageRules(), Array.from(document.body.classList)).join('\n'), (name) => computed.getPropertyValue(name)), computeColour);
  const { width, height } = state.content!;
  return standaloneSvg({ svg: new XMLSerializer().serializeToString(clone), width, height, background: backgroundColour(), css, scale });
}

/** The picture as a PNG at twice its size (less for a picture larger than a canvas can be), on the editor's background. */
export async function picturePng(): Promise<Blob> {
  drawnSvg();
  const { width, height } = state.content!;
  const scale = pngScale(width, height);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pictureSvg(scale))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('the page has no canvas to draw the PNG on');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => {
    try {
      canvas.toBlob((blob) => (blob === null ? reject(new Error(`a PNG of ${canvas.width}×${canvas.height} pixels could not be made`)) : resolve(blob)), 'image/png');
    } catch (error) {
      // A tainted canvas (a renderer that treats foreignObject as foreign content) refuses to be read.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** A blob's bytes in base64. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the PNG could not be read'));
    reader.readAsDataURL(blob);
  });
}

/** Whether the webview may put an image on the clipboard (the Clipboard API with ClipboardItem). */
export function canCopyImages(): boolean {
  return typeof ClipboardItem === 'function' && typeof navigator.clipboard?.write === 'function';
}

const FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = { mermaid: 'mermaid text', svg: 'SVG', png: 'PNG' };

/** Exports the picture shown as `format` to a file or the clipboard; what fails is said by the host. */
export async function exportPicture(format: ExportFormat, target: 'file' | 'clipboard'): Promise<void> {
  try {
    if (format === 'png' && target === 'clipboard') {
      // The item takes the PNG's promise, so that the write starts within the click that asked for it.
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': picturePng() })]);
      post({ type: 'exportNote', message: 'copied the graph as PNG', failed: false });
      return;
    }
    const content = format === 'mermaid' ? mermaidText() : format === 'svg' ? pictureSvg() : await base64Of(await picturePng());
    post({ type: 'export', format, target, content });
  } catch (error) {
    post({ type: 'exportNote', message: `could not export the graph as ${FORMAT_NAMES[format]}: ${error instanceof Error ? error.message : String(error)}`, failed: true });
  }
}

function mermaidText(): string {
  const text = state.current?.picture.mermaid;
  if (text === undefined) throw new Error('there is no picture to export');
  return text.endsWith('\n') ? text : `${text}\n`;
}
