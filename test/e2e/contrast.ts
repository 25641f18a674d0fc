// The contrast of every text in the panel, measured in the page from computed colours: WCAG's ratio of the
// relative luminances of a text's colour and of what is behind it (the first opaque background up the
// tree, or, inside a diagram box, the box's fill), with translucent layers blended over it.
import type { FrameLocator } from 'playwright-core';

export interface LowContrast {
  readonly text: string;
  readonly ratio: number;
  readonly colour: string;
  readonly background: string;
}

/** Texts in the panel whose contrast is below `minimum` (WCAG AA: 4.5). */
export async function lowContrastTexts(frame: FrameLocator, minimum = 4.5): Promise<LowContrast[]> {
  // tsx keeps function names with a helper that the page does not have.
  await frame.locator('body').evaluate(() => { (window as unknown as { __name: unknown }).__name = (target: unknown) => target; });
  return frame.locator('body').evaluate((body, least) => {
    type Colour = [number, number, number, number];
    const probe = document.createElement('canvas').getContext('2d')!;
    /** Any CSS colour (rgb(), color(srgb …), color-mix results) as RGBA in 0..1, through the canvas's parser. */
    const parse = (css: string): Colour => {
      const values = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)$/.exec(css);
      if (values) return [Number(values[1]), Number(values[2]), Number(values[3]), values[4] === undefined ? 1 : Number(values[4])];
      const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
      if (rgb) return [Number(rgb[1]) / 255, Number(rgb[2]) / 255, Number(rgb[3]) / 255, rgb[4] === undefined ? 1 : Number(rgb[4])];
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = '#000';
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      return [r / 255, g / 255, b / 255, a / 255];
    };
    const over = (top: Colour, bottom: Colour): Colour => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      return [0, 1, 2].map((k) => (top[k] * top[3] + bottom[k] * bottom[3] * (1 - top[3])) / a).concat(a) as Colour;
    };
    const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const luminance = (c: Colour) => 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
    const ratio = (a: Colour, b: Colour) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (light + 0.05) / (dark + 0.05);
    };
    const pageBackground = parse(getComputedStyle(body).backgroundColor);
    /** What is behind an element: the layers up the tree, a diagram box's fill included, over the page. */
    const behind = (element: Element): Colour => {
      const layers: Colour[] = [];
      for (let current: Element | null = element; current !== null && current !== body; current = current.parentElement) {
        const style = getComputedStyle(current);
        const background = parse(style.backgroundColor);
        if (background[3] > 0) layers.push(background);
        if (current.matches('g.node')) {
          const shape = current.querySelector('.label-container, rect, circle, polygon, path');
          if (shape) {
            const fill = parse(getComputedStyle(shape).fill);
            if (fill[3] > 0) layers.push(fill);
          }
        }
        if (layers.length > 0 && layers[layers.length - 1][3] >= 1) break;
      }
      return layers.reduceRight((below, layer) => over(layer, below), pageBackground);
    };
    const found: Array<{ text: string; ratio: number; colour: string; background: string }> = [];
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (text === '' || parent === null) continue;
      const rects = parent.getClientRects();
      const style = getComputedStyle(parent);
      if (rects.length === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0 || parent.closest('[hidden]')) continue;
      // Text that is not meant to be read (the record dividers are drawn transparent on purpose).
      if (parent.closest('.sep') || parent.closest('[aria-hidden="true"]')) continue;
      const colour = parse(parent instanceof SVGElement ? style.fill : style.color);
      if (colour[3] === 0) continue;
      const background = behind(parent);
      const measured = ratio(over(colour, background), background);
      if (measured < least) found.push({ text: text.slice(0, 40), ratio: Math.round(measured * 100) / 100, colour: parent instanceof SVGElement ? style.fill : style.color, background: `rgb(${background.slice(0, 3).map((c) => Math.round(c * 255)).join(', ')})` });
    }
    return found;
  }, minimum);
}
