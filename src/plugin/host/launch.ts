/**
 * Starts a plugin process and connects to it, as a go-plugin host does:
 *
 *   verify the pinned checksum (if any) → private socket dir → spawn (own process group,
 *   its own account if configured, only stdio inherited, cookie/version/AutoMTLS env)
 *   → read the handshake from the first stdout line (start timeout; at most 64 KiB)
 *   → dial (connect.ts) with mutual TLS when the plugin answered with its certificate.
 *
 * Every failure names the plugin and its path; the process is killed on any error, and
 * when `signal` aborts (SIGTERM during start-up).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { PluginSettings } from '../../config/plugin-settings.js';
import type { Logger } from '../../log/logger.js';
import { killProcessGroup } from '../../process/kill-group.js';
import { generateCertificate, type Certificate } from '../protocol/certificate.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../protocol/constants.js';
import { HandshakeError, parseHandshake, type Handshake } from '../protocol/handshake.js';
import { resolveAccount, type Account } from './account.js';
import { BoundedLineReader } from './bounded-lines.js';
import { verifyChecksum } from './checksum.js';
import { childEnv } from './child-env.js';
import { pluginStdio } from './inherited-fds.js';
import { dialPlugin } from './connect.js';
import { PluginProcess } from './plugin-process.js';
import { describeExit, pluginError, type ExitStatus } from './rpc.js';
import { createSocketDir, sweepStaleSocketDirs, type SocketDir } from './socket-dir.js';
import { StderrLog } from './stderr-log.js';

export interface LaunchOptions {
  name: string;
  path: string;
  logger: Logger;
  startTimeoutMs: number;
  args?: string[];
  /** Offer AutoMTLS (default true); a plugin that does not answer with a certificate is reached in plaintext… */
  autoMtls?: boolean;
  /** … unless this is set: then it is refused. */
  requireMtls?: boolean;
  /** Default 256 MiB. */
  maxMessageBytes?: number;
  /** Checksum, account and environment (`[plugins.<name>]`). */
  trust?: PluginSettings;
  /** Aborting kills a plugin that is still starting. */
  signal?: AbortSignal;
}

/** The handshake line is short (a certificate is ~600 characters); more is garbage or hostile. */
export const MAX_HANDSHAKE_LINE = 64 * 1024;
const START_CALL_TIMEOUT_MS = 10_000;

interface Prepared {
  account: Account | undefined;
  socketDir: SocketDir;
  /** Our AutoMTLS certificate; undefined when AutoMTLS is off. */
  own: Certificate | undefined;
}

/** Everything that happens before the plugin runs: checksum, account, socket directory, certificate. */
async function prepare(options: LaunchOptions, fail: (message: string) => Error): Promise<Prepared> {
  const { trust = {} } = options;
  if (trust.sha256) await verifyChecksum(options.path, trust.sha256).catch((error: Error) => Promise.reject(fail(error.message)));
  let account: Account | undefined;
  if (trust.user || trust.group) {
    account = await resolveAccount(trust.user ?? String(process.getuid?.() ?? 0), trust.group).catch((error: Error) => Promise.reject(fail(error.message)));
  }
  await sweepStaleSocketDirs(options.logger);
  const socketDir = await createSocketDir(account);
  if (options.signal?.aborted) {
    await socketDir.remove();
    throw fail('start-up interrupted');
  }
  return { account, socketDir, own: options.autoMtls === false ? undefined : generateCertificate() };
}

/** Spawns the plugin in its own process group, with only stdio (inherited-fds.ts), its account and environment. */
function spawnPlugin(options: LaunchOptions, { account, socketDir, own }: Prepared): ChildProcess {
  const { stdio, release } = pluginStdio();
  try {
    return spawn(options.path, options.args ?? [], {
      detached: true,
      stdio,
      env: childEnv({ hostEnv: process.env, allowlist: options.trust?.envAllowlist, socketDir: socketDir.pluginDir, clientCertPem: own?.certPem }),
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
    });
  } finally {
    release();
  }
}

export async function launchPlugin(options: LaunchOptions): Promise<PluginProcess> {
  const { name, path, logger } = options;
  const fail = (message: string) => pluginError(name, path, message);
  const prepared = await prepare(options, fail);
  const { account, socketDir, own } = prepared;
  let child: ChildProcess;
  try {
    child = spawnPlugin(options, prepared);
  } catch (error) {
    await socketDir.remove();
    throw fail(`cannot start: ${(error as Error).message}`);
  }
  child.stdin!.on('error', () => {});
  const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let killedBecause: string | undefined;
  const killFor = (reason: string) => {
    killedBecause ??= reason;
    killProcessGroup(child.pid);
  };
  const stderr = new StderrLog(child.stderr!, logger, killFor);
  const onAbort = () => killFor('start-up interrupted');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const failAndKill = async (message: string): Promise<never> => {
    killFor(message);
    await socketDir.remove();
    throw fail(killedBecause ?? message);
  };
  try {
    const handshake = await readHandshake(child, exited, options.startTimeoutMs, stderr, { autoMtls: own !== undefined, killedBecause: () => killedBecause });
    if (options.requireMtls && !handshake.serverCert) {
      throw new Error('did not answer AutoMTLS with a certificate, and plugin_require_mtls is set');
    }
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const dialed = await dialPlugin({
      network: handshake.network,
      address: handshake.address,
      tls: handshake.serverCert && own ? { pluginCertPem: handshake.serverCert, own } : undefined,
      maxMessageBytes,
      callTimeoutMs: START_CALL_TIMEOUT_MS,
      logger,
    });
    if (killedBecause) {
      dialed.close();
      throw new Error(killedBecause);
    }
    logger.debug(`plugin started`, { path, pid: child.pid, address: handshake.address, protocol: handshake.appVersion, mtls: Boolean(handshake.serverCert), user: account?.label });
    const plugin = new PluginProcess({ name, path, child, handshake, dialed, maxMessageBytes, socketDir, stderr, exited, killFor, killedBecause: () => killedBecause });
    void plugin.lost.then((how) => logger.debug(`plugin process ${how}`, { path }));
    return plugin;
  } catch (error) {
    return failAndKill((error as Error).message);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

interface HandshakeContext {
  autoMtls: boolean;
  killedBecause(): string | undefined;
}

function readHandshake(child: ChildProcess, exited: Promise<ExitStatus>, timeoutMs: number, stderr: StderrLog, context: HandshakeContext): Promise<Handshake> {
  return new Promise<Handshake>((resolve, reject) => {
    let reader: BoundedLineReader | undefined;
    const timer = setTimeout(() => settle(new Error(`did not print its handshake within ${timeoutMs / 1000}s`)), timeoutMs);
    const settle = (outcome: Error | string) => {
      if (!reader) return;
      reader.stop(); // From now on stdout is drained and discarded, so the plugin never blocks on it.
      reader = undefined;
      clearTimeout(timer);
      if (typeof outcome !== 'string') return reject(outcome);
      try {
        resolve(parseHandshake(outcome, { autoMtls: context.autoMtls }));
      } catch (error) {
        reject(error instanceof HandshakeError ? new Error(error.message) : error);
      }
    };
    reader = new BoundedLineReader(child.stdout!, MAX_HANDSHAKE_LINE, {
      line: (line) => settle(line),
      overflow: () => settle(new Error(`printed more than ${MAX_HANDSHAKE_LINE / 1024} KiB on stdout without a handshake line`)),
    });
    child.once('error', (e) => settle(new Error(`cannot start: ${e.message}`)));
    void exited.then(async (status) => {
      // Let stderr's last lines arrive before reporting them.
      await new Promise((r) => setTimeout(r, 50));
      const tail = stderr.recent.slice(-5).join(' | ');
      settle(new Error(context.killedBecause() ?? `${describeExit(status)} before the handshake${tail ? `; stderr: ${tail}` : ''}`));
    });
  });
}

