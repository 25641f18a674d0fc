/**
 * The search bar (Ctrl+F), as VS Code's own find widget sits over an editor: a query box, "2 of 5", the
 * previous and next result, and a list of what was found. The host searches the whole graph (names and
 * source text); choosing a result opens the groups around it and selects it.
 */
import { find, revealValue } from './actions.ts';
import { element } from './dom.ts';
import { state } from './state.ts';

const input = element('input', { className: 'find-input', attributes: { type: 'text', placeholder: 'Find a value by name or source', 'aria-label': 'Find a value by name or source text', spellcheck: 'false' } });
const count = element('span', { className: 'find-count', attributes: { 'aria-live': 'polite' } });
const results = element('ul', { className: 'find-results', attributes: { role: 'listbox', 'aria-label': 'Values found' } });

function iconButton(icon: string, title: string, action: () => void): HTMLButtonElement {
  const created = element('button', { className: `icon codicon codicon-${icon}`, title, attributes: { type: 'button', 'aria-label': title } });
  created.addEventListener('click', action);
  return created;
}

/** The bar's element, placed over the viewport by `main.ts`. */
export const findBar = element('div', { className: 'find-bar', attributes: { role: 'search' } }, [
  element('div', { className: 'find-row' }, [
    input,
    count,
    iconButton('arrow-up', 'Previous value (Shift+Enter)', () => move(-1)),
    iconButton('arrow-down', 'Next value (Enter)', () => move(1)),
    iconButton('close', 'Close (Escape)', () => closeFind()),
  ]),
  results,
]);

/** Shows result `index`: its groups open and it is selected. */
export function chooseFound(index: number): void {
  const value = state.find.values[index];
  if (value === undefined) return;
  state.find = { ...state.find, index };
  renderFindBar();
  revealValue(value.node);
}

function move(step: number): void {
  const total = state.find.values.length;
  if (total === 0) return;
  chooseFound((state.find.index + step + total) % total);
}

export function openFind(): void {
  state.find = { ...state.find, open: true };
  renderFindBar();
  input.focus();
  input.select();
}

export function closeFind(): void {
  state.find = { ...state.find, open: false };
  renderFindBar();
}

input.addEventListener('input', () => {
  // Every key would be a search of the whole graph: wait until typing pauses.
  if (state.findTimer !== undefined) clearTimeout(state.findTimer);
  state.findTimer = setTimeout(() => { state.findTimer = undefined; find(input.value); }, 120);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter') {
    event.preventDefault();
    if (state.findTimer !== undefined || state.find.query !== input.value) {
      if (state.findTimer !== undefined) clearTimeout(state.findTimer);
      state.findTimer = undefined;
      state.find = { ...state.find, chooseFirst: true };
      find(input.value);
      return;
    }
    if (state.find.index < 0) chooseFound(0);
    else move(event.shiftKey ? -1 : 1);
  } else if (event.key === 'Escape') {
    event.preventDefault();
    closeFind();
  }
});

export function renderFindBar(): void {
  const { open, values, index, query } = state.find;
  findBar.classList.toggle('shown', open && state.current !== undefined);
  if (input.value !== query && document.activeElement !== input) input.value = query;
  count.textContent = query.trim() === '' ? '' : values.length === 0 ? 'No results' : `${index + 1} of ${values.length}`;
  results.replaceChildren(...values.map((value, at) => {
    const item = element('li', { className: at === index ? 'find-result current' : 'find-result', attributes: { role: 'option', 'aria-selected': String(at === index) } }, [
      element('span', { className: 'find-name', text: value.name }),
      value.line === undefined ? undefined : element('span', { className: 'find-line', text: `line ${value.line}` }),
    ]);
    item.addEventListener('click', () => chooseFound(at));
    return item;
  }));
}
