import * as vscode from 'vscode';
import { clampNumber, numberProblem, SETTINGS } from '../shared/settings.ts';
import type { EvaluateOptions } from '../snippet/evaluate.ts';
import type { ViewSettings } from '../shared/messages.ts';

/** Problems already shown, so that a bad value in settings.json is reported once, not at every command. */
const reported = new Set<string>();

/**
 * The `gradientGraph.*` settings, as documented in package.json's `contributes.configuration`, with their
 * defaults and bounds from `src/shared/settings.ts`. VS Code does not enforce a setting's bounds, so a value
 * outside them is brought to the nearest bound, and the user is told once.
 */
export function readSettings(): { evaluate: EvaluateOptions; view: ViewSettings; editor: { inlayHints: boolean; liveMode: boolean } } {
  const config = vscode.workspace.getConfiguration('gradientGraph');
  const number = (name: 'timeLimit' | 'maxNodes' | 'memoryLimit' | 'digits' | 'maxBoxes' | 'stepperSpeed') => {
    const value = config.get<unknown>(name, SETTINGS[name].default);
    const problem = numberProblem(name, value);
    if (problem && !reported.has(problem)) {
      reported.add(problem);
      void vscode.window.showWarningMessage(`Gradient Graph: ${problem}; using ${clampNumber(name, value)}.`);
    }
    return problem ? clampNumber(name, value) : (value as number);
  };
  const direction = config.get<string>('direction', SETTINGS.direction.default);
  return {
    evaluate: { timeLimitMs: number('timeLimit'), maxNodes: number('maxNodes'), memoryLimitMb: number('memoryLimit') },
    view: {
      digits: number('digits'),
      direction: direction === 'TB' ? 'TB' : 'LR',
      showConstants: config.get<boolean>('showConstants', SETTINGS.showConstants.default) !== false,
      maxBoxes: number('maxBoxes'),
      stepperSpeed: number('stepperSpeed'),
    },
    editor: {
      inlayHints: config.get<boolean>('inlayHints', SETTINGS.inlayHints.default) !== false,
      liveMode: config.get<boolean>('liveMode', SETTINGS.liveMode.default) === true,
    },
  };
}
