/**
 * What the plugin-backed Database holds: a plugin that confd launched, or one it
 * reattached to. Both are reached over the same gRPC services; they differ in how they
 * end (a launched plugin is shut down and killed; a reattached one is only disconnected).
 */
import type { Handshake } from '../protocol/handshake.js';
import { checkHealth, type PluginClients, type PluginInfo } from './connect.js';

export interface PluginHandle {
  readonly name: string;
  /** The executable, or the address (`unix:/run/confd/x.sock`) of a reattached plugin. */
  readonly path: string;
  readonly clients: PluginClients;
  readonly info: PluginInfo | undefined;
  readonly handshake: Handshake | undefined;
  /** True when the connection is mutual TLS (AutoMTLS). */
  readonly mtls: boolean;
  /** The largest message exchanged, for "reply too large" errors. */
  readonly maxMessageBytes: number;
  /** True for a plugin that something else runs (confd never starts or kills it). */
  readonly reattached: boolean;
  /** Resolves once the plugin is gone, with how, worded after its name: `was killed by SIGKILL`. */
  readonly lost: Promise<string>;
  /** Set once lost. */
  readonly lostAs: string | undefined;
  recentStderr(): string[];
  /** Stops it as go-plugin does (Shutdown, up to 2 s, SIGKILL); a reattached plugin is only disconnected. */
  stop(): Promise<void>;
  /** Gives up on it at once (it stopped answering): SIGKILL, or disconnect when reattached. */
  abandon(reason: string): void;
}

/** The health check with a deadline, as the daemon runs it while idle. */
export function pingPlugin(plugin: PluginHandle, timeoutMs: number): Promise<void> {
  return checkHealth(plugin.clients.health, timeoutMs);
}
