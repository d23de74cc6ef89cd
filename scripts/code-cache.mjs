// Records the V8 code cache of each CommonJS bundle (dist/bundle/<name>.cache), which
// bin/load-bundle.cjs hands to V8 so that confd and the standalone plugins start without
// parsing and compiling their code. Each cache comes from a real run that exercises the
// common path — a one-shot `confd render` with the file backend, the same through each
// plugin — so that it holds the functions that path compiles, not only the top level.
// Run by `npm run build` after scripts/bundle.mjs and scripts/copy-assets.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const CONFD = join(REPO, 'bin', 'confd');
const { compileBundle } = createRequire(import.meta.url)(join(REPO, 'bin', 'load-bundle.cjs'));

const root = mkdtempSync(join(tmpdir(), 'confd-code-cache-'));
try {
  const confdir = join(root, 'confdir');
  mkdirSync(join(confdir, 'conf.d'), { recursive: true });
  mkdirSync(join(confdir, 'templates'));
  mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'data.yaml'), 'app:\n  name: demo\n  port: 8080\n  servers:\n    a: 10.0.0.1\n    b: 10.0.0.2\n');
  writeFileSync(
    join(confdir, 'templates', 'app.tmpl'),
    'name={{getv "/name"}} port={{getv "/port" "80"}}\n{{#if (exists "/port")}}has port{{/if}}\n{{#each (gets "/servers/*")}}{{base Key}}={{Value}}\n{{/each}}{{#each (lsdir "/")}}[{{this}}]{{/each}}\n',
  );
  for (const name of ['one', 'two']) {
    writeFileSync(join(confdir, 'conf.d', `${name}.toml`), `[template]\nsrc = "app.tmpl"\ndest = "${join(root, 'out', name)}.conf"\nprefix = "/app"\nkeys = ["/"]\nmode = "0644"\n`);
  }
  const render = (record, backend, env = {}) =>
    execFileSync(process.execPath, [CONFD, 'render', '--backend', backend, '--file', join(root, 'data.yaml'), '--confdir', confdir, '--log-level', 'warn'], {
      env: { ...process.env, CONFD_SYSTEM_CONFIG: '', ...env, CONFD_RECORD_CODE_CACHE: record },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

  render('confd', 'file');
  render('confd-database-file', join(REPO, 'bin', 'plugins', 'confd-database-file'));
  // The env plugin reads APP_* for keys under /app.
  render('confd-database-env', join(REPO, 'bin', 'plugins', 'confd-database-env'), {
    APP_NAME: 'demo',
    APP_PORT: '8080',
    APP_SERVERS_A: '10.0.0.1',
    APP_SERVERS_B: '10.0.0.2',
  });

  for (const name of ['confd', 'confd-database-file', 'confd-database-env']) {
    const { script, cacheFile } = compileBundle(name);
    if (!existsSync(cacheFile)) throw new Error(`${cacheFile} was not written`);
    if (script.cachedDataRejected) throw new Error(`V8 rejects the code cache it just made: ${cacheFile}`);
  }
  if (readFileSync(join(root, 'out', 'one.conf'), 'utf8').length === 0) throw new Error('the recording render wrote nothing');
} finally {
  rmSync(root, { recursive: true, force: true });
}
