/**
 * The plugin SDK: `serve({ database })` turns any Database into a confd plugin that a
 * confd host, or any go-plugin host, can drive:
 *
 *   1. refuse to run without the magic cookie (go-plugin's message, exit 1);
 *   2. negotiate the protocol version;
 *   3. listen on a unix socket (0600) in a private directory (0700);
 *   4. print the handshake line — the first and only thing on stdout;
 *   5. serve proto.Database, our Info extension, and go-plugin's health, controller,
 *      stdio and broker services;
 *   6. exit 0 after Shutdown, and by itself within 2 s when the host dies.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../database/database.js';
import { Logger, parseLogLevel } from '../../log/logger.js';
import { ENV, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, NOT_A_PROGRAM_MESSAGE, UNLIMITED_MESSAGES } from '../protocol/constants.js';
import { formatHandshake, negotiateVersion } from '../protocol/handshake.js';
import { loadServices } from '../protocol/services.js';
import { brokerHandlers, databaseHandlers, healthHandlers, infoHandlers } from './handlers.js';
import { StdioForwarder } from './stdio.js';
import { exitWhenParentDies } from './watch-parent.js';

export interface ServeOptions {
  database: Database;
  /** Shown by `confd plugins inspect`; defaults to the executable's name. */
  name?: string;
  version?: string;
  /** Log level for the plugin's own stderr (hclog JSON); default from CONFD_PLUGIN_LOG_LEVEL or debug. */
  logLevel?: string;
}

export async function serve(options: ServeOptions): Promise<void> {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(NOT_A_PROGRAM_MESSAGE);
    process.exit(1);
  }
  const logger = new Logger({
    format: 'hclog',
    level: parseLogLevel(options.logLevel ?? process.env.CONFD_PLUGIN_LOG_LEVEL ?? 'debug') ?? 'debug',
    name: options.name,
  });
  const version = negotiateVersion(process.env[ENV.protocolVersions]);
  const grpc = await import('@grpc/grpc-js');
  const services = await loadServices();

  // A private directory, even inside the host's private one: only we use the socket.
  const base = process.env[ENV.unixSocketDir] || tmpdir();
  const dir = await mkdtemp(join(base, 'confd-plugin-'));
  await chmod(dir, 0o700);
  const socket = join(dir, 'plugin.sock');

  const server = new grpc.Server(UNLIMITED_MESSAGES);
  const stdio = new StdioForwarder();
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    server.forceShutdown();
    void Promise.allSettled([options.database.close(), rm(dir, { recursive: true, force: true })]).then(() => process.exit(code));
    // Never hang on a backend that will not close.
    setTimeout(() => process.exit(code), 1000).unref();
  };

  server.addService(services.Database.service, databaseHandlers(options.database, logger));
  server.addService(services.Info.service, infoHandlers(options.database, { name: options.name ?? '', version: options.version ?? '' }));
  server.addService(services.Health.service, healthHandlers());
  server.addService(services.GRPCBroker.service, brokerHandlers());
  server.addService(services.GRPCStdio.service, { StreamStdio: (call: Parameters<StdioForwarder['attach']>[0]) => stdio.attach(call) });
  server.addService(services.GRPCController.service, {
    Shutdown: (_call: unknown, callback: (error: null, response: object) => void) => {
      logger.debug('shutdown requested by the host');
      callback(null, {});
      setImmediate(() => stop(0));
    },
  });

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
  );
  await chmod(socket, 0o600);

  // The host drives shutdown; Ctrl-C reaches the whole process group, so ignore SIGINT.
  process.on('SIGINT', () => logger.trace('plugin received interrupt signal, ignoring'));
  process.on('SIGTERM', () => stop(0));
  exitWhenParentDies(() => {
    logger.debug('host process is gone; exiting');
    stop(0);
  });

  const writeHandshake = stdio.captureStdout();
  writeHandshake(formatHandshake({ appVersion: version, network: 'unix', address: socket }));
  logger.debug('plugin started', { address: socket, network: 'unix', version });
}
