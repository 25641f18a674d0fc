import * as vscode from 'vscode';
import type { EvaluateOptions } from '../snippet/evaluate.ts';
import type { ViewSettings } from '../webview/messages.ts';

/** The `gradientGraph.*` settings, as documented in package.json's `contributes.configuration`. */
export function readSettings(): { evaluate: EvaluateOptions; view: ViewSettings } {
  const config = vscode.workspace.getConfiguration('gradientGraph');
  return {
    evaluate: {
      timeLimitMs: config.get<number>('timeLimit', 2000),
      maxNodes: config.get<number>('maxNodes', 2_000_000),
      memoryLimitMb: config.get<number>('memoryLimit', 1024),
    },
    view: {
      digits: config.get<number>('digits', 4),
      direction: config.get<'LR' | 'TB'>('direction', 'LR'),
      showConstants: config.get<boolean>('showConstants', true),
      collapseAbove: config.get<number>('collapseAbove', 120),
    },
  };
}
