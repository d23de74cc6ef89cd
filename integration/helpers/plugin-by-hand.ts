/**
 * Starts a plugin the way a host would (cookie, versions, socket dir, optionally
 * PLUGIN_CLIENT_CERT) and returns its handshake, so a test can dial it with whatever
 * credentials it likes — to prove what the plugin refuses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ServiceError } from '@grpc/grpc-js';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/plugin/protocol/constants.js';
import type { Certificate } from '../../src/plugin/protocol/certificate.js';
import { loadServices } from '../../src/plugin/protocol/services.js';

export interface HandStartedPlugin {
  child: ChildProcess;
  /** The fields of its handshake line. */
  fields: string[];
  stop(): void;
}

export async function startPluginByHand(command: string[], env: Record<string, string> = {}): Promise<HandStartedPlugin> {
  const dir = mkdtempSync(join(tmpdir(), 'confd-byhand-'));
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '1', PLUGIN_UNIX_SOCKET_DIR: dir, TMPDIR: dir, ...env },
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true,
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`plugin exited with ${code} before its handshake`)));
  });
  child.stdout!.resume();
  return {
    child,
    fields: line.trim().split('|'),
    stop() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Health.Check over the plugin's socket with the given credentials: SERVING, or the gRPC error. */
export async function healthCheck(socket: string, tls: { trust: string; own?: Certificate } | undefined): Promise<string> {
  const grpc = await import('@grpc/grpc-js');
  const { Health } = await loadServices();
  const credentials = tls
    ? tls.own
      ? grpc.credentials.createSsl(Buffer.from(tls.trust), Buffer.from(tls.own.keyPem), Buffer.from(tls.own.certPem))
      : grpc.credentials.createSsl(Buffer.from(tls.trust))
    : grpc.credentials.createInsecure();
  const client = new Health(`unix://${socket}`, credentials, { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' });
  try {
    return await new Promise<string>((resolve) => {
      (client as unknown as { Check(r: object, o: object, cb: (e: ServiceError | null, r: { status: string }) => void): void }).Check(
        { service: 'plugin' },
        { deadline: Date.now() + 5000 },
        (error, response) => resolve(error ? `error ${error.code}: ${error.details}` : response.status),
      );
    });
  } finally {
    client.close();
  }
}
