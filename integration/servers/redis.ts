/**
 * A real redis-server (Debian `redis-server`) on loopback, with or without keyspace
 * notifications; optionally TLS-only (openssl test CA, client certificates required)
 * and with ACL users.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { requireTool } from '../helpers/require-tool.js';
import { freePort, removeDir, ServerProcess, tempDir } from './server-process.js';
import type { TestCertificates } from './tls.js';

export const REDIS_BIN = '/usr/bin/redis-server';
export const haveRedis = () => requireTool(existsSync(REDIS_BIN), 'redis-server', 'apt-get install -y redis-server');

/** Any RESP reply to PING means the server is up (+PONG, or -NOAUTH with a password set). */
function answers(port: number, tls?: TestCertificates): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(tls.ca), cert: readFileSync(tls.clientCert), key: readFileSync(tls.clientKey) })
      : createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.on(tls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      resolve(/^[+-]/.test(d.toString()));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export interface RedisAclUser {
  name: string;
  password: string;
  /** ACL rules, e.g. `['~*', '&*', '+@read']`. */
  rules: string[];
}

export interface RedisServerOptions {
  notifications: boolean;
  /** Serve TLS only (no plain port), requiring client certificates signed by the CA. */
  tls?: TestCertificates;
  /** ACL users; the default user is switched off when any are given. */
  users?: RedisAclUser[];
}

export class RedisServer {
  private constructor(readonly port: number, readonly process: ServerProcess, private readonly dir: string, readonly tls: boolean) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(options: RedisServerOptions): Promise<RedisServer> {
    const port = await freePort();
    const dir = tempDir('redis');
    const listen = options.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.serverCert, '--tls-key-file', options.tls.serverKey, '--tls-ca-cert-file', options.tls.ca, '--tls-auth-clients', 'yes']
      : ['--port', String(port)];
    const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    args.push('--notify-keyspace-events', options.notifications ? 'KEA' : '');
    if (options.users?.length) {
      args.push('--user', 'default', 'off');
      for (const user of options.users) args.push('--user', user.name, 'on', `>${user.password}`, ...user.rules);
    }
    const process = new ServerProcess({ name: 'redis', command: REDIS_BIN, args, ready: () => answers(port, options.tls) });
    await process.start();
    return new RedisServer(port, process, dir, Boolean(options.tls));
  }

  async stop(): Promise<void> {
    await this.process.stop();
    removeDir(this.dir);
  }
}
