/**
 * VS Code glue for the inlay hints of the latest evaluation (the hints themselves: inlayHints.ts). It
 * shows them only while the document is as it was evaluated: after an edit their positions and values
 * are out of date, so they go until the next evaluation (in live mode, a moment later).
 */
import * as vscode from 'vscode';
import type { GraphModel } from '../graph/model.ts';
import { gradientHints, hintsOnLines, type GradientHint } from './inlayHints.ts';

/** What the hints are made from: the latest evaluation's graph and the document version it read. */
export interface HintSource {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly graph: GraphModel;
  readonly stale: boolean;
}

export class GradientInlayHints implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;
  /** The hints of the latest source, made once per graph and digits (a graph may have many leaves). */
  private made?: { readonly graph: GraphModel; readonly digits: number; readonly hints: readonly GradientHint[] };

  /** `settings`: `gradientGraph.inlayHints` and `gradientGraph.digits`, read when the editor asks. */
  constructor(private readonly current: () => HintSource | undefined, private readonly settings: () => { readonly inlayHints: boolean; readonly digits: number }) {}

  /** Asks the editor to ask again: after an evaluation, an edit, or a change of settings. */
  refresh(): void {
    this.changed.fire();
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const source = this.current();
    if (!source || source.stale || document.version !== source.version || document.uri.toString() !== source.uri.toString()) return [];
    const { inlayHints, digits } = this.settings();
    if (!inlayHints) return [];
    if (this.made?.graph !== source.graph || this.made.digits !== digits) {
      const lineText = (line: number) => (line >= 0 && line < document.lineCount ? document.lineAt(line).text : undefined);
      this.made = { graph: source.graph, digits, hints: gradientHints(source.graph, { digits, lineText }) };
    }
    return hintsOnLines(this.made.hints, range.start.line, range.end.line).map((made) => {
      const hint = new vscode.InlayHint(new vscode.Position(made.line, made.character), made.label);
      hint.paddingLeft = true;
      hint.tooltip = made.tooltip;
      return hint;
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
