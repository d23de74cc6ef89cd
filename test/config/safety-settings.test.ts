/** The min_keys default and --diff-redact settings: every source, and their validation. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { formatError } from '../../src/errors.js';
import { yamlAliasBomb } from '../helpers/hostile-input.js';

function confdirWith(text: string, name = 'confd.toml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-safety-'));
  writeFileSync(join(dir, name), text);
  return dir;
}


describe('min_keys and diff-redact settings', () => {
  it('default to off', async () => {
    const { settings } = await loadSettings({ confdir: '/nonexistent' }, {});
    expect(settings.minKeys).toBe(0);
    expect(settings.diffRedact).toBe(false);
  });

  it('come from the file, the environment and flags', async () => {
    const dir = confdirWith('min_keys = 3\nnoop = true\ndiff = true\ndiff_redact = true\n');
    expect((await loadSettings({ confdir: dir }, {})).settings).toMatchObject({ minKeys: 3, diffRedact: true });
    expect((await loadSettings({ confdir: dir }, { CONFD_MIN_KEYS: '0' })).settings.minKeys).toBe(0);
    expect((await loadSettings({ confdir: dir, minKeys: '5' }, {})).settings.minKeys).toBe(5);
  });

  it('a negative or fractional min_keys is an error naming the setting and the file', async () => {
    const dir = confdirWith('min_keys = -1\n');
    const error = await loadSettings({ confdir: dir }, {}).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(/confd\.toml:1: min_keys: expected a whole number \(0 or more\), got -1/);
    expect(formatError(await loadSettings({ confdir: '/nonexistent', minKeys: '1.5' }, {}).catch((e: unknown) => e))).toContain('--min-keys: expected a whole number');
  });

  it('--diff-redact needs --noop --diff', async () => {
    const error = await loadSettings({ confdir: '/nonexistent', diffRedact: 'true' }, {}).catch((e: unknown) => e);
    expect(formatError(error)).toContain('--diff-redact only works together with --noop --diff');
  });

  it('confd.yaml: an alias bomb or an unresolved alias is a clear error; merge keys work', async () => {
    for (const text of [yamlAliasBomb(), 'prefix: *nowhere\n']) {
      const error = await loadSettings({ confdir: confdirWith(text, 'confd.yaml') }, {}).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(/confd\.yaml: invalid YAML: (Excessive alias count|Unresolved alias)/);
    }
    const merged = await loadSettings({ confdir: confdirWith('base: &b\n  prefix: /p\n  interval: 7\n<<: *b\nbackend: env\n', 'confd.yaml') }, {});
    expect(merged.settings).toMatchObject({ prefix: '/p', interval: 7, backend: 'env' });
  });
});
