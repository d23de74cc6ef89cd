/**
 * AutoMTLS (go-plugin's scheme) in all four directions, with real processes: our host ↔
 * our SDK, our host ↔ a go-plugin 1.0.1 plugin, a go-plugin 1.0.1 host with AutoMTLS ↔
 * our SDK plugin and `confd internal-plugin`; and a plugin that required mTLS refuses a
 * plaintext connection (and a client with a certificate it does not pin).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeCertField, generateCertificate } from '../src/plugin/protocol/certificate.js';
import { CONFD_BIN, REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { buildGoBinaries, GO_INSTALL_HINT, goToolchainAvailable, runGoHost, type GoBinaries } from './helpers/go-build.js';
import { healthCheck, startPluginByHand, type HandStartedPlugin } from './helpers/plugin-by-hand.js';
import { requireTool } from './helpers/require-tool.js';

const TS_PLUGIN = join(REPO_ROOT, 'integration', 'plugins', 'ts', 'confd-database-tsmem');
const haveGo = requireTool(goToolchainAvailable(), 'the Go toolchain with go-plugin 1.0.1', GO_INSTALL_HINT);
let go: GoBinaries;
beforeAll(() => {
  if (haveGo) go = buildGoBinaries();
}, 300_000);

let byHand: HandStartedPlugin | undefined;
afterEach(() => {
  byHand?.stop();
  byHand = undefined;
});

/** A confdir with one resource rendering `template` from a JSON data file the test plugins read. */
function confdir(template: string, keys: string[], data: Record<string, string> = { '/app/name': 'demo' }) {
  const root = mkdtempSync(join(tmpdir(), 'confd-mtls-'));
  const dir = join(root, 'confdir');
  for (const sub of ['conf.d', 'templates']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'templates', 'out.tmpl'), template);
  writeFileSync(join(dir, 'conf.d', 'out.toml'), `[template]\nsrc = "out.tmpl"\ndest = "${join(root, 'out.txt')}"\nkeys = ${JSON.stringify(keys)}\n`);
  writeFileSync(join(root, 'data.json'), JSON.stringify(data));
  writeFileSync(join(dir, 'confd.toml'), `[backend_config]\ndataFile = "${join(root, 'data.json')}"\n`);
  return { dir, out: join(root, 'out.txt') };
}

describe('our host ↔ our SDK plugin', () => {
  it('negotiates mutual TLS by default; --plugin-require-mtls accepts it', async () => {
    const inspect = await runConfd(['plugins', 'inspect', TS_PLUGIN]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/handshake: {2}1\|1\|unix\|\/\S+\|grpc\|[A-Za-z0-9+/]{300,}\n/);
    expect(inspect.stdout).toContain('mtls:       yes');
    const c = confdir('name={{getv "/app/name"}}\n', ['/app']);
    const run = await runConfd(['render', '--confdir', c.dir, '--backend', TS_PLUGIN, '--plugin-require-mtls']);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(readFileSync(c.out, 'utf8')).toBe('name=demo\n');
  });
});

describe.runIf(haveGo)('our host ↔ a go-plugin 1.0.1 plugin with AutoMTLS', () => {
  it('the Go plugin sees a TLS connection with our client certificate', async () => {
    const c = confdir('tls={{getv "/_proc/tls"}} cn={{getv "/_proc/client_cn"}} name={{getv "/app/name"}}\n', ['/_proc', '/app']);
    const run = await runConfd(['render', '--confdir', c.dir, '--backend', go.plugin, '--plugin-require-mtls']);
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(readFileSync(c.out, 'utf8')).toBe('tls=true cn=localhost name=demo\n');
  });

  it('with AutoMTLS off for it (no certificate offered) the same plugin is reached in plaintext', async () => {
    // go-plugin answers with a certificate only when PLUGIN_CLIENT_CERT is set; a legacy-mode build never does.
    const c = confdir('tls={{getv "/_proc/tls"}}\n', ['/_proc']);
    const run = await runConfd(['render', '--confdir', c.dir, '--backend', go.plugin], { env: { CONFD_GOTEST_LEGACY_HANDSHAKE: '1' } });
    expect(run.code).toBe(0);
    expect(readFileSync(c.out, 'utf8')).toBe('tls=false\n');
  });
});

describe.runIf(haveGo)('a go-plugin 1.0.1 host with AutoMTLS ↔ our plugins', () => {
  it('drives the TypeScript SDK plugin over mutual TLS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-gohost-'));
    writeFileSync(join(dir, 'data.json'), JSON.stringify({ '/k/a': '1' }));
    const result = await runGoHost(go.host, ['-automtls', '-config', JSON.stringify({ dataFile: join(dir, 'data.json') }), '-keys', '/k'], [TS_PLUGIN]);
    expect(result.stderr).not.toContain('panic');
    expect(result.code).toBe(0);
    expect(result.lines).toEqual(['VALUES {"/k/a":"1"}']);
    // The SDK's own log line, re-logged by the Go host: it served with mutual TLS.
    expect(result.stderr).toMatch(/plugin started: .*mtls=true/);
  });

  it('drives `confd internal-plugin database env` over mutual TLS', async () => {
    const result = await runGoHost(go.host, ['-automtls', '-keys', '/database'], [process.execPath, CONFD_BIN, 'internal-plugin', 'database', 'env'], { DATABASE_HOST: '10.0.0.1' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines[0].replace(/^VALUES /, ''))).toEqual({ '/database/host': '10.0.0.1' });
    expect(result.stderr).toMatch(/plugin started: .*mtls=true/);
  });
});

describe('a plugin that required mTLS refuses other connections', () => {
  const plugins = () => [
    { name: 'our SDK', command: [TS_PLUGIN] },
    ...(haveGo ? [{ name: 'go-plugin 1.0.1', command: [go.plugin] }] : []),
  ];

  it('refuses plaintext and a client certificate it does not pin; accepts ours', async () => {
    for (const { name, command } of plugins()) {
      const host = generateCertificate();
      byHand = await startPluginByHand(command, { PLUGIN_CLIENT_CERT: host.certPem });
      const socket = byHand.fields[3];
      const pluginCert = decodeCertField(byHand.fields[5]);
      expect(await healthCheck(socket, undefined), `${name}: plaintext`).toMatch(/^error 14:/);
      expect(await healthCheck(socket, { trust: pluginCert }), `${name}: TLS without a client certificate`).toMatch(/^error 14:/);
      expect(await healthCheck(socket, { trust: pluginCert, own: generateCertificate() }), `${name}: a certificate it does not pin`).toMatch(/^error 14:/);
      expect(await healthCheck(socket, { trust: pluginCert, own: host }), `${name}: the host's certificate`).toBe('SERVING');
      byHand.stop();
      byHand = undefined;
    }
  });
});
