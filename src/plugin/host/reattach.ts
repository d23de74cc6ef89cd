/**
 * Reattach (`[plugins.<name>] reattach = "unix:/run/confd/x.sock"`): connect to a plugin
 * that a supervisor already runs, with the same services and health check, and no
 * handshake (as go-plugin's ReattachConfig). confd never starts, stops or kills it, and
 * reaches it in plaintext (there is no handshake to exchange certificates): use a unix
 * socket only confd can open, or loopback TCP on a trusted host.
 *
 * It counts as lost as soon as its connection leaves READY (the process went away or
 * was restarted, and a restarted plugin must be configured again); the daemon then
 * reconnects with backoff and re-fetches.
 */
import type { Logger } from '../../log/logger.js';
import { parseReattachAddress } from '../../config/plugin-settings.js';
import { dialPlugin, type Dialed, type PluginClients, type PluginInfo } from './connect.js';
import type { PluginHandle } from './plugin-handle.js';
import { pluginError } from './rpc.js';

export interface ReattachOptions {
  name: string;
  /** `unix:/path` or `tcp:127.0.0.1:PORT`. */
  address: string;
  logger: Logger;
  maxMessageBytes: number;
  callTimeoutMs: number;
}

const READY = 2; // grpc-js ConnectivityState.READY

export class ReattachedPlugin implements PluginHandle {
  readonly handshake = undefined;
  readonly mtls = false;
  readonly reattached = true;
  readonly clients: PluginClients;
  readonly info: PluginInfo | undefined;
  readonly lost: Promise<string>;
  lostAs: string | undefined;
  private markLost!: (how: string) => void;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly maxMessageBytes: number,
    private readonly dialed: Dialed,
  ) {
    this.clients = dialed.clients;
    this.info = dialed.info;
    this.lost = new Promise((resolve) => {
      this.markLost = (how) => {
        if (this.lostAs) return;
        this.lostAs = how;
        resolve(how);
      };
    });
    this.watchConnection();
  }

  recentStderr(): string[] {
    return []; // Its stderr belongs to its supervisor.
  }

  abandon(reason: string): void {
    this.markLost(`stopped answering (${reason}); confd disconnected`);
    this.dialed.close();
  }

  async stop(): Promise<void> {
    this.markLost('was disconnected by confd');
    this.dialed.close();
  }

  private watchConnection(): void {
    const channel = this.dialed.channel;
    const watch = (state: number) => {
      try {
        channel.watchConnectivityState(state, Infinity, () => {
          const next = channel.getConnectivityState(false);
          if (state === READY && next !== READY) this.markLost('closed its connection');
          else watch(next);
        });
      } catch {
        this.markLost('was disconnected by confd'); // the channel was closed
      }
    };
    watch(channel.getConnectivityState(false));
  }
}

export async function reattachPlugin(options: ReattachOptions): Promise<ReattachedPlugin> {
  const { name, address } = options;
  const parsed = parseReattachAddress(address);
  if (!parsed) throw pluginError(name, address, 'reattach address must be unix:/absolute/path or tcp:127.0.0.1:PORT');
  try {
    const dialed = await dialPlugin({ ...parsed, maxMessageBytes: options.maxMessageBytes, callTimeoutMs: options.callTimeoutMs, logger: options.logger });
    options.logger.debug('reattached to plugin', { address });
    return new ReattachedPlugin(name, address, options.maxMessageBytes, dialed);
  } catch (error) {
    throw pluginError(name, address, `cannot reattach: ${(error as Error).message}`);
  }
}
