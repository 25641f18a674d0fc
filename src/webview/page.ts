/**
 * The page's fixed elements, built once: the title and status of the toolbar, the banners, the viewport
 * with the canvas mermaid draws in, and the details pane. Every element is built in script (the CSP allows
 * no inline markup) and every text goes in through `textContent` (see `dom.ts`).
 */
import { element } from './dom.ts';

const app = document.getElementById('app') ?? document.body.appendChild(element('div', { attributes: { id: 'app' } }));
const canvas = element('div', { className: 'canvas' });
const placeholder = element('div', { className: 'placeholder', text: 'Select some numeric TypeScript and run “Show Gradient Graph”.' });
const drawing = element('div', { className: 'drawing', attributes: { role: 'status' } });

export const page = {
  app,
  title: element('span', { className: 'title' }),
  status: element('span', { className: 'status' }),
  busy: element('span', { className: 'busy', text: 'evaluating…', attributes: { role: 'status' } }),
  zoomLabel: element('span', { className: 'zoom-label', text: '100%', title: 'Zoom' }),
  logsLink: element('button', { className: 'link logs-link', title: 'Show what the snippet printed, in the Output panel', attributes: { type: 'button' } }),
  banners: element('div', { className: 'banners' }),
  canvas,
  placeholder,
  /** The "Drawing N boxes…" note over a graph that takes a while to lay out. */
  drawing,
  viewport: element('div', { className: 'viewport', attributes: { tabindex: '0', role: 'application', 'aria-label': 'Computational graph: drag to pan, wheel to zoom, Tab to the boxes' } }, [canvas, placeholder, drawing]),
  details: element('aside', { className: 'details', attributes: { 'aria-label': 'Details' } }),
};
