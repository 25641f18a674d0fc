/**
 * Every `gradientGraph.*` setting, once: its key, default and bounds, and the CLI option that sets the same
 * thing. package.json's `contributes.configuration` documents them for users (a test checks that it agrees
 * with this table); the extension, the CLI and the evaluator read defaults and bounds from here.
 */

interface NumberSetting {
  readonly type: 'number';
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
  /** Whole numbers only. */
  readonly integer: boolean;
  /** The CLI option with the same meaning, if any. */
  readonly cli?: string;
}

interface EnumSetting<T extends string> {
  readonly type: 'string';
  readonly default: T;
  readonly values: readonly T[];
  readonly cli?: string;
}

interface BooleanSetting {
  readonly type: 'boolean';
  readonly default: boolean;
}

/** Timers hold at most 2^31 - 1 ms; an hour is far beyond any snippet a person waits for. */
const HOUR_MS = 3_600_000;

export const SETTINGS = {
  timeLimit: { type: 'number', default: 2000, minimum: 100, maximum: HOUR_MS, integer: true, cli: '--timeout' },
  maxNodes: { type: 'number', default: 2_000_000, minimum: 1, maximum: 50_000_000, integer: true, cli: '--max-nodes' },
  memoryLimit: { type: 'number', default: 1024, minimum: 32, maximum: 16_384, integer: true, cli: '--max-memory' },
  digits: { type: 'number', default: 4, minimum: 0, maximum: 15, integer: true, cli: '--digits' },
  direction: { type: 'string', default: 'LR', values: ['LR', 'TB'], cli: '--direction' },
  showConstants: { type: 'boolean', default: false },
  maxBoxes: { type: 'number', default: 60, minimum: 10, maximum: 1000, integer: true, cli: '--max-boxes' },
  // Milliseconds per step when the backward stepper plays (src/webview/stepperView.ts).
  stepperSpeed: { type: 'number', default: 800, minimum: 100, maximum: 5000, integer: true },
  // Which TypeScript projects in the editor get the snippet API's declarations (src/typescriptPlugin/scope.ts).
  snippetTypes: { type: 'string', default: 'auto', values: ['auto', 'always', 'off'] },
  // Gradients and the output's value inline in the editor after an evaluation (src/extension/inlayHints.ts).
  inlayHints: { type: 'boolean', default: true },
  // Evaluate again while typing, 300 ms after the last edit (src/extension/liveMode.ts).
  liveMode: { type: 'boolean', default: false },
} as const satisfies Record<string, NumberSetting | EnumSetting<string> | BooleanSetting>;

export type SettingName = keyof typeof SETTINGS;
type NumberSettingName = { [K in SettingName]: (typeof SETTINGS)[K] extends NumberSetting ? K : never }[SettingName];

/** The setting's full key, as users write it in settings.json. */
export const settingKey = (name: SettingName): string => `gradientGraph.${name}`;

/** Where a limit is raised, named in its error: the setting and the CLI option. */
export function limitSetting(name: 'timeLimit' | 'maxNodes' | 'memoryLimit'): string {
  return `${settingKey(name)} (CLI: ${SETTINGS[name].cli})`;
}

/**
 * Checks a number setting's value: `undefined` when it is within bounds, else what is wrong with it, in
 * words that name the setting (or its CLI option, when `option` is given).
 */
export function numberProblem(name: NumberSettingName, value: unknown, option?: string): string | undefined {
  const setting: NumberSetting = SETTINGS[name];
  const what = option ?? settingKey(name);
  // Only when there is something to say: the first toLocaleString loads ICU's data (about 15 ms).
  const range = () => `${setting.minimum.toLocaleString('en-US')} to ${setting.maximum.toLocaleString('en-US')}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `${what} takes a number from ${range()}, not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
  }
  if (setting.integer && !Number.isInteger(value)) return `${what} takes a whole number from ${range()}, not ${value}`;
  if (value < setting.minimum || value > setting.maximum) return `${what} is ${value.toLocaleString('en-US')}; it must be from ${range()}`;
  return undefined;
}

/** A number setting's value brought within its bounds (the nearest bound; the default if it is not a number). */
export function clampNumber(name: NumberSettingName, value: unknown): number {
  const setting: NumberSetting = SETTINGS[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) return setting.default;
  const whole = setting.integer ? Math.round(value) : value;
  return Math.min(setting.maximum, Math.max(setting.minimum, whole));
}
