// Pan and zoom arithmetic of the panel (src/webview/viewport.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  centreOn, clampZoom, fitView, fitZoom, initialView, isVisible, keyCommand, MARGIN, MAX_ZOOM, MIN_ZOOM, READABLE_ZOOM,
  wheelFactor, zoomAround, zoomPercent, zoomTo,
} from '../../src/webview/viewport.ts';

const panel = { width: 800, height: 600 };

describe('viewport', () => {
  it('draws a graph that fits at 1:1, centred', () => {
    const view = initialView({ width: 400, height: 200 }, panel);
    assert.deepEqual(view, { zoom: 1, panX: 200, panY: 200 });
  });

  it('fits a graph a little wider than the panel, but never above 1:1', () => {
    // Wide enough to need a zoom of 0.9, which is above the readable floor.
    const width = (800 - 2 * MARGIN) / 0.9;
    const view = initialView({ width, height: 300 }, panel);
    assert.equal(view.zoom, (800 - 2 * MARGIN) / width);
    assert.equal(view.panX, MARGIN);
    assert.equal(view.panY, (600 - 300 * view.zoom) / 2);
    assert.equal(fitZoom({ width: 10, height: 10 }, panel), 1);
  });

  it('starts a graph too big to read whole on its output, at the readable zoom, with no empty space beyond its edges', () => {
    // A left-to-right graph whose output is its rightmost box: the output at the right, the graph to its left.
    const content = { width: 10_000, height: 400 };
    const output = { x: 9_800, y: 180, width: 180, height: 40 };
    const view = initialView(content, panel, output);
    assert.equal(view.zoom, READABLE_ZOOM);
    assert.ok(isVisible(output, view, panel), 'the output is on screen');
    assert.equal(view.panX, 800 - MARGIN - 10_000 * READABLE_ZOOM, 'the diagram ends at the right margin');
    assert.equal(view.panY, (600 - 400 * READABLE_ZOOM) / 2, 'an axis that fits is centred');
    // Text at least 9 px on screen (13 px at 1:1).
    assert.ok(13 * view.zoom >= 9);
    // An output in the middle of a huge square diagram is centred.
    const middle = { x: 4_900, y: 4_900, width: 200, height: 200 };
    const centred = initialView({ width: 10_000, height: 10_000 }, panel, middle);
    assert.deepEqual(centred, { zoom: READABLE_ZOOM, panX: 400 - 5_000 * READABLE_ZOOM, panY: 300 - 5_000 * READABLE_ZOOM });
  });

  it("micrograd's L in a half-width panel: too wide to read whole, so it opens on L", () => {
    const half = { width: 620, height: 860 };
    const content = { width: 1_480, height: 250 };
    const outputBox = { x: 1_290, y: 105, width: 190, height: 40 };
    const view = initialView(content, half, outputBox);
    assert.ok(isVisible(outputBox, view, half));
    assert.ok(view.zoom >= READABLE_ZOOM);
  });

  it('"Fit" goes below the readable floor when asked, down to the minimum zoom', () => {
    assert.ok(fitView({ width: 10_000, height: 400 }, panel).zoom < READABLE_ZOOM);
    assert.equal(fitView({ width: 1e9, height: 1e9 }, panel).zoom, MIN_ZOOM);
  });

  it('zooms around a point, which stays where it is on screen', () => {
    const view = { zoom: 1, panX: 10, panY: 20 };
    const zoomed = zoomAround(view, 2, 300, 200);
    assert.equal(zoomed.zoom, 2);
    // The content point under (300, 200) was ((300-10)/1, (200-20)/1) = (290, 180): still there.
    assert.equal(290 * zoomed.zoom + zoomed.panX, 300);
    assert.equal(180 * zoomed.zoom + zoomed.panY, 200);
  });

  it('clamps the zoom, and zooms to a scale around the centre', () => {
    assert.equal(clampZoom(100), MAX_ZOOM);
    assert.equal(clampZoom(0), MIN_ZOOM);
    assert.equal(clampZoom(Number.NaN), 1);
    assert.equal(zoomAround({ zoom: MAX_ZOOM, panX: 0, panY: 0 }, 2, 0, 0).zoom, MAX_ZOOM);
    const oneToOne = zoomTo({ zoom: 0.5, panX: 100, panY: 100 }, 1, panel);
    assert.equal(oneToOne.zoom, 1);
    assert.equal(((400 - 100) / 0.5) * 1 + oneToOne.panX, 400);
  });

  it('turns wheel deltas into gentle factors, mouse notches and trackpads alike', () => {
    assert.ok(wheelFactor(-100, 0) > 1 && wheelFactor(100, 0) < 1);
    assert.ok(Math.abs(wheelFactor(100, 0) * wheelFactor(-100, 0) - 1) < 1e-12);
    assert.equal(wheelFactor(3, 1), wheelFactor(48, 0));
    assert.equal(wheelFactor(10_000, 0), wheelFactor(120, 0));
    assert.equal(wheelFactor(0, 0), 1);
  });

  it('knows what is on screen, and centres a box', () => {
    const view = { zoom: 2, panX: -100, panY: 0 };
    assert.ok(isVisible({ x: 60, y: 10, width: 20, height: 10 }, view, panel));
    assert.ok(!isVisible({ x: 0, y: 10, width: 20, height: 10 }, view, panel));
    const centred = centreOn({ x: 1000, y: 1000, width: 100, height: 50 }, view, panel);
    assert.equal(1050 * 2 + centred.panX, 400);
    assert.equal(1025 * 2 + centred.panY, 300);
  });

  it('maps keys to commands and shows the zoom as a percentage', () => {
    assert.equal(keyCommand('0'), 'oneToOne');
    assert.equal(keyCommand('f'), 'fit');
    assert.equal(keyCommand('+'), 'zoomIn');
    assert.equal(keyCommand('='), 'zoomIn');
    assert.equal(keyCommand('-'), 'zoomOut');
    assert.equal(keyCommand('x'), undefined);
    assert.equal(zoomPercent(0.756), '76%');
  });
});
