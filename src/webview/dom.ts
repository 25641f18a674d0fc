/**
 * A tiny element builder. Text only ever goes in through `textContent`, so no value, name or message from a
 * graph can become markup.
 */

export interface ElementOptions {
  readonly className?: string;
  readonly text?: string;
  readonly title?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export type Child = Node | string | undefined | false;

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (options.className !== undefined) created.className = options.className;
  if (options.text !== undefined) created.textContent = options.text;
  if (options.title !== undefined) created.title = options.title;
  for (const [name, value] of Object.entries(options.attributes ?? {})) created.setAttribute(name, value);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    created.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return created;
}

/** A button that runs `action` on click. */
export function button(text: string, title: string, action: () => void, className = 'button'): HTMLButtonElement {
  const created = element('button', { className, text, title, attributes: { type: 'button', 'aria-label': title } });
  created.addEventListener('click', action);
  return created;
}
