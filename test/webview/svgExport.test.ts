// The standalone SVG's assembly (src/webview/svgExport.ts): the panel's rules scoped and resolved, the root
// made a file of its own, the background, the PNG's scale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagramRules, EXPORT_CLASS, MAX_CANVAS_AREA, MAX_CANVAS_SIDE, plainColour, pngScale, resolveColourMixes, resolveVariables, standaloneSvg } from '../../src/webview/svgExport.ts';

/** A drawn SVG as XMLSerializer writes mermaid's, after the panel sized it (mermaid's own style inside). */
const DRAWN = '<svg id="gradient-graph-3" width="120" xmlns="http://www.w3.org/2000/svg" class="flowchart" height="40" viewBox="-8 -8 120 40" style="max-width: none;" role="graphics-document document">'
  + '<style>#gradient-graph-3 .node rect{fill:#1f2020;}</style><g class="root"><g class="node leaf" id="gradient-graph-3-flowchart-v0-0"><rect class="label-container"/>'
  + '<foreignObject width="90" height="24"><div xmlns="http://www.w3.org/1999/xhtml"><span class="nodeLabel"><span class="part name">a</span><span class="sep"> | </span>data 2</span></div></foreignObject></g></g></svg>';

describe('diagramRules', () => {
  it("keeps the diagram's rules at rest, scoped to the exported SVG", () => {
    const rules = diagramRules([
      '.canvas .node rect, .canvas .node circle { fill: var(--gg-box) !important; stroke: var(--gg-line) !important; }',
      '.canvas .nodeLabel .sep::after { content: ""; border-left: 1px solid var(--gg-line); }',
      '.toolbar .icon { width: 24px; }',
      '.canvas.dimmed { opacity: 0.35; }',
      '@media (max-width: 560px) { .canvas .node { fill: red; } }',
    ], ['vscode-dark']);
    assert.deepEqual(rules, [
      `.${EXPORT_CLASS} .node rect, .${EXPORT_CLASS} .node circle { fill: var(--gg-box) !important; stroke: var(--gg-line) !important; }`,
      `.${EXPORT_CLASS} .nodeLabel .sep::after { content: ""; border-left: 1px solid var(--gg-line); }`,
    ]);
  });

  it('drops hover, focus and the selection marks, selector by selector, and the pointer-only declarations', () => {
    const rules = diagramRules([
      '.canvas .node:hover .label-container, .canvas .node.leaf .label-container { fill: blue; }',
      '.canvas .node.selected { filter: drop-shadow(0 0 1px red); }',
      '.canvas .flowchart-link.selected-edge { stroke: red; }',
      '.canvas .cluster-label[data-frame] { cursor: pointer; }',
      '.canvas .node { cursor: pointer; }',
      '.canvas .node rect { transition: fill 120ms; fill: #111; }',
      '.canvas .node.selectedness { fill: green; }',
    ], []);
    assert.deepEqual(rules, [
      `.${EXPORT_CLASS} .node.leaf .label-container { fill: blue; }`,
      `.${EXPORT_CLASS} .node rect { fill: #111; }`,
      `.${EXPORT_CLASS} .node.selectedness { fill: green; }`,
    ]);
  });

  it("keeps a theme's rules only in that theme, and writes SVG's camel-case element names as an SVG file needs", () => {
    const rules = ['.vscode-high-contrast .canvas .cluster rect { stroke-width: 2px; }', '.canvas .node foreignobject { overflow: visible; }'];
    assert.deepEqual(diagramRules(rules, ['vscode-high-contrast']), [`.${EXPORT_CLASS} .cluster rect { stroke-width: 2px; }`, `.${EXPORT_CLASS} .node foreignObject { overflow: visible; }`]);
    assert.deepEqual(diagramRules(rules, ['vscode-dark']), [`.${EXPORT_CLASS} .node foreignObject { overflow: visible; }`]);
  });
});

describe('resolveVariables and resolveColourMixes', () => {
  const values: Record<string, string> = { '--gg-box': 'color-mix(in srgb, #cccccc 6%, #1f1f1f)', '--gg-line': '#616161', '--empty': '  ' };
  const lookup = (name: string) => values[name];

  it("puts each variable's value in, its fallback when the page has none, and nothing when neither", () => {
    assert.equal(resolveVariables('a { stroke: var(--gg-line) !important; }', lookup), 'a { stroke: #616161 !important; }');
    assert.equal(resolveVariables('a { stroke: var(--missing, var(--gg-line)); fill: var(--empty, rgba(1, 2, 3, 0.5)); }', lookup), 'a { stroke: #616161; fill: rgba(1, 2, 3, 0.5); }');
    assert.equal(resolveVariables('a { stroke: var(--missing); }', lookup), 'a { stroke: ; }');
    assert.equal(resolveVariables('a { fill: var(--gg-box ); }', lookup), 'a { fill: color-mix(in srgb, #cccccc 6%, #1f1f1f); }');
  });

  it('leaves a call that does not close as it is, and does not take another function for var()', () => {
    assert.equal(resolveVariables('a { fill: var(--gg-line; }', lookup), 'a { fill: var(--gg-line; }');
    assert.equal(resolveVariables('a { x: somevar(--gg-line); }', lookup), 'a { x: somevar(--gg-line); }');
  });

  it('replaces each color-mix, nested ones whole, with the plain colour the page computes', () => {
    const asked: string[] = [];
    const css = resolveColourMixes('a { fill: color-mix(in srgb, color-mix(in srgb, #fff 50%, #000) 10%, #1f1f1f) !important; stroke: color-mix(in srgb, #cca700 60%, transparent); }', (colour) => {
      asked.push(colour);
      return asked.length === 1 ? 'color(srgb 0.162275 0.162275 0.162275)' : 'color(srgb 0.8 0.654902 0 / 0.6)';
    });
    assert.deepEqual(asked, ['color-mix(in srgb, color-mix(in srgb, #fff 50%, #000) 10%, #1f1f1f)', 'color-mix(in srgb, #cca700 60%, transparent)']);
    assert.equal(css, 'a { fill: #292929 !important; stroke: rgba(204, 167, 0, 0.6); }');
  });

  it("writes Chromium's color(srgb …) as hex or rgba, and leaves other colours be", () => {
    // 0.162275 × 255 = 41.38 → 0x29; 0.654902 × 255 = 167.0.
    assert.equal(plainColour('color(srgb 0.162275 0.162275 0.162275)'), '#292929');
    assert.equal(plainColour('color(srgb 1 0 50%)'), '#ff0080');
    assert.equal(plainColour('color(srgb 0.8 0.654902 0 / 0.6)'), 'rgba(204, 167, 0, 0.6)');
    assert.equal(plainColour(' rgb(1, 2, 3) '), 'rgb(1, 2, 3)');
    assert.equal(plainColour('color(display-p3 1 0 0)'), 'color(display-p3 1 0 0)');
  });
});

describe('standaloneSvg', () => {
  const file = standaloneSvg({ svg: DRAWN, width: 120, height: 40, background: '#1f1f1f', css: '.gradient-graph .node rect { fill: #292929 !important; }' });
  const root = /<svg [^>]*>/.exec(file)![0];

  it('is an XML file whose root has the SVG namespace, its size and viewBox, the export class, and no panel style', () => {
    assert.match(file, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
    assert.match(root, / xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(root, / width="120"/);
    assert.match(root, / height="40"/);
    assert.match(root, / viewBox="-8 -8 120 40"/);
    assert.match(root, / class="flowchart gradient-graph"/);
    assert.doesNotMatch(root, /style=/);
    assert.equal(root.match(/xmlns=/g)?.length, 1);
  });

  it("carries the panel's rules before mermaid's style, then a background over the whole viewBox, then the drawing", () => {
    const rules = file.indexOf('.gradient-graph .node rect { fill: #292929 !important; }');
    const background = file.indexOf('<rect class="gradient-graph-background" x="-8" y="-8" width="120" height="40" fill="#1f1f1f"/>');
    const mermaidStyle = file.indexOf('<style>#gradient-graph-3');
    assert.ok(rules > root.length && rules < background && background < mermaidStyle, `${rules} ${background} ${mermaidStyle}`);
    assert.match(file, /<style><!\[CDATA\[\n[^]*\n\]\]><\/style><rect class="gradient-graph-background"/);
    assert.ok(file.endsWith('</foreignObject></g></g></svg>'));
  });

  it("adds the namespace where the serialiser left it out, xlink's when used, and a viewBox from the size when there is none", () => {
    const bare = standaloneSvg({ svg: '<svg width="10" height="5"><use xlink:href="#m"/></svg>', width: 10, height: 5, background: 'rgb(255, 255, 255)', css: '' });
    assert.match(bare, /<svg width="10" height="5" xmlns="http:\/\/www\.w3\.org\/2000\/svg" xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink" class="gradient-graph" viewBox="0 0 10 5">/);
    assert.match(bare, /<rect class="gradient-graph-background" x="0" y="0" width="10" height="5" fill="rgb\(255, 255, 255\)"\/>/);
  });

  it('writes the size times the scale (a PNG is rasterised at it), the viewBox unchanged', () => {
    const twice = /<svg [^>]*>/.exec(standaloneSvg({ svg: DRAWN, width: 120.123, height: 40, background: '#fff', css: '', scale: 2 }))![0];
    assert.match(twice, / width="240.25"/);
    assert.match(twice, / height="80"/);
    assert.match(twice, / viewBox="-8 -8 120 40"/);
  });

  it('keeps CSS that XML would read as markup as text, and escapes the background', () => {
    const tricky = standaloneSvg({ svg: DRAWN, width: 1, height: 1, background: '"><script>', css: 'a::after { content: "<&]]>"; }' });
    assert.ok(tricky.includes('content: "<&]]]]><![CDATA[>";'));
    assert.ok(tricky.includes('fill="&quot;&gt;&lt;script&gt;"'));
  });

  it('refuses what is not an SVG', () => {
    assert.throws(() => standaloneSvg({ svg: '<div>no</div>', width: 1, height: 1, background: '#fff', css: '' }), /not an SVG/);
    assert.throws(() => standaloneSvg({ svg: '<svg width="1"', width: 1, height: 1, background: '#fff', css: '' }), /not an SVG/);
  });
});

describe('pngScale', () => {
  it('is 2 for pictures a canvas holds at twice their size', () => {
    assert.equal(pngScale(1362, 170), 2);
    assert.equal(pngScale(MAX_CANVAS_SIDE / 2, 100), 2);
  });

  it("is less for pictures wider, or larger in all, than Chromium's canvas at twice their size", () => {
    assert.equal(pngScale(MAX_CANVAS_SIDE, 100), 1);
    const scale = pngScale(20_000, 20_000);
    assert.ok(Math.abs(scale * 20_000 * scale * 20_000 - MAX_CANVAS_AREA) < 1, String(scale));
    assert.ok(scale * 20_000 <= MAX_CANVAS_SIDE);
  });
});
