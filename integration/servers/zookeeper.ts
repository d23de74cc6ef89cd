/**
 * A real ZooKeeper (Debian `zookeeper`, needs a JRE) on loopback: QuorumPeerMain with a
 * generated zoo.cfg (dataDir, clientPort, admin server off).
 */
import { existsSync, writeFileSync } from 'node:fs';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { requireTool } from '../helpers/require-tool.js';
import { freePort, removeDir, ServerProcess, tempDir } from './server-process.js';

export const haveZookeeper = () =>
  requireTool(existsSync('/usr/bin/java') && (existsSync('/usr/share/java/zookeeper.jar') || existsSync('/usr/share/java/zookeeper-3.8.0.jar')), 'zookeeper (and a JRE)', 'apt-get install -y zookeeper');

/** ZooKeeper's four-letter `ruok` is disabled by default in 3.8; a connect + session is the real check. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

export class ZookeeperServer {
  private constructor(readonly port: number, readonly process: ServerProcess, private readonly dir: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /**
   * `maxSessionTimeoutMs` caps what clients may ask for (sessions expire sooner);
   * `fourLetterWords` enables admin commands such as `dump` (off by default in 3.8).
   */
  static async start(options: { maxSessionTimeoutMs?: number; fourLetterWords?: string[] } = {}): Promise<ZookeeperServer> {
    const port = await freePort();
    const dir = tempDir('zookeeper');
    const cfg = join(dir, 'zoo.cfg');
    writeFileSync(cfg, [`dataDir=${join(dir, 'data')}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1', 'tickTime=500', 'admin.enableServer=false', `maxSessionTimeout=${options.maxSessionTimeoutMs ?? 10_000}`,
      ...(options.fourLetterWords ? [`4lw.commands.whitelist=${options.fourLetterWords.join(',')}`] : []), ''].join('\n'));
    const process = new ServerProcess({
      name: 'zookeeper',
      command: '/usr/bin/java',
      args: ['-Xmx256m', '-cp', '/usr/share/java/*:/etc/zookeeper/conf', `-Dzookeeper.log.dir=${dir}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
      // An open port is not enough: ZooKeeper accepts connections before it serves sessions.
      ready: async () => {
        if (!(await listening(port))) return false;
        const client = await sessionWithin(`127.0.0.1:${port}`, 10_000);
        client?.close();
        return client !== undefined;
      },
      readyTimeoutMs: 110_000,
    });
    await process.start();
    return new ZookeeperServer(port, process, dir);
  }

  /** Sends a four-letter admin command (enabled with `fourLetterWords`) and returns the answer. */
  fourLetterWord(word: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port });
      let answer = '';
      socket.on('connect', () => socket.write(word));
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  /** The sessions the server holds (its session tracker, from `dump`), as `0x…` without leading zeros. */
  async sessionIds(): Promise<string[]> {
    const tracker = (await this.fourLetterWord('dump')).split('ephemeral nodes dump')[0];
    return [...new Set((tracker.match(/0x[0-9a-f]+/g) ?? []).map((id) => `0x${BigInt(id).toString(16)}`))];
  }

  async stop(): Promise<void> {
    await this.process.stop();
    removeDir(this.dir);
  }
}

/**
 * A connected client, for tests that write data; fails (rather than hangs) when no session
 * comes. Each attempt uses a fresh client: on a loaded machine the JVM may accept the
 * connection before it serves sessions, and a client whose first handshake timed out can
 * stay stuck, while a new one gets a session as soon as the server answers.
 */
export async function connectZookeeper(address: string, timeoutMs = 90_000): Promise<Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    const client = await sessionWithin(address, Math.min(15_000, Math.max(remaining, 1)));
    if (client) return client;
    if (Date.now() >= deadline) throw new Error(`no ZooKeeper session with ${address} within ${timeoutMs} ms`);
  }
}

/** One attempt: a connected client, or undefined (the client closed) after `ms`. */
function sessionWithin(address: string, ms: number): Promise<Client | undefined> {
  const client = zookeeper.createClient(address);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.close();
      resolve(undefined);
    }, ms);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

/** Sets a node's data, creating it and its parents (with empty data) as needed. */
export function putZookeeper(client: Client, path: string, value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.mkdirp(path, (error) => {
      if (error) return reject(error);
      client.setData(path, Buffer.from(value), (e) => (e ? reject(e) : resolve()));
    });
  });
}
