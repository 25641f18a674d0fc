/**
 * Layout quality, measured (issue 11): the first pictures the planner makes for the MLP of
 * examples/layers.ts (first, with a layer opened, and with a budget of 120) and for a 5,000-iteration loop,
 * laid out by mermaid's dagre and by ELK (`@mermaid-js/layout-elk`, a peer of the benchmark only) in
 * Debian's headless Chromium: layout time, edge crossings (edges sampled as 12-segment polylines) and
 * total edge length. The panel uses dagre; this says whether ELK would draw a picture better.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { buildHierarchy, childrenOf } from '../src/graph/hierarchy.ts';
import { NO_CHOICES, planView } from '../src/graph/plan.ts';
import { sourceTextIn } from '../src/graph/planLabels.ts';
import { evaluateSnippet } from '../src/snippet/evaluate.ts';
import { formatNumber, integer, type Report } from './report.ts';

export const name = 'layout';

const root = path.join(__dirname, '..');
const LOOP = 'const x = 0.5;\nlet s = 0;\nfor (let i = 0; i < 5000; i++) {\n  s = s + Math.sin(x * i) * 0.001;\n}\ns\n';

interface Layout { readonly medianMs: number; readonly bestMs: number; readonly width: number; readonly height: number; readonly edges: number; readonly crossings: number; readonly length: number }

/** The mermaid text of each picture measured. */
async function pictures(): Promise<Array<[string, string]>> {
  const layers = readFileSync(path.join(root, 'examples', 'layers.ts'), 'utf8');
  const found: Array<[string, string]> = [];
  for (const [label, source] of [['MLP 3-4-4-1', layers], ['5,000-iteration loop', LOOP]] as const) {
    const result = await evaluateSnippet({ text: source, fileName: 'snippet.ts' });
    if (!result.ok) throw new Error(result.error.message);
    const options = { budget: 60, showConstants: false, direction: 'LR' as const, digits: 4, sourceText: sourceTextIn(source) };
    found.push([`${label}, first picture`, planView(result.graph, NO_CHOICES, options).mermaid]);
    if (label === 'MLP 3-4-4-1') {
      const tree = buildHierarchy(result.graph);
      const layer = tree.keyOf(childrenOf(tree, childrenOf(tree, tree.viewOfKey('g0')!)[0])[1]);
      found.push([`${label}, a layer opened`, planView(result.graph, { opened: [layer], closed: [] }, options).mermaid]);
      found.push([`${label}, budget 120`, planView(result.graph, NO_CHOICES, { ...options, budget: 120 }).mermaid]);
    }
  }
  return found;
}

/** Serves the page, mermaid (the extension's) and ELK (the benchmark's peer). */
function serve(): http.Server {
  const roots: Record<string, string> = { main: path.join(root, 'node_modules'), peers: path.join(root, 'bench', 'peers', 'node_modules'), page: path.join(root, 'bench', 'layout') };
  return http.createServer((request, response) => {
    const [, top, ...rest] = decodeURIComponent((request.url ?? '/').split('?')[0]).split('/');
    const base = roots[top];
    const file = base === undefined ? '' : path.join(base, ...rest);
    if (base === undefined || !file.startsWith(base) || !existsSync(file)) { response.writeHead(404); response.end(); return; }
    response.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html' : 'text/javascript' });
    response.end(readFileSync(file));
  }).listen(0, '127.0.0.1');
}

export async function run(report: Report): Promise<void> {
  report.heading('Layout: dagre (what the panel uses) against ELK, on the planner\'s pictures');
  const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath) || !existsSync(path.join(root, 'bench', 'peers', 'node_modules', '@mermaid-js', 'layout-elk'))) {
    report.note(`skipped: needs ${chromiumPath} (scripts/setup-e2e.sh) and ELK (bench/peers/install.sh)`);
    return;
  }
  const server = serve();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/page/page.html`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 60_000 });
    const rows = [];
    const measured: Record<string, Record<string, Layout>> = {};
    for (const [label, text] of await pictures()) {
      measured[label] = {};
      for (const layout of ['dagre', 'elk']) {
        const result = await page.evaluate(([mermaidText, chosen]) => (window as unknown as { measure: (t: string, l: string, runs: number) => Promise<Layout> }).measure(mermaidText, chosen, 3), [text, layout] as const);
        measured[label][layout] = result;
        rows.push([label, layout, formatNumber(result.medianMs), formatNumber(result.bestMs), `${integer(result.width)} × ${integer(result.height)}`, String(result.edges), String(result.crossings), integer(result.length)]);
      }
    }
    report.table('Each picture laid out 3 times (median and best); crossings between pairs of edges; edge length in px at 1:1', [
      { title: 'picture' }, { title: 'layout' }, { title: 'ms' }, { title: 'best ms' }, { title: 'size px' }, { title: 'edges' }, { title: 'crossings' }, { title: 'edge length px' },
    ], rows);
    report.record('layout', measured);
  } finally {
    await browser.close();
    server.close();
  }
}
