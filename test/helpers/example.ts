/** The bundled example (templates/): how to render it, and what it must produce. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Run in a directory holding a copy of templates/: outputs go to ./out/. */
export const EXAMPLE_ARGS = ['render', '--confdir', 'templates', '--backend', 'file', '--file', 'templates/values.yaml'];

export function expectExampleRendered(cwd: string): void {
  const nginx = readFileSync(join(cwd, 'out/nginx/upstream.conf'), 'utf8');
  expect(nginx).toContain('upstream shop {\n    server 10.0.1.10:8080 max_fails=3 fail_timeout=10s;\n    server 10.0.1.11:8080');
  const env = readFileSync(join(cwd, 'out/app/.env'), 'utf8');
  expect(env).toContain('DATABASE_URL=postgres://shop:change-me@db.internal:5432/shop_production\n');
  expect(env).toContain('FEATURES=checkout,search\nLOG_LEVEL=info\n');
  expect(statSync(join(cwd, 'out/app/.env')).mode & 0o777).toBe(0o600);
  const haproxy = readFileSync(join(cwd, 'out/haproxy/backends.cfg'), 'utf8');
  expect(haproxy).toContain('backend api\n    balance roundrobin\n    server api1 10.0.2.10:9000 check\n    server api2 10.0.2.11:9000 check\n\nbackend web\n');
}
