/**
 * --metrics-addr over real HTTP, against a running `confd watch`:
 *
 *   - with a real etcd: /ready stays 503 until every resource has rendered; /health is
 *     200 while etcd answers, 503 once it is killed, 200 again when it is back; /metrics
 *     counts passes, resources, check/reload commands, backend calls and watch events;
 *   - with a real plugin process: starts, crashes and restarts are counted.
 */
import { Etcd3 } from 'etcd3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EtcdCluster, haveEtcd } from '../servers/etcd.js';
import { freePort } from '../servers/server-process.js';
import { COUNTING_PLUGIN } from '../watch/counting-plugin.js';
import { startDaemon, waitFor, workspace, type Daemon, type Workspace } from '../watch/daemon.js';

let ws: Workspace | undefined;
let daemon: Daemon | undefined;
let etcd: EtcdCluster | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await etcd?.stop();
  ws?.cleanup();
  daemon = etcd = ws = undefined;
});

interface Answer {
  status: number;
  body: string;
}

async function get(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** The value of one sample in Prometheus text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function waitForStatus(port: number, path: string, status: number, timeoutMs: number): Promise<Answer> {
  let last: Answer | undefined;
  // Until the daemon listens, a refused connection is just "not yet".
  await waitFor(async () => (last = await get(port, path).catch(() => undefined))?.status === status, timeoutMs, `${path} to answer ${status} (last: ${last?.status} ${last?.body})`, 100);
  return last!;
}

describe.runIf(haveEtcd())('metrics, /health and /ready with a real etcd', () => {
  it('reports readiness, health through an outage, and what the daemon did', async () => {
    etcd = await EtcdCluster.start(1);
    const client = new Etcd3({ hosts: etcd.endpoints });
    await client.put('/app/k').value('value-one-7f3');
    ws = workspace();
    ws.template('app.tmpl', 'k={{getv "/k"}}\n');
    ws.template('late.tmpl', 'late={{getv "/late"}}\n');
    ws.resource('app', `[template]\nprefix = "/app"\nsrc = "app.tmpl"\ndest = "${join(ws.out, 'app.conf')}"\nkeys = ["/k"]\ncheck_cmd = "test -s {{.src}}"\nreload_cmd = "true"\n`);
    ws.resource('late', `[template]\nprefix = "/app"\nsrc = "late.tmpl"\ndest = "${join(ws.out, 'late.conf')}"\nkeys = ["/late"]\n`);
    const port = await freePort();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', 'etcd', '--node', etcd.endpoints[0], '--metrics-addr', `127.0.0.1:${port}`, '--interval', '1', '--backend-timeout', '2s']);
    await daemon.waitForLog(/serving \/metrics, \/health and \/ready on http:\/\/127\.0\.0\.1:\d+/);
    await waitFor(() => ws!.read(join(ws!.out, 'app.conf')) === 'k=value-one-7f3\n', 10_000, 'the first render');

    // One resource cannot render yet (its key is missing): not ready, but healthy.
    await daemon.waitForLog(/key does not exist: \/late/);
    expect(await get(port, '/ready')).toEqual({ status: 503, body: '{"status":"not ready","ready":false}\n' });
    const healthy = await waitForStatus(port, '/health', 200, 10_000);
    expect(JSON.parse(healthy.body)).toMatchObject({ status: 'ok', ok: true, backends: { default: { ok: true, lastSuccess: expect.any(String) } } });

    await client.put('/app/late').value('late-value-4e2');
    await waitForStatus(port, '/ready', 200, 10_000);
    await client.put('/app/k').value('value-two-9c1');
    await waitFor(() => ws!.read(join(ws!.out, 'app.conf')) === 'k=value-two-9c1\n', 10_000, 'the change');

    // dest is written before reload_cmd runs and the outcome is counted: wait for the count.
    let text = '';
    await waitFor(async () => sample((text = (await get(port, '/metrics')).body), 'confd_resource_syncs_total{resource="app.toml",result="changed"}') === 2, 10_000, 'the change to be counted');
    expect(sample(text, 'confd_ready')).toBe(1);
    expect(sample(text, 'confd_backend_up{backend="default"}')).toBe(1);
    expect(sample(text, 'confd_resource_syncs_total{resource="app.toml",result="changed"}')).toBe(2);
    expect(sample(text, 'confd_resource_syncs_total{resource="late.toml",result="failed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'confd_resource_syncs_total{resource="late.toml",result="changed"}')).toBe(1);
    expect(sample(text, 'confd_resource_last_success_timestamp_seconds{resource="app.toml"}')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(sample(text, 'confd_commands_total{command="check_cmd",resource="app.toml",result="ok"}')).toBe(2);
    expect(sample(text, 'confd_commands_total{command="reload_cmd",resource="app.toml",result="ok"}')).toBe(2);
    expect(sample(text, 'confd_backend_requests_total{backend="default"}')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'confd_backend_request_duration_seconds_count{backend="default"}')).toBe(sample(text, 'confd_backend_requests_total{backend="default"}'));
    expect(sample(text, 'confd_watch_events_total{backend="default",prefix="/app"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'confd_passes_total{reason="connect"}')).toBe(1);
    expect(sample(text, 'confd_pass_duration_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // Labels are bounded: no key names, no values.
    for (const secret of ['/app/k', '/app/late', 'value-one-7f3', 'value-two-9c1', 'late-value-4e2']) expect(text).not.toContain(secret);

    // etcd dies: health turns bad (the interval resync fails), readiness stays.
    client.close();
    await etcd.members[0].process.kill();
    const down = await waitForStatus(port, '/health', 503, 20_000);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'unhealthy', ok: false, backends: { default: { ok: false, reason: 'the last contact failed', lastFailure: expect.any(String) } } });
    expect((await get(port, '/ready')).status).toBe(200);
    const during = (await get(port, '/metrics')).body;
    expect(sample(during, 'confd_backend_up{backend="default"}')).toBe(0);
    expect(sample(during, 'confd_backend_errors_total{backend="default"}')).toBeGreaterThanOrEqual(1);

    // etcd returns (same data, same port): healthy again.
    await etcd.members[0].process.start();
    await waitForStatus(port, '/health', 200, 45_000);
    expect(sample((await get(port, '/metrics')).body, 'confd_backend_up{backend="default"}')).toBe(1);
    expect((await get(port, '/nope')).status).toBe(404);
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
  });
});

describe('metrics of a plugin backend', () => {
  it('counts the plugin start, its crash and its restart', async () => {
    ws = workspace();
    const dataFile = join(ws.data, 'values.json');
    const callLog = join(ws.root, 'calls.log');
    writeFileSync(join(ws.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\ncallLog = "${callLog}"\n`);
    writeFileSync(dataFile, JSON.stringify({ '/app/name': 'n1' }));
    ws.template('a.tmpl', 'name={{getv "/app/name"}}\n');
    ws.resource('a', `[template]\nsrc = "a.tmpl"\ndest = "${join(ws.out, 'a.conf')}"\nkeys = ["/app/name"]\n`);
    const port = await freePort();
    daemon = startDaemon(['--confdir', ws.confdir, '--backend', COUNTING_PLUGIN, '--metrics-addr', `127.0.0.1:${port}`]);
    await waitForStatus(port, '/ready', 200, 15_000);
    const configures = () => readFileSync(callLog, 'utf8').split('\n').filter((c) => c.startsWith('configure'));
    const pid = Number(/pid=(\d+)/.exec(configures()[0])?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => configures().length === 2, 15_000, 'the plugin restart');
    await waitFor(async () => sample((await get(port, '/metrics')).body, 'confd_plugin_events_total{backend="default",event="restart"}') === 1, 5000, 'the restart to be counted');
    const text = (await get(port, '/metrics')).body;
    expect(sample(text, 'confd_plugin_events_total{backend="default",event="start"}')).toBe(2);
    expect(sample(text, 'confd_plugin_events_total{backend="default",event="crash"}')).toBe(1);
    await waitForStatus(port, '/health', 200, 10_000);
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
  });
});
