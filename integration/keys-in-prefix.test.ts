/**
 * Keys stay in their prefix, against a real etcd: a writer who may only write under
 * `/zz/` puts `/zz/../db/host`. That key cleans to `/db/host`, but it must never reach a
 * resource reading `/db` — not when `/zz` is requested too, and not under `/`.
 */
import { Etcd3 } from 'etcd3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConfd } from '../test/helpers/run-confd.js';
import { EtcdCluster, haveEtcd } from './servers/etcd.js';
import { workspace } from './watch/daemon.js';

describe.runIf(haveEtcd())('keys outside the requested prefixes (real etcd)', () => {
  let etcd: EtcdCluster;
  beforeAll(async () => {
    etcd = await EtcdCluster.start(1);
    const client = new Etcd3({ hosts: etcd.endpoints });
    try {
      await client.put('/db/port').value('5432');
      await client.put('/zz/name').value('zz');
      // What `etcdctl put /zz/../db/host attacker.example` stores: the key verbatim.
      await client.put('/zz/../db/host').value('attacker.example');
      await client.put('/zz/../../db/user').value('mallory');
    } finally {
      client.close();
    }
  });
  afterAll(() => etcd?.stop());

  it('a `..` key written under /zz never lands in /db; the warning names it', async () => {
    const ws = workspace();
    ws.template('db.tmpl', 'host={{getv "/db/host" "db.internal"}}\nuser={{getv "/db/user" "app"}}\nport={{getv "/db/port"}}\n{{#each (gets "/db/*")}}{{Key}}\n{{/each}}');
    ws.template('zz.tmpl', '{{#each (gets "/zz/*")}}{{Key}}={{Value}}\n{{/each}}');
    ws.template('all.tmpl', '{{#each (gets "/*/*")}}{{Key}}={{Value}}\n{{/each}}');
    ws.resource('db', `[template]\nsrc = "db.tmpl"\ndest = "${ws.out}/db.conf"\nkeys = ["/db"]\n`);
    ws.resource('zz', `[template]\nsrc = "zz.tmpl"\ndest = "${ws.out}/zz.conf"\nkeys = ["/zz"]\n`);
    const run = await runConfd(['render', '--backend', 'etcd', '--node', etcd.endpoints[0], '--confdir', ws.confdir]);
    expect(run.code, run.stderr).toBe(0);
    expect(ws.read(join(ws.out, 'db.conf'))).toBe('host=db.internal\nuser=app\nport=5432\n/db/port\n');
    expect(ws.read(join(ws.out, 'zz.conf'))).toBe('/zz/name=zz\n');
    expect(run.stderr).toMatch(/WARNING .*backend etcd returned 2 key\(s\) that do not belong to the requested prefixes \(\/db, \/zz\); ignored: .*"\/zz\/\.\.\/db\/host" \(has a "\.\." segment\)/);
    expect(run.stderr).toContain('"/zz/../../db/user"');
    expect(run.stderr).not.toContain('attacker.example');

    // Under the root prefix every key is "requested", and `..` is still refused.
    ws.resource('all', `[template]\nsrc = "all.tmpl"\ndest = "${ws.out}/all.conf"\nkeys = ["/"]\n`);
    const rooted = await runConfd(['render', '--backend', 'etcd', '--node', etcd.endpoints[0], '--confdir', ws.confdir]);
    expect(rooted.code, rooted.stderr).toBe(0);
    expect(ws.read(join(ws.out, 'all.conf'))).toBe('/db/port=5432\n/zz/name=zz\n');
    expect(ws.read(join(ws.out, 'db.conf'))).toBe('host=db.internal\nuser=app\nport=5432\n/db/port\n');
    ws.cleanup();
  });
});
