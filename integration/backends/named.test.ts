/**
 * Named backends, end to end: one resource reading a real etcd, a file and the
 * environment at once, in `confd render` and `confd watch`. A change in etcd or in the
 * file re-renders it; a failing etcd stops only the resources that read etcd.
 */
import { Etcd3 } from 'etcd3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runConfd } from '../../test/helpers/run-confd.js';
import { EtcdCluster, haveEtcd } from '../servers/etcd.js';
import { startDaemon, waitFor, workspace, type Daemon, type Workspace } from '../watch/daemon.js';

const available = haveEtcd();

interface Setup {
  ws: Workspace;
  secrets: string;
  out: (name: string) => string | undefined;
}

function setup(endpoint: string): Setup {
  const ws = workspace();
  const secrets = join(ws.data, 'secrets.yaml');
  writeFileSync(secrets, 'app:\n  password: first-secret\n');
  writeFileSync(
    join(ws.confdir, 'confd.toml'),
    [
      'backend = "etcd"',
      `nodes = ["${endpoint}"]`,
      '',
      '[backends.secrets]',
      'backend = "file"',
      `file = ["${secrets}"]`,
      '',
      '[backends.host]',
      'backend = "env"',
      '',
    ].join('\n'),
  );
  ws.template('app.tmpl', 'db={{getv "/app/db/host"}} password={{getv "/app/password"}} region={{getv "/app/region"}}\n');
  ws.template('db.tmpl', 'db={{getv "/app/db/host"}}\n');
  ws.template('secret.tmpl', 'password={{getv "/app/password"}}\n');
  ws.resource('app', `[template]\nsrc = "app.tmpl"\ndest = "${join(ws.out, 'app.conf')}"\nkeys = ["/app"]\nbackends = ["default", "secrets", "host"]\n`);
  ws.resource('db', `[template]\nsrc = "db.tmpl"\ndest = "${join(ws.out, 'db.conf')}"\nkeys = ["/app/db"]\n`);
  ws.resource('secret', `[template]\nsrc = "secret.tmpl"\ndest = "${join(ws.out, 'secret.conf')}"\nkeys = ["/app"]\nbackend = "secrets"\n`);
  return { ws, secrets, out: (name) => ws.read(join(ws.out, `${name}.conf`)) };
}

describe.runIf(available)('named backends: etcd + file + env in one resource', () => {
  let etcd: EtcdCluster;
  let client: Etcd3;
  let daemon: Daemon | undefined;
  let current: Setup | undefined;
  const ENV = { APP_REGION: 'eu-west' };

  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    client = new Etcd3({ hosts: etcd.endpoints });
  });
  afterAll(async () => {
    client?.close();
    await etcd?.stop();
  });
  afterEach(async () => {
    await daemon?.stop('SIGKILL').catch(() => {});
    daemon = undefined;
    current?.ws.cleanup();
    current = undefined;
    if (!etcd.members[0].process.running) await etcd.members[0].process.start();
  });

  it('confd render merges the three backends, in the resource order', async () => {
    await client.put('/app/db/host').value('db-1');
    await client.put('/app/password').value('from-etcd'); // the file backend comes later and wins
    const s = (current = setup(etcd.endpoints[0]));
    const run = await runConfd(['render', '--confdir', s.ws.confdir], { env: ENV });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expect(s.out('app')).toBe('db=db-1 password=first-secret region=eu-west\n');
    expect(s.out('db')).toBe('db=db-1\n');
    expect(s.out('secret')).toBe('password=first-secret\n');
    await client.delete().key('/app/password');
  });

  it('confd render with etcd down: the file-only resource renders, the others fail once by backend, exit 1', async () => {
    await client.put('/app/db/host').value('db-1');
    const s = (current = setup(etcd.endpoints[0]));
    await etcd.members[0].process.stop();
    const run = await runConfd(['render', '--confdir', s.ws.confdir], { env: ENV, timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(s.out('secret')).toBe('password=first-secret\n');
    expect(s.out('app')).toBeUndefined();
    expect(s.out('db')).toBeUndefined();
    expect(run.stderr).toMatch(/2 resource\(s\) not rendered because their backend failed/);
  });

  it('confd watch: a change in etcd and a change in the file each re-render the resources that read them', async () => {
    await client.put('/app/db/host').value('db-1');
    const s = (current = setup(etcd.endpoints[0]));
    daemon = startDaemon(['--confdir', s.ws.confdir, '--log-level', 'debug'], ENV);
    await waitFor(() => s.out('app') === 'db=db-1 password=first-secret region=eu-west\n', 15_000, 'the first render');
    await daemon.waitForLog(/watching 3 resource\(s\) on backends etcd, host \(env\), secrets \(file\)/);
    await daemon.waitForLog(/watch event for \/ backend="secrets \(file\)"/); // the file watch is ready

    await client.put('/app/db/host').value('db-2');
    await waitFor(() => s.out('app') === 'db=db-2 password=first-secret region=eu-west\n' && s.out('db') === 'db=db-2\n', 10_000, 'the etcd change');

    writeFileSync(s.secrets, 'app:\n  password: second-secret\n');
    await waitFor(() => s.out('app') === 'db=db-2 password=second-secret region=eu-west\n' && s.out('secret') === 'password=second-secret\n', 10_000, 'the file change');

    // etcd goes away: the file-only resource still follows the file; the etcd ones wait.
    await etcd.members[0].process.stop();
    writeFileSync(s.secrets, 'app:\n  password: third-secret\n');
    await waitFor(() => s.out('secret') === 'password=third-secret\n', 10_000, 'the file change while etcd is down');
    await daemon.waitForLog(/backend etcd is failing/, 30_000);
    expect(s.out('app')).toBe('db=db-2 password=second-secret region=eu-west\n');

    // etcd comes back: everything it serves is fetched again, with the file's news.
    await etcd.members[0].process.start();
    await waitFor(() => s.out('app') === 'db=db-2 password=third-secret region=eu-west\n', 60_000, 'the recovery');
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
  });

  it('confd watch --keep-last-good: with etcd down, a file change still re-renders the mixed resource from etcd\'s last values', async () => {
    await client.put('/app/db/host').value('db-9');
    const s = (current = setup(etcd.endpoints[0]));
    daemon = startDaemon(['--confdir', s.ws.confdir, '--keep-last-good', '--log-level', 'debug'], ENV);
    await waitFor(() => s.out('app') === 'db=db-9 password=first-secret region=eu-west\n', 15_000, 'the first render');
    await daemon.waitForLog(/watch event for \/ backend="secrets \(file\)"/);
    await etcd.members[0].process.stop();
    writeFileSync(s.secrets, 'app:\n  password: kept-going\n');
    await waitFor(() => s.out('app') === 'db=db-9 password=kept-going region=eu-west\n', 20_000, 'the render from last good values');
    expect(s.out('secret')).toBe('password=kept-going\n');
  });
});
