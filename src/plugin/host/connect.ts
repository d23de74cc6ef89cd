/**
 * Dials a plugin that is listening, as a go-plugin host does: one gRPC channel (mutual
 * TLS when the plugin answered AutoMTLS with its certificate, else plaintext over its
 * private socket), StreamStdio drained (go-plugin ≥ 1.1 plugins block once ~64 KiB of
 * their stdout is unread; UNIMPLEMENTED from 1.0.x is fine), the broker stream held
 * open, a health check, and the optional Info extension. Shared by launched and
 * reattached plugins.
 */
import type { Channel, Client, ServiceError } from '@grpc/grpc-js';
import type { Logger } from '../../log/logger.js';
import type { Certificate } from '../protocol/certificate.js';
import { HEALTH_SERVICE_NAME } from '../protocol/constants.js';
import { loadServices } from '../protocol/services.js';
import { callUnary, GrpcStatus } from './rpc.js';

export interface PluginClients {
  database: Client;
  controller: Client;
  health: Client;
  info: Client;
  stdio: Client;
  broker: Client;
}

export interface PluginInfo {
  name: string;
  version: string;
  canWatch: boolean;
}

export interface DialOptions {
  network: 'unix' | 'tcp';
  address: string;
  /** Mutual TLS: trust exactly the plugin's certificate, present ours. */
  tls?: { pluginCertPem: string; own: Certificate };
  maxMessageBytes: number;
  /** Deadline of the start-up health check and Info call. */
  callTimeoutMs: number;
  logger: Logger;
}

export interface Dialed {
  channel: Channel;
  clients: PluginClients;
  info: PluginInfo | undefined;
  /** Cancels the stdio and broker streams and closes the channel (a channel with open calls stays connected). */
  close(): void;
}

/** Health.Check for service "plugin" with a deadline; rejects unless the answer is SERVING. */
export async function checkHealth(health: Client, timeoutMs: number): Promise<void> {
  const response = await callUnary<{ status: string }>(health, 'Check', { service: HEALTH_SERVICE_NAME }, timeoutMs).catch((error: ServiceError) => {
    throw new Error(error.code === GrpcStatus.DEADLINE_EXCEEDED ? `health check did not answer within ${timeoutMs / 1000}s` : `health check failed: ${error.details || error.message}`);
  });
  if (response.status !== 'SERVING') throw new Error(`health check says ${response.status}, not SERVING`);
}

export async function dialPlugin(options: DialOptions): Promise<Dialed> {
  const grpc = await import('@grpc/grpc-js');
  const services = await loadServices();
  const target = options.network === 'unix' ? `unix://${options.address}` : options.address;
  const credentials = options.tls
    ? grpc.credentials.createSsl(Buffer.from(options.tls.pluginCertPem), Buffer.from(options.tls.own.keyPem), Buffer.from(options.tls.own.certPem))
    : grpc.credentials.createInsecure();
  const channel = new grpc.Channel(target, credentials, {
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
    // The certificates name localhost only (no IP SAN), whatever address we dial.
    'grpc.ssl_target_name_override': 'localhost',
    'grpc.default_authority': 'localhost',
  });
  const make = (Ctor: typeof services.Database) => new Ctor(target, credentials, { channelOverride: channel });
  const clients: PluginClients = {
    database: make(services.Database),
    controller: make(services.GRPCController),
    health: make(services.Health),
    info: make(services.Info),
    stdio: make(services.GRPCStdio),
    broker: make(services.GRPCBroker),
  };
  const streams = [drainStdio(clients.stdio, options.logger), openBroker(clients.broker)];
  const close = () => {
    for (const stream of streams) stream.cancel();
    channel.close();
  };
  try {
    await checkHealth(clients.health, options.callTimeoutMs);
    const info = await callUnary<{ name: string; version: string; can_watch: boolean }>(clients.info, 'GetInfo', {}, options.callTimeoutMs).then(
      (r) => ({ name: r.name, version: r.version, canWatch: r.can_watch }),
      (error: ServiceError) => {
        if (error.code === GrpcStatus.UNIMPLEMENTED) return undefined;
        throw new Error(`info call failed: ${error.details || error.message}`);
      },
    );
    return { channel, clients, info, close };
  } catch (error) {
    close();
    throw error;
  }
}

type Stream = NodeJS.EventEmitter & { cancel(): void };

/** go-plugin ≥ 1.1 plugins block once ~64 KiB of their stdout is unread: always drain it. */
function drainStdio(client: Client, logger: Logger): Stream {
  const call = (client as unknown as { StreamStdio(req: object): Stream }).StreamStdio({});
  call.on('data', (chunk: { channel: string; data: Buffer }) => {
    const text = Buffer.from(chunk.data).subarray(0, 4096).toString().trimEnd();
    if (text) logger.debug(`plugin ${chunk.channel.toLowerCase()}: ${text}`);
  });
  call.on('error', () => {}); // UNIMPLEMENTED from go-plugin 1.0.x, or the plugin went away.
  return call;
}

/** go-plugin hosts open the broker stream at connect; we hold it open and send nothing. */
function openBroker(client: Client): Stream {
  const call = (client as unknown as { StartStream(): Stream }).StartStream();
  call.on('data', () => {});
  call.on('error', () => {});
  return call;
}
