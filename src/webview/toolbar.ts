/**
 * The panel's toolbar, as VS Code's own views have one: a title and a status on the left, icon buttons
 * (codicons, each with a tooltip) on the right, and a "More actions" menu for what does not fit. Which
 * actions fit is plain arithmetic (`splitActions`), so it is unit-tested; the rest is the DOM around it.
 */
import { element } from './dom.ts';

export interface ToolbarAction {
  readonly id: string;
  /** A codicon name: `zoom-in`. */
  readonly icon: string;
  /** Its name in the "More actions" menu. */
  readonly label: string;
  /** Its tooltip, with its key if it has one. */
  readonly title: string;
  /** Lower goes to the menu first when the toolbar is narrow. */
  readonly priority: number;
  /** A toggle shows whether it is on (`aria-pressed`). */
  readonly toggle?: true;
  /** Actions of one group stay together: all in the toolbar or all in the menu (zoom out and in). */
  readonly group?: string;
  readonly run: () => void;
}

/** Width of an icon button, and of the zoom percentage shown between the zoom buttons. */
export const ICON_WIDTH = 26;
export const ZOOM_LABEL_WIDTH = 44;

/**
 * Which of the available actions stay in the toolbar when `room` pixels are free for them: the highest
 * priorities, as many as fit; the rest go to the menu, whose button then needs room too. `extra` is width
 * an action brings beside its own button (the zoom percentage, for zoom in).
 */
export function splitActions(actions: ReadonlyArray<Pick<ToolbarAction, 'id' | 'priority' | 'group'>>, room: number, extra: Readonly<Record<string, number>> = {}): { shown: Set<string>; overflow: string[] } {
  // Units: an action on its own, or a group's actions together (at the priority of its most important).
  const units = new Map<string, { ids: string[]; width: number; priority: number }>();
  for (const action of actions) {
    const key = action.group ?? action.id;
    const unit = units.get(key) ?? { ids: [], width: 0, priority: -Infinity };
    unit.ids.push(action.id);
    unit.width += ICON_WIDTH + (extra[action.id] ?? 0);
    unit.priority = Math.max(unit.priority, action.priority);
    units.set(key, unit);
  }
  const total = [...units.values()].reduce((sum, unit) => sum + unit.width, 0);
  const shown = new Set<string>();
  if (total <= room) {
    for (const action of actions) shown.add(action.id);
    return { shown, overflow: [] };
  }
  let used = ICON_WIDTH;
  for (const unit of [...units.values()].sort((a, b) => b.priority - a.priority)) {
    if (used + unit.width > room) continue;
    used += unit.width;
    for (const id of unit.ids) shown.add(id);
  }
  return { shown, overflow: actions.filter((action) => !shown.has(action.id)).map((action) => action.id) };
}

const icon = (name: string) => element('span', { className: `codicon codicon-${name}`, attributes: { 'aria-hidden': 'true' } });

/**
 * The toolbar: `left` (title, status…) shrinks first; the actions follow `available` (the ids that apply
 * now) and `pressed` (toggles that are on); `extra` as in `splitActions`.
 */
export function createToolbar(left: readonly HTMLElement[], actions: readonly ToolbarAction[], extra: Readonly<Record<string, HTMLElement>>) {
  const buttons = new Map<string, HTMLButtonElement>();
  for (const action of actions) {
    const created = element('button', { className: action.toggle ? 'icon toggle' : 'icon', title: action.title, attributes: { type: 'button', 'aria-label': action.title, 'data-action': action.id } }, [icon(action.icon)]);
    created.addEventListener('click', action.run);
    buttons.set(action.id, created);
  }
  const more = element('button', { className: 'icon more', title: 'More actions', attributes: { type: 'button', 'aria-label': 'More actions', 'aria-haspopup': 'menu', 'aria-expanded': 'false' } }, [icon('ellipsis')]);
  const menu = element('div', { className: 'menu', attributes: { role: 'menu' } });
  menu.hidden = true;
  const items = element('span', { className: 'actions' });
  for (const action of actions) {
    if (extra[action.id]) items.append(extra[action.id]);
    items.append(buttons.get(action.id)!);
  }
  const bar = element('div', { className: 'toolbar', attributes: { role: 'toolbar', 'aria-label': 'Graph' } }, [
    ...left, element('span', { className: 'spacer' }), items, more, menu,
  ]);
  let available = new Set<string>();
  let overflow: string[] = [];

  const closeMenu = () => {
    menu.hidden = true;
    more.setAttribute('aria-expanded', 'false');
  };
  const openMenu = () => {
    menu.replaceChildren(...overflow.map((id) => {
      const action = actions.find((candidate) => candidate.id === id)!;
      const item = element('button', { className: 'menu-item', title: action.title, attributes: { type: 'button', role: 'menuitem' } }, [icon(action.icon), element('span', { text: action.label })]);
      item.addEventListener('click', () => { closeMenu(); action.run(); });
      return item;
    }));
    menu.hidden = false;
    more.setAttribute('aria-expanded', 'true');
    (menu.firstElementChild as HTMLElement | null)?.focus();
  };
  more.addEventListener('click', () => (menu.hidden ? openMenu() : closeMenu()));
  menu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      closeMenu();
      more.focus();
    }
  });
  document.addEventListener('pointerdown', (event) => {
    if (!menu.hidden && !menu.contains(event.target as Node) && event.target !== more && !more.contains(event.target as Node)) closeMenu();
  });

  /** Shows what fits: the actions that apply now, by priority, the rest in the menu. */
  function layout(): void {
    const leftWidth = Math.min(left.reduce((sum, part) => sum + (part.hidden ? 0 : part.scrollWidth + 4), 0), 40 + 80);
    const room = bar.clientWidth - 16 - leftWidth;
    const applicable = actions.filter((action) => available.has(action.id));
    const extraWidths = Object.fromEntries(Object.keys(extra).map((id) => [id, ZOOM_LABEL_WIDTH]));
    const split = splitActions(applicable, room, extraWidths);
    overflow = split.overflow;
    for (const action of actions) {
      const shown = split.shown.has(action.id);
      buttons.get(action.id)!.hidden = !shown;
      if (extra[action.id]) extra[action.id].hidden = !shown;
    }
    more.hidden = overflow.length === 0;
    if (overflow.length === 0) closeMenu();
  }
  new ResizeObserver(layout).observe(bar);

  return {
    element: bar,
    update(applicable: Iterable<string>, pressed: ReadonlySet<string> = new Set()): void {
      available = new Set(applicable);
      for (const action of actions) if (action.toggle) buttons.get(action.id)!.setAttribute('aria-pressed', String(pressed.has(action.id)));
      layout();
    },
  };
}
