/**
 * Starts a plugin process and connects to it, as a go-plugin host does:
 *
 *   spawn (own process group, private 0700 socket dir, cookie and version env)
 *   → read the handshake from the first stdout line (with a start timeout)
 *   → dial grpc over the unix socket (or loopback tcp), unlimited message sizes
 *   → drain GRPCStdio (old plugins: UNIMPLEMENTED is fine), open the broker stream
 *   → health check, and ask the optional Info extension what the plugin is.
 *
 * Every failure names the plugin and its path; the process is killed on any error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Client, ServiceError } from '@grpc/grpc-js';
import type { Logger } from '../../log/logger.js';
import { killProcessGroup } from '../../process/kill-group.js';
import {
  APP_PROTOCOL_VERSIONS, DEFAULT_MAX_PORT, DEFAULT_MIN_PORT, ENV, HEALTH_SERVICE_NAME, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, SHUTDOWN_GRACE_MS, UNLIMITED_MESSAGES,
} from '../protocol/constants.js';
import { HandshakeError, parseHandshake, type Handshake } from '../protocol/handshake.js';
import { loadServices } from '../protocol/services.js';
import { callUnary, describeExit, GrpcStatus, pluginError, type ExitStatus } from './rpc.js';
import { StderrLog } from './stderr-log.js';

export interface LaunchOptions {
  name: string;
  path: string;
  logger: Logger;
  startTimeoutMs: number;
  args?: string[];
}

export interface PluginInfo {
  name: string;
  version: string;
  canWatch: boolean;
}

export class PluginProcess {
  readonly exited: Promise<ExitStatus>;
  exitStatus: ExitStatus | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly child: ChildProcess,
    readonly handshake: Handshake,
    readonly clients: { database: Client; controller: Client; health: Client; info: Client; stdio: Client; broker: Client },
    readonly info: PluginInfo | undefined,
    private readonly socketDir: string,
    private readonly stderr: StderrLog,
    exited: Promise<ExitStatus>,
  ) {
    this.exited = exited.then((status) => (this.exitStatus = status));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last stderr lines, for error messages. */
  recentStderr(): string[] {
    return [...this.stderr.recent];
  }

  /** Shutdown RPC (any error counts as "requested"), wait up to 2 s, then SIGKILL the group. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.exitStatus) {
        await callUnary(this.clients.controller, 'Shutdown', {}, SHUTDOWN_GRACE_MS).catch(() => {});
        const timer = new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref());
        await Promise.race([this.exited, timer]);
      }
      killProcessGroup(this.child.pid);
      for (const client of Object.values(this.clients)) client.close();
      await rm(this.socketDir, { recursive: true, force: true });
    })();
    return this.stopping;
  }
}

export async function launchPlugin(options: LaunchOptions): Promise<PluginProcess> {
  const { name, path, logger } = options;
  const socketDir = await mkdtemp(join(tmpdir(), 'confd-plugin-host-'));
  const child = spawn(path, options.args ?? [], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      [ENV.minPort]: String(DEFAULT_MIN_PORT),
      [ENV.maxPort]: String(DEFAULT_MAX_PORT),
      [ENV.protocolVersions]: APP_PROTOCOL_VERSIONS.join(','),
      [ENV.unixSocketDir]: socketDir,
      TMPDIR: socketDir,
    },
  });
  const stderr = new StderrLog(child.stderr!, logger);
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const failAndKill = async (message: string): Promise<never> => {
    killProcessGroup(child.pid);
    await rm(socketDir, { recursive: true, force: true });
    throw pluginError(name, path, message);
  };

  let handshake: Handshake;
  try {
    handshake = await readHandshake(child, exited, options.startTimeoutMs, stderr);
  } catch (error) {
    return failAndKill((error as Error).message);
  }
  // After the handshake, stdout is never read again; drain it so the plugin cannot block.
  child.stdout!.resume();
  child.stdin!.on('error', () => {});

  try {
    const grpc = await import('@grpc/grpc-js');
    const services = await loadServices();
    const target = handshake.network === 'unix' ? `unix://${handshake.address}` : handshake.address;
    const credentials = grpc.credentials.createInsecure();
    const make = (Ctor: typeof services.Database) => new Ctor(target, credentials, { ...UNLIMITED_MESSAGES, 'grpc.default_authority': 'localhost' });
    const clients = {
      database: make(services.Database),
      controller: make(services.GRPCController),
      health: make(services.Health),
      info: make(services.Info),
      stdio: make(services.GRPCStdio),
      broker: make(services.GRPCBroker),
    };
    drainStdio(clients.stdio, logger);
    openBroker(clients.broker);
    const health = await callUnary<{ status: string }>(clients.health, 'Check', { service: HEALTH_SERVICE_NAME }, 10_000).catch((error: ServiceError) => {
      throw new Error(`health check failed: ${error.details || error.message}`);
    });
    if (health.status !== 'SERVING') throw new Error(`health check says ${health.status}, not SERVING`);
    const info = await callUnary<{ name: string; version: string; can_watch: boolean }>(clients.info, 'GetInfo', {}, 10_000).then(
      (r) => ({ name: r.name, version: r.version, canWatch: r.can_watch }),
      (error: ServiceError) => {
        if (error.code === GrpcStatus.UNIMPLEMENTED) return undefined;
        throw new Error(`info call failed: ${error.details || error.message}`);
      },
    );
    logger.debug(`plugin started`, { path, pid: child.pid, address: handshake.address, protocol: handshake.appVersion });
    const plugin = new PluginProcess(name, path, child, handshake, clients, info, socketDir, stderr, exited);
    void plugin.exited.then((status) => logger.debug(`plugin process ${describeExit(status)}`, { path }));
    return plugin;
  } catch (error) {
    return failAndKill((error as Error).message);
  }
}

async function readHandshake(child: ChildProcess, exited: Promise<ExitStatus>, timeoutMs: number, stderr: StderrLog): Promise<Handshake> {
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  let timer: NodeJS.Timeout | undefined;
  try {
    const first = new Promise<string | undefined>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(undefined));
    });
    const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start: ${e.message}`))));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not print its handshake within ${timeoutMs / 1000}s`)), timeoutMs);
    });
    const early = exited.then(async (status) => {
      // Let stderr's last lines arrive before reporting them.
      await new Promise((r) => setTimeout(r, 50));
      const tail = stderr.recent.slice(-5).join(' | ');
      throw new Error(`${describeExit(status)} before the handshake${tail ? `; stderr: ${tail}` : ''}`);
    });
    // These reject later (or never); keep a rejection that nobody awaits from crashing the host.
    for (const p of [spawnError, timeout, early]) p.catch(() => {});
    const line = await Promise.race([first, spawnError, timeout, early]);
    if (line === undefined) return await Promise.race([early, timeout]);
    try {
      return parseHandshake(line);
    } catch (error) {
      if (error instanceof HandshakeError) throw new Error(error.message);
      throw error;
    }
  } finally {
    clearTimeout(timer);
    lines.removeAllListeners();
    lines.close();
  }
}

/** go-plugin ≥ 1.1 plugins block once ~64 KiB of their stdout is unread: always drain it. */
function drainStdio(client: Client, logger: Logger): void {
  const call = (client as unknown as { StreamStdio(req: object): NodeJS.EventEmitter }).StreamStdio({});
  call.on('data', (chunk: { channel: string; data: Buffer }) => {
    const text = Buffer.from(chunk.data).toString().trimEnd();
    if (text) logger.debug(`plugin ${chunk.channel.toLowerCase()}: ${text}`);
  });
  call.on('error', () => {}); // UNIMPLEMENTED from go-plugin 1.0.x, or the plugin went away.
}

/** go-plugin hosts open the broker stream at connect; we hold it open and send nothing. */
function openBroker(client: Client): void {
  const call = (client as unknown as { StartStream(): NodeJS.EventEmitter & { end(): void } }).StartStream();
  call.on('data', () => {});
  call.on('error', () => {});
}
