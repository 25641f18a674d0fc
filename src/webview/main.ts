/**
 * The panel's page script, wiring only: it lays out the page, restores the saved state, listens to the
 * host, the user and the theme, and says `ready`. What each part does lives beside it: `state.ts` (the
 * panel's one mutable state), `host.ts` (VS Code's API), `receive.ts` (the host's messages), `mermaidView.ts`
 * (drawing), `chrome.ts` (toolbar, banners, details pane), `actions.ts` (what the user can do), `input.ts`
 * (pointer, wheel, keys), `marks.ts`, `viewportView.ts` and `legend.ts`.
 *
 * The page runs under a strict CSP (scripts by nonce only): every element is built in script, and every
 * text from a graph goes in through textContent.
 */
import { NO_CHOICES } from '../graph/plan.ts';
import type { HostMessage } from '../shared/messages.ts';
import { renderAll, toolbar, trainingStrip } from './chrome.ts';
import { element } from './dom.ts';
import { findBar } from './findView.ts';
import { persist, persistPending, post, savedState } from './host.ts';
import { listenForInput } from './input.ts';
import { legend } from './legend.ts';
import { draw, loadMermaid, panelResized, themeChanged } from './mermaidView.ts';
import { page } from './page.ts';
import { receive } from './receive.ts';
import { state } from './state.ts';
import { stepperBar } from './stepperView.ts';

page.app.append(toolbar.element, page.banners, trainingStrip.element, stepperBar, element('div', { className: 'main' }, [page.viewport, page.details]));

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data as HostMessage | undefined;
  if (typeof message === 'object' && message !== null && typeof message.type === 'string') receive(message);
});

listenForInput();

// VS Code switches the body's class when the theme changes: colours follow through CSS variables, and the
// diagram is drawn again when mermaid's own theme (light or dark) changes.
new MutationObserver(() => {
  if (state.current !== undefined && themeChanged()) draw();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// A resized panel opens an unmoved view again for its new size.
new ResizeObserver(panelResized).observe(page.viewport);

// A hidden panel is destroyed: save a pending pan or zoom first.
document.addEventListener('visibilitychange', persistPending);

const saved = savedState();
if (saved !== undefined) {
  state.detailsOpen = saved.detailsOpen ?? false;
  state.legendOpen = saved.legendOpen ?? state.legendOpen;
  if (saved.key !== undefined && saved.origin !== undefined) state.pendingRestore = saved;
  if (saved.error !== undefined) state.errorMessage = saved.error;
}
page.viewport.append(findBar, legend(state.legendOpen, (open) => { state.legendOpen = open; persist(); }));
renderAll();
post({ type: 'ready' });
// After a reload: the host draws the saved evaluation as it was left (or evaluates it again).
const restoring = state.pendingRestore;
if (restoring?.key !== undefined && restoring.origin !== undefined) post({ type: 'restore', key: restoring.key, origin: restoring.origin, choices: restoring.choices ?? NO_CHOICES });
// While the host evaluates the selection, get mermaid ready.
setTimeout(() => void loadMermaid().catch(() => undefined), 0);
