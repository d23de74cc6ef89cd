/** The README's first command: the bundled example renders with the file backend. */
import { cpSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runConfd } from '../helpers/run-confd.js';

describe('bundled example (templates/)', () => {
  it('renders the nginx upstream, the app .env and the haproxy backends', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'confd-example-'));
    cpSync(join(REPO_ROOT, 'templates'), join(cwd, 'templates'), { recursive: true });
    const args = ['render', '--confdir', 'templates', '--backend', 'file', '--file', 'templates/values.yaml'];
    const run = await runConfd(args, { cwd });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    const nginx = readFileSync(join(cwd, 'out/nginx/upstream.conf'), 'utf8');
    expect(nginx).toContain('upstream shop {\n    server 10.0.1.10:8080 max_fails=3 fail_timeout=10s;\n    server 10.0.1.11:8080');
    const env = readFileSync(join(cwd, 'out/app/.env'), 'utf8');
    expect(env).toContain('DATABASE_URL=postgres://shop:change-me@db.internal:5432/shop_production\n');
    expect(env).toContain('FEATURES=checkout,search\nLOG_LEVEL=info\n');
    expect(statSync(join(cwd, 'out/app/.env')).mode & 0o777).toBe(0o600);
    const haproxy = readFileSync(join(cwd, 'out/haproxy/backends.cfg'), 'utf8');
    expect(haproxy).toContain('backend api\n    balance roundrobin\n    server api1 10.0.2.10:9000 check\n    server api2 10.0.2.11:9000 check\n\nbackend web\n');
    // The password must not appear in the logs at info level.
    expect(run.stderr).not.toContain('change-me');

    // --noop --diff previews a change and writes nothing.
    const preview = await runConfd([...args, '--noop', '--diff', '--prefix', '/'], { cwd });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toBe('');
  });
});
