/**
 * The http backend against a real HTTP(S) server on loopback (node:http / node:https,
 * openssl test certificates): merging, content types, conditional polling, Cache-Control,
 * Retry-After, auth, TLS with a client certificate, and the CLI in one-shot and watch modes.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpDatabase } from '../../builtin/databases/http/index.js';
import { CANONICAL_DATA } from '../../test/fixture/prepare.js';
import { runConfd } from '../../test/helpers/run-confd.js';
import { DocumentServer, nest } from '../servers/http-documents.js';
import { makeCertificates, type TestCertificates } from '../servers/tls.js';
import { startDaemon, waitFor, workspace, type Daemon, type Workspace } from '../watch/daemon.js';
import { expectFixtureRenders, internalPluginExecutable } from './fixture-render.js';
import { failure, settledNow } from '../../test/helpers/promises.js';

const JSON_TYPE = 'application/json';
const opened: HttpDatabase[] = [];

async function http(config: Record<string, string>): Promise<HttpDatabase> {
  const db = new HttpDatabase();
  opened.push(db);
  await db.configure(config);
  return db;
}

describe('http backend (in-process, real HTTP server)', () => {
  let server: DocumentServer;
  beforeAll(async () => {
    server = await DocumentServer.start();
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('merges several URLs in order (later wins), JSON or YAML by content type, matching by segment', async () => {
    server.set('/base.json', { body: '{"app": {"port": 80, "host": "a"}, "application": {"x": 1}}', contentType: JSON_TYPE });
    server.set('/override', { body: 'app:\n  port: 8080\n  on: yes\n', contentType: 'application/yaml; charset=utf-8' });
    const db = await http({ nodes: `${server.url('/base.json')},${server.url('/override')}` });
    expect(await db.getValues(['/app'])).toEqual({ '/app/port': '8080', '/app/host': 'a', '/app/on': 'true' });
  });

  it('picks the format by extension or the text when the content type says nothing, and obeys format', async () => {
    server.set('/plain.yaml', { body: 'a: 1\n', contentType: 'text/plain' });
    server.set('/plain', { body: 'A_B=2\n', contentType: 'application/octet-stream' });
    expect(await (await http({ nodes: `${server.url('/plain.yaml')},${server.url('/plain')}` })).getValues(['/'])).toEqual({ '/a': '1', '/a/b': '2' });
    server.set('/forced', { body: 'x = 1\n', contentType: 'text/plain' });
    expect(await (await http({ nodes: server.url('/forced'), format: 'toml' })).getValues(['/'])).toEqual({ '/x': '1' });
  });

  it('asks again with If-None-Match, and with If-Modified-Since when there is no ETag', async () => {
    server.set('/etag.json', { body: '{"v": 1}', contentType: JSON_TYPE });
    server.set('/dated.json', { body: '{"w": 1}', contentType: JSON_TYPE, etag: false });
    const db = await http({ nodes: `${server.url('/etag.json')},${server.url('/dated.json')}` });
    expect(await db.getValues(['/'])).toEqual({ '/v': '1', '/w': '1' });
    expect(await db.getValues(['/'])).toEqual({ '/v': '1', '/w': '1' });
    expect(server.count('/etag.json', 304)).toBe(1);
    expect(server.count('/dated.json', 304)).toBe(1);
    expect(server.requests.filter((r) => r.path === '/dated.json' && r.status === 304)[0].headers['if-modified-since']).toBeDefined();
    server.set('/etag.json', { body: '{"v": 2}', contentType: JSON_TYPE });
    expect(await db.getValues(['/v'])).toEqual({ '/v': '2' });
  });

  it('a watch polls conditionally and wakes only when the document changes', async () => {
    server.set('/watched.json', { body: '{"app": {"v": 1}, "other": 1}', contentType: JSON_TYPE });
    const db = await http({ nodes: server.url('/watched.json'), poll_interval: '50ms' });
    await db.getValues(['/app']);
    const abort = new AbortController();
    const changes = db.watchPrefix('/app', ['/app'], abort.signal)[Symbol.asyncIterator]();
    const next = changes.next();
    const before = server.count('/watched.json', 304);
    await waitFor(() => server.count('/watched.json', 304) >= before + 3, 10_000, 'three 304 answers');
    expect(await settledNow(next)).toBe(false);
    // A new body that changes nothing under /app wakes nobody either.
    server.set('/watched.json', { body: '{"app": {"v": 1}, "other": 2}', contentType: JSON_TYPE });
    await waitFor(() => server.count('/watched.json', 200) >= 2, 10_000, 'the new body fetched');
    expect(await settledNow(next)).toBe(false);
    server.set('/watched.json', { body: '{"app": {"v": 2}, "other": 2}', contentType: JSON_TYPE });
    expect((await next).done).toBe(false);
    expect(await db.getValues(['/app'])).toEqual({ '/app/v': '2' });
    abort.abort();
  });

  it('honours Cache-Control max-age (no request while fresh) and Retry-After (none before it)', async () => {
    server.set('/fresh.json', { body: '{"f": 1}', contentType: JSON_TYPE, headers: { 'cache-control': 'public, max-age=3600' } });
    server.set('/busy.json', { body: '{"b": 1}', contentType: JSON_TYPE });
    server.set('/clock.json', { body: '{"c": 1}', contentType: JSON_TYPE, headers: { 'cache-control': 'no-cache' } });
    const db = await http({ nodes: ['/fresh.json', '/busy.json', '/clock.json'].map((p) => server.url(p)).join(','), poll_interval: '50ms' });
    await db.getValues(['/']);
    await db.getValues(['/']);
    expect(server.count('/fresh.json')).toBe(1);

    server.set('/busy.json', { body: 'try later', status: 503, headers: { 'retry-after': '3600' } });
    const abort = new AbortController();
    const changes = db.watchPrefix('/', ['/'], abort.signal)[Symbol.asyncIterator]();
    // The failure wakes the watcher once, so the daemon's next read reports it.
    expect((await changes.next()).done).toBe(false);
    const error = await failure(db.getValues(['/']));
    expect(error.message).toBe(`http: GET ${server.url('/busy.json')}: HTTP 503 Service Unavailable (retry after 3600s)`);
    // /clock.json is polled all along; /busy.json is not asked again, /fresh.json never.
    const clock = server.count('/clock.json');
    await waitFor(() => server.count('/clock.json') >= clock + 3, 10_000, 'three more polls of /clock.json');
    expect(server.count('/busy.json', 503)).toBe(1);
    expect(server.count('/fresh.json')).toBe(1);
    abort.abort();
  });

  it('follows redirects', async () => {
    server.set('/old.json', { body: '', redirectTo: '/new.json' });
    server.set('/new.json', { body: '{"moved": true}', contentType: JSON_TYPE });
    expect(await (await http({ nodes: server.url('/old.json') })).getValues(['/'])).toEqual({ '/moved': 'true' });
  });

  it('fails naming the URL and the first bad line, or the HTTP status', async () => {
    server.set('/bad.json', { body: '{\n  "a": 1,\n  "b": nope\n}', contentType: JSON_TYPE });
    const bad = await failure((await http({ nodes: server.url('/bad.json') })).getValues(['/']));
    expect(bad.message).toBe(`http: ${server.url('/bad.json')} served invalid JSON at line 3: Unexpected token 'o' (line: "  \\"b\\": nope")`);
    const missing = await failure((await http({ nodes: server.url('/nothing-here') })).getValues(['/']));
    expect(missing.message).toBe(`http: GET ${server.url('/nothing-here')}: HTTP 404 Not Found`);
  });

  it('rejects bad settings by name', async () => {
    await expect(http({ nodes: '' })).rejects.toThrow(/needs at least one URL/);
    await expect(http({ nodes: 'ftp://x/doc' })).rejects.toThrow(/invalid URL "ftp:\/\/x\/doc": only http and https/);
    await expect(http({ nodes: server.url('/x'), authToken: 't', username: 'u' })).rejects.toThrow(/either auth_token or username and password, not both/);
    await expect(http({ nodes: server.url('/x'), poll_interval: 'often' })).rejects.toThrow(/poll_interval: expected a duration/);
  });
});

describe('http backend auth', () => {
  let bearer: DocumentServer;
  let basic: DocumentServer;
  beforeAll(async () => {
    bearer = await DocumentServer.start({ authorization: 'Bearer s3cret' });
    basic = await DocumentServer.start({ authorization: `Basic ${Buffer.from('confd:p@ss').toString('base64')}` });
    for (const s of [bearer, basic]) s.set('/doc.json', { body: '{"ok": 1}', contentType: JSON_TYPE });
  });
  afterAll(async () => {
    await bearer?.stop();
    await basic?.stop();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('sends auth_token as a bearer token', async () => {
    expect(await (await http({ nodes: bearer.url('/doc.json'), authToken: 's3cret' })).getValues(['/'])).toEqual({ '/ok': '1' });
    const denied = await failure((await http({ nodes: bearer.url('/doc.json'), authToken: 'wrong' })).getValues(['/']));
    expect(denied.message).toBe(`http: GET ${bearer.url('/doc.json')}: HTTP 401 Unauthorized (check auth_token, or username and password)`);
  });

  it('sends basic auth from username and password, or from the URL', async () => {
    expect(await (await http({ nodes: basic.url('/doc.json'), basicAuth: 'true', username: 'confd', password: 'p@ss' })).getValues(['/'])).toEqual({ '/ok': '1' });
    const withCredentials = basic.url('/doc.json').replace('http://', 'http://confd:p%40ss@');
    const db = await http({ nodes: withCredentials });
    expect(await db.getValues(['/'])).toEqual({ '/ok': '1' });
    // Credentials never appear in messages.
    basic.set('/gone.json', { body: '', status: 410 });
    const error = await failure((await http({ nodes: withCredentials.replace('/doc.json', '/gone.json') })).getValues(['/']));
    expect(error.message).not.toContain('p%40ss');
    expect(error.message).toContain(basic.url('/gone.json'));
  });
});

describe('http backend over TLS with a client certificate', () => {
  let certs: TestCertificates;
  let server: DocumentServer;
  beforeAll(async () => {
    certs = makeCertificates();
    server = await DocumentServer.start({ tls: { ...certs, requireClientCert: true } });
    server.set('/doc.json', { body: '{"secure": "yes"}', contentType: JSON_TYPE });
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('verifies the server with the CA and presents the client certificate', async () => {
    expect(server.origin).toMatch(/^https:/);
    const db = await http({ nodes: server.url('/doc.json'), caCert: certs.ca, cert: certs.clientCert, key: certs.clientKey });
    expect(await db.getValues(['/'])).toEqual({ '/secure': 'yes' });
  });

  it('fails without the CA, and without a client certificate', async () => {
    const untrusted = await failure((await http({ nodes: server.url('/doc.json') })).getValues(['/']));
    expect(untrusted.message).toMatch(new RegExp(`^http: GET ${server.url('/doc.json')}: .*(self[- ]signed|unable to verify|local issuer)`, 'i'));
    const noCert = await failure((await http({ nodes: server.url('/doc.json'), caCert: certs.ca })).getValues(['/']));
    expect(noCert.message).toMatch(new RegExp(`^http: GET ${server.url('/doc.json')}: `));
  });

  it('renders through the CLI with --client-cert, --client-key and --client-ca-keys', async () => {
    server.set('/fixture.json', { body: JSON.stringify(nest(CANONICAL_DATA)), contentType: JSON_TYPE });
    await expectFixtureRenders(['--backend', 'http', '--node', server.url('/fixture.json'), '--client-cert', certs.clientCert, '--client-key', certs.clientKey, '--client-ca-keys', certs.ca]);
  });
});

describe('http backend through the CLI', () => {
  let server: DocumentServer;
  let ws: Workspace | undefined;
  let daemon: Daemon | undefined;
  beforeAll(async () => {
    server = await DocumentServer.start();
    server.set('/fixture.json', { body: JSON.stringify(nest(CANONICAL_DATA)), contentType: JSON_TYPE });
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    ws?.cleanup();
    daemon = undefined;
    ws = undefined;
  });

  it('renders the fixture byte-identical, in-process and through internal-plugin', async () => {
    await expectFixtureRenders(['--backend', 'http', '--node', server.url('/fixture.json')]);
    await expectFixtureRenders(['--backend', internalPluginExecutable('http'), '--node', server.url('/fixture.json')]);
  });

  it('--auth-token reaches the server', async () => {
    const guarded = await DocumentServer.start({ authorization: 'Bearer tok' });
    try {
      guarded.set('/fixture.json', { body: JSON.stringify(nest(CANONICAL_DATA)), contentType: JSON_TYPE });
      await expectFixtureRenders(['--backend', 'http', '--node', guarded.url('/fixture.json'), '--auth-token', 'tok']);
      await expectFixtureRenders(['--backend', internalPluginExecutable('http'), '--node', guarded.url('/fixture.json')], { CONFD_AUTH_TOKEN: 'tok' });
    } finally {
      await guarded.stop();
    }
  });

  it('a bad document fails the run with the URL and line, and writes nothing', async () => {
    server.set('/broken.yaml', { body: 'a: 1\nb: [\n', contentType: 'application/yaml' });
    ws = workspace();
    ws.template('t.tmpl', 'a={{getv "/a"}}\n');
    ws.resource('t', `[template]\nsrc = "t.tmpl"\ndest = "${ws.out}/t.conf"\nkeys = ["/a"]\n`);
    const run = await runConfd(['render', '--backend', 'http', '--node', server.url('/broken.yaml'), '--confdir', ws.confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`http: ${server.url('/broken.yaml')} served invalid YAML at line`);
    expect(existsSync(join(ws.out, 't.conf'))).toBe(false);
  });

  for (const via of ['in-process', 'internal-plugin'] as const) {
    it(`watch (${via}): a change is rendered; 304s cost no render`, async () => {
      server.set('/watch.json', { body: '{"app": {"v": "one"}}', contentType: JSON_TYPE });
      ws = workspace();
      ws.template('w.tmpl', 'v={{getv "/app/v"}}\n');
      ws.resource('w', `[template]\nsrc = "w.tmpl"\ndest = "${ws.out}/w.conf"\nkeys = ["/app"]\n`);
      writeFileSync(join(ws.confdir, 'confd.toml'), `[backend_config]\npoll_interval = "100ms"\n`);
      const backend = via === 'in-process' ? 'http' : internalPluginExecutable('http');
      // --interval 600: a render within seconds can only come from the watch.
      daemon = startDaemon(['--backend', backend, '--node', server.url('/watch.json'), '--interval', '600', '--log-level', 'debug', '--confdir', ws.confdir]);
      const dest = join(ws.out, 'w.conf');
      await waitFor(() => ws!.read(dest) === 'v=one\n', 20_000, 'first render');
      const events = daemon.count(/watch event for/);
      const answered = server.count('/watch.json', 304);
      await waitFor(() => server.count('/watch.json', 304) >= answered + 3, 10_000, 'three 304 answers');
      expect(daemon.count(/watch event for/)).toBe(events);
      server.set('/watch.json', { body: '{"app": {"v": "two"}}', contentType: JSON_TYPE });
      await waitFor(() => ws!.read(dest) === 'v=two\n', 10_000, 'the change rendered');
    });
  }
});
