/**
 * The picture as a file of its own, from the SVG mermaid drew in the panel: pure string work, so it is
 * unit-tested (`exportView.ts` reads the page and calls it).
 *
 * In the panel the diagram's look comes from two places: mermaid's `<style>` inside the SVG (scoped by the
 * SVG's id) and the panel's stylesheet (`media/webview.css`, rules under `.canvas`, in the theme's
 * `--vscode-*` variables). A standalone SVG has neither the page's stylesheet nor its variables, so
 * `standaloneSvg` carries the panel's rules itself, scoped to the SVG by a class of its own and placed
 * before mermaid's style (the order the page has them in, so the cascade is the same), with every variable
 * and `color-mix()` resolved to a plain colour for the theme of the moment, and a background rectangle in the
 * editor's background colour. The labels stay HTML in `foreignObject` (htmlLabels), as drawn.
 */

/** The class the standalone SVG's root gets, which the panel's rules are scoped to instead of `.canvas`. */
export const EXPORT_CLASS = 'gradient-graph';

/** Chromium's largest canvas: 32,767 pixels a side and 268,435,456 (16,384²) in all. */
export const MAX_CANVAS_SIDE = 32_767;
export const MAX_CANVAS_AREA = 268_435_456;
/** A PNG is drawn at twice the picture's size, for slides and high-density screens. */
export const PNG_SCALE = 2;

/** The marks of the panel's interaction (hover, focus, selection, the cursor's highlight): not part of a picture. */
const INTERACTION = /:hover|:focus|:active|\.(?:selected|related|highlighted|selected-edge)(?![\w-])|\[data-frame\]/;

/** SVG's camel-case element names, which an HTML page's CSSOM writes in lower case and an SVG file matches by case. */
const SVG_ELEMENT_NAMES = ['foreignObject', 'clipPath', 'linearGradient', 'radialGradient', 'textPath'];
/** Declarations that mean something only in the panel: its pointer and its hover transitions. */
const PANEL_ONLY_PROPERTIES = /^\s*(?:cursor|transition)\s*:/;

/** Splits `text` at each `separator` that is not inside parentheses, brackets or quotes. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quote !== undefined) {
      if (character === '\\') index++;
      else if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") quote = character;
    else if (character === '(' || character === '[') depth++;
    else if (character === ')' || character === ']') depth--;
    else if (character === separator && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The panel's rules for the diagram at rest, scoped to the exported SVG: of the page's style rules (as
 * `cssText`), the selectors under `.canvas ` (with a theme's body classes before it only if the body has
 * them), without those of hover, focus and selection marks, `.canvas` replaced by `.gradient-graph`, and
 * without the declarations of the pointer (cursor, transitions).
 */
export function diagramRules(rules: readonly string[], bodyClasses: readonly string[]): string[] {
  const body = new Set(bodyClasses);
  const kept: string[] = [];
  for (const rule of rules) {
    const open = rule.indexOf('{');
    if (open <= 0 || rule.trimStart().startsWith('@')) continue;
    const selectors = splitTopLevel(rule.slice(0, open), ',').flatMap((selector) => {
      const match = /^\s*((?:\.[\w-]+\s+)*?)\.canvas\s+([^\s].*?)\s*$/s.exec(selector);
      if (match === null || INTERACTION.test(match[2])) return [];
      const themeClasses = match[1].split(/\s+/).filter((part) => part !== '').map((part) => part.slice(1));
      const scoped = SVG_ELEMENT_NAMES.reduce((selector, name) => selector.replace(new RegExp(`(?<![\\w-])${name}(?![\\w-])`, 'gi'), name), match[2]);
      return themeClasses.every((name) => body.has(name)) ? [`.${EXPORT_CLASS} ${scoped}`] : [];
    });
    const block = rule.slice(open + 1, rule.lastIndexOf('}'));
    const declarations = splitTopLevel(block, ';').filter((declaration) => declaration.trim() !== '' && !PANEL_ONLY_PROPERTIES.test(declaration));
    if (selectors.length > 0 && declarations.length > 0) kept.push(`${selectors.join(', ')} { ${declarations.map((declaration) => declaration.trim()).join('; ')}; }`);
  }
  return kept;
}

/** The end of the parenthesised group that opens at `open` (the index of its `(`), or -1 if it does not close. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    if (text[index] === '(') depth++;
    else if (text[index] === ')' && --depth === 0) return index;
  }
  return -1;
}

/**
 * Replaces each call of the CSS function `name` (`var`, `color-mix`), outermost first, with what `replace`
 * makes of its arguments; a call that does not close is left as it is.
 */
function replaceCalls(css: string, name: string, replace: (args: string) => string): string {
  const pattern = new RegExp(`(?<![\\w-])${name}\\(`, 'g');
  let result = '';
  let from = 0;
  for (let match = pattern.exec(css); match !== null; match = pattern.exec(css)) {
    const open = match.index + name.length;
    const close = closingParenthesis(css, open);
    if (close < 0) break;
    result += css.slice(from, match.index) + replace(css.slice(open + 1, close));
    from = close + 1;
    pattern.lastIndex = from;
  }
  return result + css.slice(from);
}

/**
 * Resolves every `var(--name, fallback)` with `lookup` (a custom property's computed value on the page, already
 * free of `var()`), else its fallback; a variable with neither becomes nothing, which makes its declaration
 * invalid, as in the page. Fallbacks may hold `var()` in turn.
 */
export function resolveVariables(css: string, lookup: (name: string) => string | undefined, depth = 0): string {
  if (depth > 8) return css;
  return replaceCalls(css, 'var', (args) => {
    const [name, ...fallback] = splitTopLevel(args, ',');
    const value = lookup(name.trim())?.trim();
    if (value !== undefined && value !== '') return resolveVariables(value, lookup, depth + 1);
    return fallback.length === 0 ? '' : resolveVariables(fallback.join(',').trim(), lookup, depth + 1);
  });
}

/**
 * Replaces each `color-mix(…)` with the plain colour `compute` makes of it (the page's own CSS engine, in
 * `exportView.ts`), so that renderers without `color-mix` draw the same colours.
 */
export function resolveColourMixes(css: string, compute: (colour: string) => string): string {
  return replaceCalls(css, 'color-mix', (args) => plainColour(compute(`color-mix(${args})`)));
}

const hex2 = (unit: number) => Math.round(Math.min(1, Math.max(0, unit)) * 255).toString(16).padStart(2, '0');

/**
 * A colour as every SVG renderer reads it: Chromium writes a mixed colour as `color(srgb r g b / a)`, which
 * becomes `#rrggbb` (opaque) or `rgba(r, g, b, a)`; any other text is returned as it is.
 */
export function plainColour(colour: string): string {
  const match = /^\s*color\(\s*srgb\s+([\d.e+-]+%?)\s+([\d.e+-]+%?)\s+([\d.e+-]+%?)\s*(?:\/\s*([\d.e+-]+%?)\s*)?\)\s*$/i.exec(colour);
  if (match === null) return colour.trim();
  const unit = (part: string) => (part.endsWith('%') ? Number(part.slice(0, -1)) / 100 : Number(part));
  const [red, green, blue] = [match[1], match[2], match[3]].map(unit);
  const alpha = match[4] === undefined ? 1 : Math.min(1, Math.max(0, unit(match[4])));
  if ([red, green, blue, alpha].some((value) => !Number.isFinite(value))) return colour.trim();
  if (alpha >= 1) return `#${hex2(red)}${hex2(green)}${hex2(blue)}`;
  const byte = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 255);
  return `rgba(${byte(red)}, ${byte(green)}, ${byte(blue)}, ${Number(alpha.toFixed(3))})`;
}

/** The scale a PNG of a `width`×`height` picture is drawn at: twice, or less where Chromium's canvas would be too large. */
export function pngScale(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return PNG_SCALE;
  return Math.min(PNG_SCALE, MAX_CANVAS_SIDE / width, MAX_CANVAS_SIDE / height, Math.sqrt(MAX_CANVAS_AREA / (width * height)));
}

export interface StandaloneSvgInput {
  /** The drawn SVG, serialised (`XMLSerializer`): its root is `<svg …>`. */
  readonly svg: string;
  /** The picture's size at 1:1. */
  readonly width: number;
  readonly height: number;
  /** The editor's background, a plain colour. */
  readonly background: string;
  /** The panel's rules for it, resolved (`diagramRules`, `resolveVariables`, `resolveColourMixes`). */
  readonly css: string;
  /** The size written on the root, times the picture's (a PNG is rasterised at that size). */
  readonly scale?: number;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The root tag's attributes, in order, and where the tag ends; undefined if `svg` does not start with `<svg`. */
function rootTag(svg: string): { attributes: Array<[string, string]>; start: number; end: number } | undefined {
  const start = /^\s*(?:<\?xml[^>]*\?>\s*)?<svg(?=[\s>/])/.exec(svg);
  if (start === null) return undefined;
  const attributes: Array<[string, string]> = [];
  const attribute = /\s*([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')|\s*(\/?>)/y;
  attribute.lastIndex = start[0].length;
  for (let match = attribute.exec(svg); match !== null; match = attribute.exec(svg)) {
    if (match[4] !== undefined) return match[4] === '>' ? { attributes, start: start.index, end: attribute.lastIndex } : undefined;
    attributes.push([match[1], match[2] ?? match[3]]);
  }
  return undefined;
}

/**
 * The standalone SVG file: the drawn SVG with `xmlns` set (and `xmlns:xlink` if it uses xlink), its natural
 * size (times `scale`) and viewBox, the class its rules are scoped to, the panel's rules in a `<style>` before
 * mermaid's, and a background rectangle over the whole viewBox under everything else.
 */
export function standaloneSvg(input: StandaloneSvgInput): string {
  const tag = rootTag(input.svg);
  if (tag === undefined) throw new Error('the drawn picture is not an SVG');
  const scale = input.scale ?? 1;
  const attributes = new Map(tag.attributes);
  const viewBox = (attributes.get('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
  const [x, y, width, height] = viewBox.length === 4 && viewBox.every(Number.isFinite) && viewBox[2] > 0 && viewBox[3] > 0 ? viewBox : [0, 0, input.width, input.height];
  // The panel's own sizing (max-width, the page's transform) means nothing in a file.
  attributes.delete('style');
  attributes.set('xmlns', 'http://www.w3.org/2000/svg');
  if (/\sxlink:/.test(input.svg) && !attributes.has('xmlns:xlink')) attributes.set('xmlns:xlink', 'http://www.w3.org/1999/xlink');
  const classes = (attributes.get('class') ?? '').split(/\s+/).filter((name) => name !== '' && name !== EXPORT_CLASS);
  attributes.set('class', [...classes, EXPORT_CLASS].join(' '));
  attributes.set('viewBox', `${x} ${y} ${width} ${height}`);
  attributes.set('width', String(round(input.width * scale)));
  attributes.set('height', String(round(input.height * scale)));
  const open = `<svg ${[...attributes].map(([name, value]) => `${name}="${escapeAttribute(value)}"`).join(' ')}>`;
  // CSS may hold `<` or `&` (a quoted content), which XML would read: a CDATA section keeps it as text.
  const style = `<style><![CDATA[\n${input.css.replace(/]]>/g, ']]]]><![CDATA[>')}\n]]></style>`;
  const background = `<rect class="${EXPORT_CLASS}-background" x="${x}" y="${y}" width="${width}" height="${height}" fill="${escapeAttribute(input.background)}"/>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}${style}${background}${input.svg.slice(tag.end)}`;
}

const round = (value: number) => Math.round(value * 100) / 100;
