// Mermaid's theme from VS Code's (src/webview/theme.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { themeFor } from '../../src/webview/theme.ts';

describe('theme', () => {
  it("takes mermaid's theme from VS Code's body classes", () => {
    assert.equal(themeFor(['vscode-light']), 'default');
    assert.equal(themeFor(['vscode-dark']), 'dark');
    assert.equal(themeFor(['vscode-high-contrast']), 'dark');
    assert.equal(themeFor(['vscode-high-contrast', 'vscode-high-contrast-light']), 'default');
    assert.equal(themeFor([]), 'dark');
  });
});
