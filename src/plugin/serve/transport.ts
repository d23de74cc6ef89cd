/**
 * Where and how the SDK listens:
 *
 * - launched by a host (the normal case): a 0600 unix socket in a private 0700
 *   directory inside PLUGIN_UNIX_SOCKET_DIR; with mutual TLS when the host asked for
 *   AutoMTLS (PLUGIN_CLIENT_CERT): we trust exactly the host's certificate, require it
 *   from every client, and answer with our own in the handshake.
 * - `--listen unix:/path` or `--listen tcp:127.0.0.1:PORT`: a fixed address for a
 *   supervisor-run plugin that confd reattaches to. No handshake, so no certificates:
 *   plaintext, and the unix socket is 0600 (only its owner, and root, can connect).
 */
import { X509Certificate } from 'node:crypto';
import { chmod, lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerCredentials } from '@grpc/grpc-js';
import { parseReattachAddress } from '../../config/plugin-settings.js';
import { encodeCertField, generateCertificate } from '../protocol/certificate.js';
import { ENV } from '../protocol/constants.js';

export interface Listener {
  network: 'unix' | 'tcp';
  /** The socket path, or host:port. */
  address: string;
  /** What grpc-js binds. */
  bindTarget: string;
  credentials: ServerCredentials;
  /** The handshake's CERT field ('' without AutoMTLS). */
  certField: string;
  /** Called once bound (chmod the socket). */
  bound(): Promise<void>;
  cleanup(): Promise<void>;
}

/** `--listen <address>` or `--listen=<address>` from argv. */
export function listenArgument(argv: readonly string[] = process.argv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--listen') return argv[i + 1] ?? '';
    if (argv[i].startsWith('--listen=')) return argv[i].slice('--listen='.length);
  }
  return undefined;
}

async function serverCredentials(clientCertPem: string | undefined): Promise<{ credentials: ServerCredentials; certField: string }> {
  const grpc = await import('@grpc/grpc-js');
  if (!clientCertPem) return { credentials: grpc.ServerCredentials.createInsecure(), certField: '' };
  try {
    new X509Certificate(clientCertPem);
  } catch (error) {
    throw new Error(`${ENV.clientCert} is not a PEM certificate: ${(error as Error).message}`);
  }
  const own = generateCertificate();
  return {
    credentials: grpc.ServerCredentials.createSsl(Buffer.from(clientCertPem), [{ private_key: Buffer.from(own.keyPem), cert_chain: Buffer.from(own.certPem) }], true),
    certField: encodeCertField(own.der),
  };
}

/** For a plugin a host launched: a private socket, AutoMTLS when asked. */
export async function hostListener(env: NodeJS.ProcessEnv): Promise<Listener> {
  const { credentials, certField } = await serverCredentials(env[ENV.clientCert] || undefined);
  // A private directory, even inside the host's private one: only we use the socket.
  const dir = await mkdtemp(join(env[ENV.unixSocketDir] || tmpdir(), 'confd-plugin-'));
  await chmod(dir, 0o700);
  const socket = join(dir, 'plugin.sock');
  return {
    network: 'unix',
    address: socket,
    bindTarget: `unix://${socket}`,
    credentials,
    certField,
    bound: () => chmod(socket, 0o600),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** For `--listen`: a fixed address a supervisor chose. A stale socket file there is replaced; anything else is refused. */
export async function fixedListener(address: string): Promise<Listener> {
  const parsed = parseReattachAddress(address);
  if (!parsed) throw new Error(`--listen: expected unix:/absolute/path or tcp:127.0.0.1:PORT (loopback only), got ${JSON.stringify(address)}`);
  const grpc = await import('@grpc/grpc-js');
  const credentials = grpc.ServerCredentials.createInsecure();
  if (parsed.network === 'tcp') {
    return { ...parsed, bindTarget: parsed.address, credentials, certField: '', bound: async () => {}, cleanup: async () => {} };
  }
  const socket = parsed.address;
  const existing = await lstat(socket).catch(() => undefined);
  if (existing && !existing.isSocket()) throw new Error(`--listen: ${socket} exists and is not a socket; refusing to replace it`);
  if (existing) await rm(socket);
  return {
    ...parsed,
    bindTarget: `unix://${socket}`,
    credentials,
    certField: '',
    bound: () => chmod(socket, 0o600),
    cleanup: () => rm(socket, { force: true }),
  };
}
