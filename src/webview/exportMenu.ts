/**
 * The toolbar's Export menu: copy or save the picture as mermaid text, SVG or PNG (`exportView.ts` does the
 * work). It opens under the Export button, or under "More actions" when Export is in that menu, with the
 * focus on its first item; arrows, Home and End move between items, Enter runs one, Escape and Tab close it.
 */
import type { ExportFormat } from '../shared/messages.ts';
import { element } from './dom.ts';
import { canCopyImages, exportPicture } from './exportView.ts';

interface ExportItem {
  readonly label: string;
  readonly icon: string;
  readonly format: ExportFormat;
  readonly target: 'file' | 'clipboard';
}

const ITEMS: readonly ExportItem[] = [
  { label: 'Copy mermaid text', icon: 'copy', format: 'mermaid', target: 'clipboard' },
  { label: 'Copy SVG', icon: 'copy', format: 'svg', target: 'clipboard' },
  { label: 'Copy PNG', icon: 'copy', format: 'png', target: 'clipboard' },
  { label: 'Save as SVG…', icon: 'save', format: 'svg', target: 'file' },
  { label: 'Save as PNG…', icon: 'save', format: 'png', target: 'file' },
  { label: 'Save mermaid text…', icon: 'save', format: 'mermaid', target: 'file' },
];

/**
 * The menu, placed in `bar` (the toolbar, positioned): `toggle` opens it under whichever of `anchors` is shown
 * (the Export button first, then "More actions").
 */
export function createExportMenu(bar: HTMLElement, anchors: () => readonly HTMLElement[]) {
  const menu = element('div', { className: 'export-menu', attributes: { role: 'menu', 'aria-label': 'Export the picture' } });
  menu.hidden = true;
  let anchor: HTMLElement | undefined;
  const items = ITEMS.filter((item) => item.format !== 'png' || item.target !== 'clipboard' || canCopyImages()).map((item) => {
    const button = element('button', { className: 'menu-item', attributes: { type: 'button', role: 'menuitem', 'data-export': `${item.format}-${item.target}` } }, [
      element('span', { className: `codicon codicon-${item.icon}`, attributes: { 'aria-hidden': 'true' } }),
      element('span', { text: item.label }),
    ]);
    button.addEventListener('click', () => {
      close(false);
      void exportPicture(item.format, item.target);
    });
    return button;
  });
  // Copying and saving, apart.
  const firstSave = items.findIndex((button) => button.dataset.export?.endsWith('-file'));
  menu.append(...items.slice(0, firstSave), element('div', { className: 'menu-separator', attributes: { role: 'separator' } }), ...items.slice(firstSave));
  bar.append(menu);

  function close(refocus: boolean): void {
    if (menu.hidden) return;
    menu.hidden = true;
    anchor?.setAttribute('aria-expanded', 'false');
    if (refocus) anchor?.focus();
  }

  function open(): void {
    anchor = anchors().find((candidate) => !candidate.hidden && candidate.getClientRects().length > 0);
    // Under its button: the menu's right edge on the button's.
    const right = anchor === undefined ? 8 : bar.getBoundingClientRect().right - anchor.getBoundingClientRect().right;
    menu.style.right = `${Math.max(0, right)}px`;
    menu.hidden = false;
    anchor?.setAttribute('aria-expanded', 'true');
    items[0]?.focus();
  }

  menu.addEventListener('keydown', (event) => {
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Partial<Record<string, number>> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      items[(next + items.length) % items.length].focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  });
  // A press outside closes it, except on the Export button, whose click toggles it.
  document.addEventListener('pointerdown', (event) => {
    const target = event.target as Node;
    if (!menu.hidden && !menu.contains(target) && !(anchors()[0]?.contains(target) ?? false)) close(false);
  });

  return {
    element: menu,
    /** Opens the menu, or closes it if it is open. */
    toggle(): void {
      if (menu.hidden) open();
      else close(true);
    },
    close: () => close(false),
  };
}
