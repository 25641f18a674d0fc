// One table of settings: package.json documents the same keys, defaults and bounds, and the checks and
// clamping that the extension and the CLI use follow it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { clampNumber, numberProblem, settingKey, SETTINGS, type SettingName } from '../../src/shared/settings.ts';
import { SANDBOX_V8_FLAGS } from '../../src/snippet/sandboxLaunch.ts';

interface Property { type: string; default: unknown; minimum?: number; maximum?: number; enum?: string[] }
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Property> } } };
const properties = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('package.json documents exactly the settings of the table', () => {
    assert.deepEqual(Object.keys(properties).sort(), (Object.keys(SETTINGS) as SettingName[]).map(settingKey).sort());
  });

  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    it(`${settingKey(name)} has the same type, default and bounds in package.json`, () => {
      const setting = SETTINGS[name];
      const property = properties[settingKey(name)];
      assert.deepEqual(property.default, setting.default);
      if (setting.type === 'number') {
        assert.equal(property.type, setting.integer ? 'integer' : 'number');
        assert.equal(property.minimum, setting.minimum);
        assert.equal(property.maximum, setting.maximum);
      } else if (setting.type === 'string') {
        assert.equal(property.type, 'string');
        assert.deepEqual(property.enum, setting.values);
      } else {
        assert.equal(property.type, 'boolean');
      }
    });
  }

  it('checks a value against its bounds, naming the setting or the CLI option', () => {
    assert.equal(numberProblem('timeLimit', 2000), undefined);
    assert.equal(numberProblem('timeLimit', 2 ** 31, '--timeout'), '--timeout is 2,147,483,648; it must be from 100 to 3,600,000');
    assert.equal(numberProblem('maxNodes', 2.5), 'gradientGraph.maxNodes takes a whole number from 1 to 50,000,000, not 2.5');
    assert.equal(numberProblem('memoryLimit', 'big'), 'gradientGraph.memoryLimit takes a number from 32 to 16,384, not "big"');
    assert.equal(numberProblem('digits', Number.NaN), 'gradientGraph.digits takes a number from 0 to 15, not NaN');
  });

  it('brings a value within bounds', () => {
    assert.equal(clampNumber('timeLimit', 1e12), 3_600_000);
    assert.equal(clampNumber('timeLimit', 5), 100);
    assert.equal(clampNumber('digits', 3.6), 4);
    assert.equal(clampNumber('memoryLimit', 'x'), 1024);
  });

  it("the sandbox's fixed heap limit is the largest memory limit", () => {
    assert.ok(SANDBOX_V8_FLAGS.includes(`--max-old-space-size=${SETTINGS.memoryLimit.maximum}`));
  });
});

describe('the manifest', () => {
  const full = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported: unknown }; virtualWorkspaces?: unknown };
    contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
  };

  it('runs snippets only in trusted workspaces, and works in virtual ones', () => {
    assert.equal(full.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.equal(full.capabilities?.virtualWorkspaces, true);
  });

  it('offers Show Gradient Graph in the title bar of TypeScript and JavaScript editors', () => {
    const item = full.contributes.menus['editor/title']?.find((entry) => entry.command === 'gradientGraph.show');
    assert.ok(item, 'an editor/title entry');
    assert.match(item.when ?? '', /typescript\|javascript/);
  });
});
