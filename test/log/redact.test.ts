/** Node addresses are logged without their userinfo (credentials). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactUserinfo } from '../../src/log/redact.js';
import { runConfd } from '../helpers/run-confd.js';

describe('redactUserinfo', () => {
  it('masks the userinfo of URLs and bare node addresses, and nothing else', () => {
    expect(redactUserinfo('http://alice:hunter2@127.0.0.1:2379')).toBe('http://***@127.0.0.1:2379');
    expect(redactUserinfo('redis://:hunter2@cache:6379/0')).toBe('redis://***@cache:6379/0');
    expect(redactUserinfo('failed for target dns:alice:hunter2@127.0.0.1:1')).toBe('failed for target dns:***@127.0.0.1:1');
    expect(redactUserinfo('a:pw1@h1:2181,b:pw2@h2:2181')).not.toMatch(/pw1|pw2/);
    for (const plain of ['http://127.0.0.1:2379', 'connect ECONNREFUSED 127.0.0.1:2379', '/var/run/redis.sock']) expect(redactUserinfo(plain)).toBe(plain);
  });
});

describe('backend errors through the CLI', () => {
  const confdir = mkdtempSync(join(tmpdir(), 'confd-redact-'));
  mkdirSync(join(confdir, 'conf.d'));
  mkdirSync(join(confdir, 'templates'));
  writeFileSync(join(confdir, 'templates', 'a.tmpl'), 'x\n');
  writeFileSync(join(confdir, 'conf.d', 'a.toml'), `[template]\nsrc = "a.tmpl"\ndest = "${confdir}/a.conf"\nkeys = ["/a"]\n`);

  it('etcd: a node URL with credentials is never printed with them', async () => {
    const run = await runConfd(['render', '--backend', 'etcd', '--node', 'http://alice:hunter2@127.0.0.1:1', '--confdir', confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ERROR etcd:');
    expect(run.stderr).toContain('***@127.0.0.1:1');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('redis: an invalid node with credentials is reported without them', async () => {
    const run = await runConfd(['render', '--backend', 'redis', '--node', 'alice:hunter2@127.0.0.1:1', '--confdir', confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/invalid redis node "[^"]*\*\*\*@127.0.0.1:1"/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('redis: an unreachable redis:// node with credentials is named without them', async () => {
    const run = await runConfd(['render', '--backend', 'redis', '--node', 'redis://alice:hunter2@127.0.0.1:1/0', '--confdir', confdir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('redis://***@127.0.0.1:1/0');
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe('zookeeper node addresses', () => {
  it('a node with credentials is refused with a clear error, no crash and no password', async () => {
    const confdir = mkdtempSync(join(tmpdir(), 'confd-zk-redact-'));
    mkdirSync(join(confdir, 'conf.d'));
    mkdirSync(join(confdir, 'templates'));
    writeFileSync(join(confdir, 'templates', 't.tmpl'), '{{getv "/a"}}\n');
    writeFileSync(join(confdir, 'conf.d', 'a.toml'), `[template]\nsrc = "t.tmpl"\ndest = "${join(confdir, 'a.conf')}"\nkeys = ["/a"]\n`);
    for (const node of ['alice:hunter2@127.0.0.1:2181', '127.0.0.1:99999']) {
      const run = await runConfd(['render', '--backend', 'zookeeper', '--node', node, '--confdir', confdir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/invalid zookeeper node ".*": expected host:port/);
      expect(run.stderr).not.toContain('hunter2');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
