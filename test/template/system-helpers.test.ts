/** getenv, fileExists, datetime, and the DNS helpers resolving for real. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatGoLayout } from '../../src/template/functions/go-time.js';
import { render } from './render.js';

describe('getenv', () => {
  it('reads the environment, with a default for unset or empty', async () => {
    expect(await render('{{getenv "HOSTNAME"}}|{{getenv "EMPTY" "d1"}}|{{getenv "UNSET" "d2"}}|{{getenv "UNSET"}}|', {}, { HOSTNAME: 'localhost', EMPTY: '' })).toBe(
      'localhost|d1|d2||',
    );
  });
});

describe('fileExists', () => {
  it('is false only when the file does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-fe-'));
    writeFileSync(join(dir, 'f'), 'x');
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o000);
    expect(await render(`{{fileExists "${dir}/f"}} {{fileExists "${dir}/nope"}} {{fileExists "${dir}"}}`)).toBe('true false true');
  });
});

describe('datetime', () => {
  it('prints like Go Time.String()', async () => {
    expect(await render('{{datetime}}')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? [+-]\d{4} \S+$/);
  });
  it('formats with a Go layout', async () => {
    const year = String(new Date().getFullYear());
    expect(await render('{{datetime "2006"}}')).toBe(year);
  });
  it('knows Go layout tokens', () => {
    const d = new Date(2026, 0, 2, 15, 4, 5, 123);
    expect(formatGoLayout(d, 'Jan 2, 2006 at 3:04pm', 123_000_000)).toBe('Jan 2, 2026 at 3:04pm');
    expect(formatGoLayout(d, 'Monday 02/01/06 15:04:05.000', 123_000_000)).toBe('Friday 02/01/26 15:04:05.123');
  });
});

describe('DNS helpers resolve for real', () => {
  it('lookupIP localhost', async () => {
    expect(await render('{{#each (lookupIP "localhost")}}{{this}} {{/each}}')).toContain('127.0.0.1');
  });
  it('lookupIPV4 localhost is 127.0.0.1', async () => {
    expect(await render('{{lookupIPV4 "localhost"}}')).toBe('[127.0.0.1]');
  });
  it('lookupIPV6 keeps only v6 addresses', async () => {
    expect(await render('{{lookupIPV6 "localhost"}}')).toMatch(/^\[(::1)?\]$/);
  });
  it('an unknown name gives an empty list, as in confd', async () => {
    expect(await render('{{lookupIP "no-such-host.invalid"}}')).toBe('[]');
  });
  it('lookupSRV of a missing record is empty', async () => {
    expect(await render('{{lookupSRV "http" "tcp" "no-such-host.invalid"}}|{{#each (lookupSRV "" "" "no-such.invalid")}}x{{/each}}')).toBe('[]|');
  });
  it('several lookups in one template all resolve', async () => {
    expect(await render('{{lookupIPV4 "localhost"}} {{lookupIPV4 "127.0.0.1"}}')).toBe('[127.0.0.1] [127.0.0.1]');
  });
});
