/**
 * The plugin SDK: `serve({ database })` turns any Database into a confd plugin that a
 * confd host, or any go-plugin host, can drive:
 *
 *   1. refuse to run without the magic cookie (go-plugin's message, exit 1);
 *   2. negotiate the protocol version;
 *   3. listen on a unix socket (0600) in a private directory (0700), with mutual TLS
 *      when the host asked for AutoMTLS (transport.ts);
 *   4. print the handshake line — the first and only thing on stdout;
 *   5. serve proto.Database, our Info extension, and go-plugin's health, controller,
 *      stdio and broker services;
 *   6. exit 0 after Shutdown, and by itself within 2 s when the host dies.
 *
 * With `--listen unix:/path` (or `tcp:127.0.0.1:PORT`) it instead serves on that fixed
 * address for a supervisor, and confd reattaches to it: no cookie, no handshake, and it
 * lives until SIGTERM or Shutdown.
 */
import type { Database } from '../../database/database.js';
import { Logger, parseLogLevel } from '../../log/logger.js';
import { DEFAULT_MAX_MESSAGE_BYTES, ENV, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, NOT_A_PROGRAM_MESSAGE } from '../protocol/constants.js';
import { formatHandshake, negotiateVersion } from '../protocol/handshake.js';
import { loadServices } from '../protocol/services.js';
import { brokerHandlers, databaseHandlers, healthHandlers, infoHandlers } from './handlers.js';
import { StdioForwarder } from './stdio.js';
import { fixedListener, hostListener, listenArgument, type Listener } from './transport.js';
import { exitWhenParentDies } from './watch-parent.js';

export interface ServeOptions {
  database: Database;
  /** Shown by `confd plugins inspect`; defaults to the executable's name. */
  name?: string;
  version?: string;
  /** Log level for the plugin's own stderr (hclog JSON); default from CONFD_PLUGIN_LOG_LEVEL or debug. */
  logLevel?: string;
  /** Serve on this fixed address for reattach (`unix:/path`, `tcp:127.0.0.1:PORT`); default: `--listen` from argv. */
  listen?: string;
}

export async function serve(options: ServeOptions): Promise<void> {
  const listen = options.listen ?? listenArgument();
  if (listen === undefined && process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
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
  let listener: Listener;
  try {
    listener = listen === undefined ? await hostListener(process.env) : await fixedListener(listen);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }

  const server = new grpc.Server({ 'grpc.max_receive_message_length': DEFAULT_MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': DEFAULT_MAX_MESSAGE_BYTES });
  const stdio = new StdioForwarder();
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    server.forceShutdown();
    void Promise.allSettled([options.database.close(), listener.cleanup()]).then(() => process.exit(code));
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

  await new Promise<void>((resolve, reject) => server.bindAsync(listener.bindTarget, listener.credentials, (error) => (error ? reject(error) : resolve())));
  await listener.bound();

  process.on('SIGTERM', () => stop(0));
  if (listen !== undefined) {
    process.on('SIGINT', () => stop(0));
    logger.info('plugin listening for confd to reattach', { network: listener.network, address: listener.address });
    return;
  }
  // The host drives shutdown; Ctrl-C reaches the whole process group, so ignore SIGINT.
  process.on('SIGINT', () => logger.trace('plugin received interrupt signal, ignoring'));
  exitWhenParentDies(() => {
    logger.debug('host process is gone; exiting');
    stop(0);
  });

  const writeHandshake = stdio.captureStdout();
  writeHandshake(formatHandshake({ appVersion: version, network: listener.network, address: listener.address, serverCert: listener.certField }));
  logger.debug('plugin started', { address: listener.address, network: listener.network, version, mtls: listener.certField !== '' });
}
