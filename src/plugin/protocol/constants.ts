/** The fixed constants of confd's plugin protocol (go-plugin, as the confd plugin draft set it up). */

/** go-plugin's core protocol version; field 1 of the handshake line. */
export const CORE_PROTOCOL_VERSION = 1;

/** confd's application protocol versions this build speaks; field 2 of the handshake line. */
export const APP_PROTOCOL_VERSIONS: readonly number[] = [1];

export const MAGIC_COOKIE_KEY = 'CONFD_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'xtanpmnh5nqffr256vnevap59w86p3wmxkfkcp9hx4fzf5frjc3tf3tkcczcatyd';

/** Environment variables go-plugin hosts set for the child. */
export const ENV = {
  minPort: 'PLUGIN_MIN_PORT',
  maxPort: 'PLUGIN_MAX_PORT',
  protocolVersions: 'PLUGIN_PROTOCOL_VERSIONS',
  unixSocketDir: 'PLUGIN_UNIX_SOCKET_DIR',
  clientCert: 'PLUGIN_CLIENT_CERT',
} as const;

/** go-plugin's default port range, used only for TCP listeners. */
export const DEFAULT_MIN_PORT = 10000;
export const DEFAULT_MAX_PORT = 25000;

/** The health service name go-plugin registers as SERVING. */
export const HEALTH_SERVICE_NAME = 'plugin';

/** Executables named `confd-database-<name>` are database plugins. */
export const PLUGIN_PREFIX = 'confd-database-';

/** go-plugin's text for a plugin run by hand (without the cookie); it then exits 1. */
export const NOT_A_PROGRAM_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

/** How long the host waits after Shutdown before killing the plugin (go-plugin: 2 s). */
export const SHUTDOWN_GRACE_MS = 2000;

/**
 * The default cap on one gRPC message, both ways (go-plugin sets none; an unbounded
 * reply from a broken plugin would be read into memory whole). The host's is
 * `plugin_max_message_size`.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
