/**
 * The environment a plugin starts with. go-plugin passes the host's whole environment,
 * and so do we by default, for compatibility; `env_allowlist` passes only the named
 * variables. The protocol's own variables are always set, last, so nothing overrides them.
 */
import { APP_PROTOCOL_VERSIONS, DEFAULT_MAX_PORT, DEFAULT_MIN_PORT, ENV, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../protocol/constants.js';

export interface ChildEnvOptions {
  hostEnv: NodeJS.ProcessEnv;
  allowlist?: readonly string[];
  /** The directory for the plugin's socket and temp files. */
  socketDir: string;
  /** PEM of the host's AutoMTLS certificate; absent when AutoMTLS is off. */
  clientCertPem?: string;
}

export function childEnv(options: ChildEnvOptions): NodeJS.ProcessEnv {
  const base = options.allowlist
    ? Object.fromEntries(options.allowlist.filter((name) => options.hostEnv[name] !== undefined).map((name) => [name, options.hostEnv[name]]))
    : { ...options.hostEnv };
  delete base[ENV.clientCert]; // only ever ours
  return {
    ...base,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    [ENV.minPort]: String(DEFAULT_MIN_PORT),
    [ENV.maxPort]: String(DEFAULT_MAX_PORT),
    [ENV.protocolVersions]: APP_PROTOCOL_VERSIONS.join(','),
    [ENV.unixSocketDir]: options.socketDir,
    // go-plugin 1.0.x ignores PLUGIN_UNIX_SOCKET_DIR and puts its socket in TMPDIR.
    TMPDIR: options.socketDir,
    ...(options.clientCertPem ? { [ENV.clientCert]: options.clientCertPem } : {}),
  };
}
