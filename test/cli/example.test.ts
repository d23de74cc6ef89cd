/** The README's first command: the bundled example renders with the file backend. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_ARGS, expectExampleRendered } from '../helpers/example.js';
import { REPO_ROOT, runConfd } from '../helpers/run-confd.js';

describe('bundled example (templates/)', () => {
  it('renders the nginx upstream, the app .env and the haproxy backends', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'confd-example-'));
    cpSync(join(REPO_ROOT, 'templates'), join(cwd, 'templates'), { recursive: true });
    const run = await runConfd(EXAMPLE_ARGS, { cwd });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    expectExampleRendered(cwd);
    // The password must not appear in the logs at info level.
    expect(run.stderr).not.toContain('change-me');

    // --noop --diff previews a change and writes nothing.
    const preview = await runConfd([...EXAMPLE_ARGS, '--noop', '--diff', '--prefix', '/'], { cwd });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toBe('');
  });
});
