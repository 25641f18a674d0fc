import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../shared/messages.ts';
import { createNonce } from './nonce.ts';

/**
 * The graph panel: one webview beside the editor, created on first use and revealed after that, revived by
 * the serializer after a window reload. The page keeps its own state (`getState`/`setState`), so the panel
 * needs no `retainContextWhenHidden`; the host resends the latest message when the page says it is ready.
 */
export class GraphPanel {
  static readonly viewType = 'gradientGraph.panel';
  static current: GraphPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private latest: HostMessage | undefined;

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly onMessage: (message: WebviewMessage) => void) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html();
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    panel.webview.onDidReceiveMessage((message: WebviewMessage) => {
      if (message.type === 'ready' && this.latest) void panel.webview.postMessage(this.latest);
      this.onMessage(message);
    }, undefined, this.disposables);
  }

  /** Shows the panel beside the active editor (or where it is already), keeping the focus in the editor. */
  static createOrShow(extensionUri: vscode.Uri, onMessage: (message: WebviewMessage) => void): GraphPanel {
    if (GraphPanel.current) {
      try {
        // In its own column: revealing it "beside" the active editor would open a new column whenever the
        // active editor is not the one left of it.
        GraphPanel.current.panel.reveal(GraphPanel.current.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
        return GraphPanel.current;
      } catch {
        // Closed by the user, and its dispose event not delivered yet: make a new one.
        GraphPanel.current.dispose();
      }
    }
    const panel = vscode.window.createWebviewPanel(GraphPanel.viewType, 'Gradient Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    GraphPanel.current = new GraphPanel(panel, extensionUri, onMessage);
    return GraphPanel.current;
  }

  /** Takes over a panel restored after a reload; its page redraws from its saved state. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, onMessage: (message: WebviewMessage) => void): GraphPanel {
    GraphPanel.current?.dispose();
    GraphPanel.current = new GraphPanel(panel, extensionUri, onMessage);
    return GraphPanel.current;
  }

  /** Sends a message; a picture or an error is also kept, to resend when the page reloads. */
  post(message: HostMessage): void {
    if (message.type === 'view' || message.type === 'error') this.latest = message;
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    try {
      this.panel.dispose();
    } catch {
      // Already disposed.
    }
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }

  private html(): string {
    const webview = this.panel.webview;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', file)).toString();
    const nonce = createNonce();
    // Mermaid writes style attributes while it draws, hence 'unsafe-inline' for styles. Scripts: the entry
    // by nonce, and the chunks it imports by source (the page can read only media/, see webviewOptions).
    const policy = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}' ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('codicon.css')}">
<link rel="stylesheet" href="${media('webview.css')}">
${preloadedChunks(this.extensionUri).map((file) => `<link rel="modulepreload" href="${media(`webview/${file}`)}">`).join('\n')}
<title>Gradient Graph</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${nonce}" src="${media('webview/main.js')}"></script>
</body>
</html>`;
  }
}

/**
 * The chunks of mermaid that a flowchart's first draw imports, as the build listed them: named in
 * `modulepreload` links, they are fetched and compiled while the page starts, before it imports them.
 */
function preloadedChunks(extensionUri: vscode.Uri): string[] {
  try {
    const files: unknown = JSON.parse(readFileSync(path.join(extensionUri.fsPath, 'media', 'webview', 'preload.json'), 'utf8'));
    return Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string' && /^[\w/.-]+$/.test(file)) : [];
  } catch {
    return [];
  }
}

/** Scripts on, and only `media/` readable by the page. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}
