/** Renders confd's fixture through the real CLI with a given backend and compares every output. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { expect } from 'vitest';
import { prepareFixture, readOutputs } from '../../test/fixture/prepare.js';
import { CONFD_BIN, runConfd } from '../../test/helpers/run-confd.js';
import { startDaemon, waitFor, workspace, type Daemon } from '../watch/daemon.js';

export async function expectFixtureRenders(args: string[], env: Record<string, string> = {}): Promise<void> {
  const fixture = prepareFixture();
  try {
    const run = await runConfd(['render', '--confdir', fixture.confdir, ...args], { env: { HOSTNAME: 'localhost', ...env } });
    expect(run.stderr, run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    for (const { name, actual, expected } of readOutputs(fixture.outDir)) expect(actual, name).toBe(expected);
  } finally {
    fixture.cleanup();
  }
}

/**
 * A `confd-database-<name>` executable that runs `confd internal-plugin database <name>`,
 * so a built-in is driven as an external plugin (built-in names resolve in-process, so
 * it is named `<name>plugin`).
 */
export function internalPluginExecutable(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'confd-internal-'));
  const path = join(dir, `confd-database-${name}plugin`);
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${CONFD_BIN}" internal-plugin database ${name}\n`);
  chmodSync(path, 0o755);
  return path;
}

export interface OneKeyWatch {
  daemon: Daemon;
  /** Waits until the rendered file says `value=<value>`; on timeout the error carries the daemon's log. */
  untilValue(value: string, timeoutMs: number, what: string): Promise<void>;
  stop(): Promise<void>;
}

/** `confd watch <args>` over one resource that renders `value={{getv key}}`. */
export function watchOneKey(key: string, args: string[]): OneKeyWatch {
  const ws = workspace();
  ws.template('one.tmpl', `value={{getv "${key}"}}\n`);
  ws.resource('one', `[template]\nsrc = "one.tmpl"\ndest = "${ws.out}/one.conf"\nkeys = ["${posix.dirname(key)}"]\n`);
  const daemon = startDaemon([...args, '--confdir', ws.confdir]);
  const dest = join(ws.out, 'one.conf');
  return {
    daemon,
    untilValue: (value, timeoutMs, what) =>
      waitFor(() => ws.read(dest) === `value=${value}\n`, timeoutMs, what).catch((error: Error) => {
        throw new Error(`${error.message}; log:\n${daemon.log()}`);
      }),
    async stop() {
      await daemon.stop();
      ws.cleanup();
    },
  };
}
