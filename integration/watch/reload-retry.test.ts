/** A reload_cmd that fails is retried with backoff until it succeeds; dest stays correct. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, startDaemon, waitFor, workspace, type Daemon, type Workspace } from './daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
cleanupAfterEach(() => ({ daemon, ws }));

describe('reload_cmd retries', () => {
  it('a reload_cmd failing twice and then succeeding is retried, and dest is correct', async () => {
    ws = workspace();
    const dest = join(ws.out, 'svc.conf');
    const counter = join(ws.out, 'attempts');
    const dataFile = join(ws.data, 'd.yaml');
    writeFileSync(dataFile, 'svc:\n  port: "8080"\n');
    ws.template('svc.tmpl', 'port={{getv "/svc/port"}}\n');
    // Counts its runs in a file; fails on runs 1 and 2.
    const script = join(ws.root, 'reload.sh');
    writeFileSync(script, `#!/bin/sh\nn=$(cat ${counter} 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > ${counter}\n[ $n -ge 3 ] || { echo "not yet ($n)" >&2; exit 1; }\n`, { mode: 0o755 });
    ws.resource('svc', `[template]\nsrc = "svc.tmpl"\ndest = "${dest}"\nkeys = ["/svc"]\nreload_cmd = "${script}"\n`);
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'file', '--file', dataFile]);
    await waitFor(() => ws!.read(counter) === '3\n', 10_000, 'the third reload attempt');
    expect(ws.read(dest)).toBe('port=8080\n');
    await daemon.waitForLog(/reload_cmd for .* succeeded after 2 retries/);
    // Each failure was reported, with the command's output.
    expect(daemon.count(/ERROR .*reload failed: .*not yet/)).toBe(2);
    expect(daemon.count(/retrying reload_cmd/)).toBe(2);
  });
});
