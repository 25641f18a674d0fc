// Which toolbar actions fit a panel's width (src/webview/toolbar.ts), the rest going to "More actions".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICON_WIDTH, splitActions, ZOOM_LABEL_WIDTH } from '../../src/webview/toolbar.ts';

const actions = [
  { id: 'expandAll', priority: 2 }, { id: 'collapseAll', priority: 2 },
  { id: 'zoomOut', priority: 4, group: 'zoom' }, { id: 'zoomIn', priority: 4, group: 'zoom' },
  { id: 'oneToOne', priority: 3 }, { id: 'fit', priority: 6 }, { id: 'details', priority: 8 },
];
const extra = { zoomIn: ZOOM_LABEL_WIDTH };

describe('toolbar layout', () => {
  it('shows every action when they fit, and no menu', () => {
    const { shown, overflow } = splitActions(actions, 7 * ICON_WIDTH + ZOOM_LABEL_WIDTH, extra);
    assert.equal(shown.size, 7);
    assert.deepEqual(overflow, []);
  });

  it('moves the least important to the menu first, keeping room for the menu button', () => {
    const { shown, overflow } = splitActions(actions, 6 * ICON_WIDTH + ZOOM_LABEL_WIDTH, extra);
    assert.deepEqual(overflow, ['expandAll', 'collapseAll']);
    assert.ok(shown.has('details') && shown.has('fit') && shown.has('zoomIn'));
  });

  it('keeps zoom out and zoom in together', () => {
    for (let room = ICON_WIDTH; room < 8 * ICON_WIDTH + ZOOM_LABEL_WIDTH; room += 5) {
      const { shown } = splitActions(actions, room, extra);
      assert.equal(shown.has('zoomOut'), shown.has('zoomIn'), `room ${room}`);
    }
  });

  it('in a very narrow panel, only the most important and the menu', () => {
    const { shown, overflow } = splitActions(actions, 2 * ICON_WIDTH, extra);
    assert.deepEqual([...shown], ['details']);
    assert.equal(overflow.length, 6);
  });
});
