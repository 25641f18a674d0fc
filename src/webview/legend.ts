/** The legend: a small box in a corner of the graph that names the shapes and colours (the classes are `graph/labels.ts`'s). */
import { NODE_CLASS } from '../graph/labels.ts';
import { element } from './dom.ts';

function item(swatch: HTMLElement, text: string, title?: string): HTMLElement {
  return element('li', { title }, [swatch, element('span', { text })]);
}

const SIZE_HINT = 'Border colour: the sign of ∂output/∂value; width: its size, in thirds of the largest gradient';

const box = (className: string, text = '') => element('span', { className: `swatch ${className}`, text, attributes: { 'aria-hidden': 'true' } });

/** Three swatches of one gradient sign, from small (thin border) to large (thick): the size in thirds of the largest gradient. */
function sizes(sign: 'positive' | 'negative'): HTMLElement {
  return element('span', { className: 'sizes', attributes: { 'aria-hidden': 'true' } }, [1, 2, 3].map((size) => box(`grad ${sign}${size}`)));
}

/** The legend, open or folded to its title; `onToggle` hears the user open or fold it. */
export function legend(open: boolean, onToggle: (open: boolean) => void): HTMLElement {
  const list = element('ul', {}, [
    item(box(NODE_CLASS.leaf), 'leaf', 'A value the snippet declared'),
    item(sizes('positive'), 'grad > 0', SIZE_HINT),
    item(box(NODE_CLASS.value), 'computed'),
    item(sizes('negative'), 'grad < 0', SIZE_HINT),
    item(box(NODE_CLASS.constant), 'constant', 'A literal inside an expression'),
    item(box('grad zero'), 'grad 0'),
    item(box(NODE_CLASS.output), 'output'),
    item(box(NODE_CLASS.group), 'group (click)', 'A call or loop iteration drawn as one box: click it to expand'),
    item(box(NODE_CLASS.operation, '*'), 'operation'),
    item(box(`${NODE_CLASS.operation} ${NODE_CLASS.cut}`, '⌊'), 'cut (no gradient)', 'Not differentiated (Math.floor, Number(x), …): no gradient flows back through it'),
  ]);
  const container = element('div', { className: open ? 'legend' : 'legend folded', attributes: { role: 'note', 'aria-label': 'Legend' } });
  const toggle = element('button', { className: 'legend-title', text: 'Legend', title: 'Show or hide the legend', attributes: { type: 'button', 'aria-expanded': String(open) } });
  toggle.addEventListener('click', () => {
    const folded = container.classList.toggle('folded');
    toggle.setAttribute('aria-expanded', String(!folded));
    onToggle(!folded);
  });
  container.append(toggle, list);
  return container;
}
