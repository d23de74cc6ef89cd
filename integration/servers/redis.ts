/** A real redis-server (Debian `redis-server`) on loopback, with or without keyspace notifications. */
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { requireTool } from '../helpers/require-tool.js';
import { freePort, removeDir, ServerProcess, tempDir } from './server-process.js';

export const REDIS_BIN = '/usr/bin/redis-server';
export const haveRedis = () => requireTool(existsSync(REDIS_BIN), 'redis-server', 'apt-get install -y redis-server');

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export class RedisServer {
  private constructor(readonly port: number, readonly process: ServerProcess, private readonly dir: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(options: { notifications: boolean; password?: string }): Promise<RedisServer> {
    const port = await freePort();
    const dir = tempDir('redis');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    args.push('--notify-keyspace-events', options.notifications ? 'KEA' : '');
    if (options.password) args.push('--requirepass', options.password);
    const process = new ServerProcess({ name: 'redis', command: REDIS_BIN, args, ready: () => (options.password ? Promise.resolve(true).then(() => pingAuth(port)) : ping(port)) });
    await process.start();
    return new RedisServer(port, process, dir);
  }

  async stop(): Promise<void> {
    await this.process.stop();
    removeDir(this.dir);
  }
}

async function pingAuth(port: number): Promise<boolean> {
  // With requirepass, PING answers NOAUTH: any RESP reply means the server is up.
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', () => (resolve(true), socket.destroy()));
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
  });
}
