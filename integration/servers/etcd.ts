/** Real etcd servers (Debian `etcd-server`) on loopback: a single member, or a 3-member cluster. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { requireTool } from '../helpers/require-tool.js';
import { freePort, removeDir, ServerProcess, tempDir } from './server-process.js';

export const ETCD_BIN = '/usr/bin/etcd';
export const haveEtcd = () => requireTool(existsSync(ETCD_BIN), 'etcd', 'apt-get install -y etcd-server');
export const ETCDCTL_BIN = '/usr/bin/etcdctl';
export const haveEtcdctl = () => requireTool(existsSync(ETCDCTL_BIN), 'etcdctl', 'apt-get install -y etcd-client');

export interface EtcdMember {
  name: string;
  clientUrl: string;
  process: ServerProcess;
}

async function healthy(clientUrl: string): Promise<boolean> {
  if (clientUrl.startsWith('https:')) return tlsListening(clientUrl);
  const response = await fetch(`${clientUrl}/health`).catch(() => undefined);
  if (!response?.ok) return false;
  return ((await response.json()) as { health?: string }).health === 'true';
}

/** With client-cert auth, /health needs a client certificate: a TCP connect is the check. */
function tlsListening(clientUrl: string): Promise<boolean> {
  const { port } = new URL(clientUrl);
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

export interface EtcdTls {
  ca: string;
  serverCert: string;
  serverKey: string;
}

export class EtcdCluster {
  private constructor(readonly members: EtcdMember[], private readonly dirs: string[]) {}

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  /**
   * `tls` serves clients over https and requires a client certificate signed by `tls.ca`.
   * `extraArgs` come last, so they override the defaults (e.g. `--log-level`).
   */
  static async start(size = 1, tls?: EtcdTls, extraArgs: string[] = []): Promise<EtcdCluster> {
    const ports = await Promise.all(Array.from({ length: size * 2 }, () => freePort()));
    const names = Array.from({ length: size }, (_, i) => `m${i}`);
    const peerUrl = (i: number) => `http://127.0.0.1:${ports[2 * i + 1]}`;
    const initialCluster = names.map((n, i) => `${n}=${peerUrl(i)}`).join(',');
    const dirs: string[] = [];
    const members = names.map((name, i) => {
      const dir = tempDir(`etcd-${name}`);
      dirs.push(dir);
      const clientUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${ports[2 * i]}`;
      const tlsArgs = tls ? ['--cert-file', tls.serverCert, '--key-file', tls.serverKey, '--trusted-ca-file', tls.ca, '--client-cert-auth'] : [];
      const process = new ServerProcess({
        name: `etcd ${name}`,
        command: ETCD_BIN,
        args: [
          '--name', name, '--data-dir', join(dir, 'data'),
          '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl,
          '--listen-peer-urls', peerUrl(i), '--initial-advertise-peer-urls', peerUrl(i),
          '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', `confd-test-${ports[0]}`,
          '--log-level', 'error',
          ...tlsArgs,
          ...extraArgs,
        ],
        ready: () => healthy(clientUrl),
        readyTimeoutMs: 60_000,
      });
      return { name, clientUrl, process };
    });
    // Members of a new cluster wait for each other: start them together.
    await Promise.all(members.map((m) => m.process.start()));
    return new EtcdCluster(members, dirs);
  }

  /** Runs `etcdctl` against the cluster (v3 API); `user` is `name:password`. */
  etcdctl(args: string[], user?: string): string {
    const auth = user ? ['--user', user] : [];
    return execFileSync(ETCDCTL_BIN, ['--endpoints', this.endpoints.join(','), ...auth, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8' });
  }

  /**
   * Turns on authentication with etcdctl, as an operator would: a root user, then each
   * user with a role that may read `readPrefix`.
   */
  enableAuth(rootPassword: string, users: Array<{ name: string; password: string; readPrefix: string }>): void {
    this.etcdctl(['user', 'add', `root:${rootPassword}`]);
    for (const user of users) {
      this.etcdctl(['user', 'add', `${user.name}:${user.password}`]);
      this.etcdctl(['role', 'add', `${user.name}-reader`]);
      this.etcdctl(['role', 'grant-permission', `${user.name}-reader`, '--prefix=true', 'read', user.readPrefix]);
      this.etcdctl(['user', 'grant-role', user.name, `${user.name}-reader`]);
    }
    this.etcdctl(['auth', 'enable']);
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.process.stop()));
    for (const dir of this.dirs) removeDir(dir);
  }
}
