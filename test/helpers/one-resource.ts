/** A temp confdir with a single template resource, for CLI tests that need just one file rendered. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OneResource {
  /** The temp directory holding confdir/ and out/. */
  root: string;
  confdir: string;
  /** Where the resource renders to (out/<name>.conf; not created). */
  dest: string;
}

export function oneResourceConfdir(template: string, keys: readonly string[], name = 'app'): OneResource {
  const root = mkdtempSync(join(tmpdir(), `confd-${name}-`));
  const confdir = join(root, 'confdir');
  const dest = join(root, 'out', `${name}.conf`);
  mkdirSync(join(confdir, 'conf.d'), { recursive: true });
  mkdirSync(join(confdir, 'templates'));
  mkdirSync(join(root, 'out'));
  writeFileSync(join(confdir, 'templates', `${name}.tmpl`), template);
  writeFileSync(join(confdir, 'conf.d', `${name}.toml`), `[template]\nsrc = "${name}.tmpl"\ndest = "${dest}"\nkeys = ${JSON.stringify(keys)}\n`);
  return { root, confdir, dest };
}
