/** A plugin process confd launched: its connection, its exit, and how it is stopped. */
import type { ChildProcess } from 'node:child_process';
import { killProcessGroup } from '../../process/kill-group.js';
import { SHUTDOWN_GRACE_MS } from '../protocol/constants.js';
import type { Handshake } from '../protocol/handshake.js';
import type { Dialed, PluginClients, PluginInfo } from './connect.js';
import type { PluginHandle } from './plugin-handle.js';
import { callUnary, describeExit, type ExitStatus } from './rpc.js';
import type { SocketDir } from './socket-dir.js';
import type { StderrLog } from './stderr-log.js';

export interface PluginProcessParts {
  name: string;
  path: string;
  child: ChildProcess;
  handshake: Handshake;
  dialed: Dialed;
  maxMessageBytes: number;
  socketDir: SocketDir;
  stderr: StderrLog;
  exited: Promise<ExitStatus>;
  /** SIGKILLs the process group, remembering the first reason. */
  killFor(reason: string): void;
  killedBecause(): string | undefined;
}

export class PluginProcess implements PluginHandle {
  readonly name: string;
  readonly path: string;
  readonly handshake: Handshake;
  readonly clients: PluginClients;
  readonly info: PluginInfo | undefined;
  readonly maxMessageBytes: number;
  readonly reattached = false;
  readonly exited: Promise<ExitStatus>;
  readonly lost: Promise<string>;
  exitStatus: ExitStatus | undefined;
  lostAs: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly parts: PluginProcessParts) {
    this.name = parts.name;
    this.path = parts.path;
    this.handshake = parts.handshake;
    this.clients = parts.dialed.clients;
    this.info = parts.dialed.info;
    this.maxMessageBytes = parts.maxMessageBytes;
    this.exited = parts.exited.then((status) => (this.exitStatus = status));
    this.lost = this.exited.then((status) => {
      const reason = parts.killedBecause();
      this.lostAs = reason ? `was killed by confd (${reason})` : describeExit(status);
      return this.lostAs;
    });
  }

  get pid(): number | undefined {
    return this.parts.child.pid;
  }

  get mtls(): boolean {
    return this.handshake.serverCert !== '';
  }

  recentStderr(): string[] {
    return [...this.parts.stderr.recent];
  }

  abandon(reason: string): void {
    this.parts.killFor(reason);
    void this.stop();
  }

  /** Shutdown RPC (any error counts as "requested"), wait up to 2 s, then SIGKILL the group. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.exitStatus && !this.parts.killedBecause()) {
        await callUnary(this.clients.controller, 'Shutdown', {}, SHUTDOWN_GRACE_MS).catch(() => {});
        const timer = new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref());
        await Promise.race([this.exited, timer]);
      }
      killProcessGroup(this.parts.child.pid);
      this.parts.dialed.close();
      await this.parts.socketDir.remove();
    })();
    return this.stopping;
  }
}
