/** Which of mermaid's themes the panel draws with, from the VS Code theme the body's classes name. */

export type MermaidTheme = 'dark' | 'default';

/**
 * Mermaid's theme for the body's classes: VS Code sets `vscode-light`, `vscode-dark`, `vscode-high-contrast`
 * and, for the light high-contrast theme, `vscode-high-contrast-light` (beside `vscode-high-contrast`).
 */
export function themeFor(classes: readonly string[]): MermaidTheme {
  const set = new Set(classes);
  return set.has('vscode-light') || set.has('vscode-high-contrast-light') ? 'default' : 'dark';
}
