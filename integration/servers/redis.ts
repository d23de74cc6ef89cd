/** A real redis-server (Debian `redis-server`) on loopback, with or without keyspace notifications. */
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { requireTool } from '../helpers/require-tool.js';
import { freePort, removeDir, ServerProcess, tempDir } from './server-process.js';

export const REDIS_BIN = '/usr/bin/redis-server';
export const haveRedis = () => requireTool(existsSync(REDIS_BIN), 'redis-server', 'apt-get install -y redis-server');

/** Any RESP reply to PING means the server is up (+PONG, or -NOAUTH with a password set). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      resolve(/^[+-]/.test(d.toString()));
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

  static async start(options: { notifications: boolean }): Promise<RedisServer> {
    const port = await freePort();
    const dir = tempDir('redis');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    args.push('--notify-keyspace-events', options.notifications ? 'KEA' : '');
    const process = new ServerProcess({ name: 'redis', command: REDIS_BIN, args, ready: () => answers(port) });
    await process.start();
    return new RedisServer(port, process, dir);
  }

  async stop(): Promise<void> {
    await this.process.stop();
    removeDir(this.dir);
  }
}
