/**
 * go-plugin's handshake line, `CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT`, e.g.
 * `1|1|unix|/tmp/plugin123/plugin.sock|grpc|`. Both the host (parse) and the SDK
 * (format, negotiate) use this module.
 */
import { decodeCertField } from './certificate.js';
import { APP_PROTOCOL_VERSIONS, CORE_PROTOCOL_VERSION } from './constants.js';

/**
 * Before go-plugin put a certificate in field 6, gRPC plugins put base64 JSON of their
 * stdio config there (`eyJzdGRvdXRfYWRkciI6IiIsInN0ZGVycl9hZGRyIjoiIn0K`, 48 characters;
 * the confd plugin draft's plugins print exactly that). go-plugin's host reads a field 6
 * of at most this many characters as that legacy extra and ignores it.
 */
export const LEGACY_FIELD6_MAX = 50;

export interface Handshake {
  coreVersion: number;
  appVersion: number;
  network: 'unix' | 'tcp';
  address: string;
  protocol: 'grpc' | 'netrpc';
  /** The plugin's certificate as PEM (AutoMTLS); empty when it sent none. */
  serverCert: string;
  /** The line as the plugin printed it (trimmed), for `confd plugins inspect`. */
  line: string;
}

export interface ParseOptions {
  /** The application protocol versions the host speaks. */
  versions?: readonly number[];
  /** True when the host asked for AutoMTLS (set PLUGIN_CLIENT_CERT): only then is a certificate valid. */
  autoMtls?: boolean;
}

export class HandshakeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandshakeError';
  }
}

export function formatHandshake(h: Pick<Handshake, 'appVersion' | 'network' | 'address'> & { serverCert?: string }): string {
  return `${CORE_PROTOCOL_VERSION}|${h.appVersion}|${h.network}|${h.address}|grpc|${h.serverCert ?? ''}\n`;
}

/**
 * Parses the first stdout line as go-plugin's host does: trims the line (CRLF is fine),
 * accepts 4 to 7 fields (a 4-field line means netrpc; field 7 is the multiplexing flag).
 */
export function parseHandshake(line: string, options: ParseOptions = {}): Handshake {
  const supportedVersions = options.versions ?? APP_PROTOCOL_VERSIONS;
  const trimmed = line.trim();
  const parts = trimmed.split('|');
  if (parts.length < 4 || parts.length > 7) throw new HandshakeError(`unrecognized handshake line (expected CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT): ${JSON.stringify(truncate(trimmed))}`);
  const [core, app, network, address, protocol = 'netrpc', field6 = ''] = parts;
  const coreVersion = Number(core);
  if (!/^\d+$/.test(core) || coreVersion !== CORE_PROTOCOL_VERSION) {
    throw new HandshakeError(`plugin speaks go-plugin core protocol ${core}, confd speaks ${CORE_PROTOCOL_VERSION}`);
  }
  const appVersion = Number(app);
  if (!/^\d+$/.test(app) || !supportedVersions.includes(appVersion)) {
    throw new HandshakeError(`plugin speaks protocol ${app}, confd speaks ${supportedVersions.join(', ')}`);
  }
  if (network !== 'unix' && network !== 'tcp') throw new HandshakeError(`unknown address type ${JSON.stringify(network)} (expected unix or tcp)`);
  if (protocol === 'netrpc') throw new HandshakeError('plugin offers netrpc; confd plugins must serve grpc');
  if (protocol !== 'grpc') throw new HandshakeError(`unsupported plugin protocol ${JSON.stringify(protocol)} (expected grpc)`);
  if (network === 'tcp' && !/^(127\.0\.0\.1|\[::1\]|localhost):\d+$/.test(address)) {
    throw new HandshakeError(`plugin listens on ${address}; confd only connects to plugins on loopback or unix sockets`);
  }
  return { coreVersion, appVersion, network, address, protocol, serverCert: readCertField(field6, options.autoMtls ?? false), line: trimmed };
}

/** go-plugin's rule: ≤ 50 characters is the legacy extra (ignored); longer is a certificate. */
function readCertField(field: string, autoMtls: boolean): string {
  if (field.length <= LEGACY_FIELD6_MAX) return '';
  if (!autoMtls) throw new HandshakeError('plugin sent a TLS certificate, but confd did not ask for AutoMTLS');
  try {
    return decodeCertField(field);
  } catch (error) {
    throw new HandshakeError((error as Error).message);
  }
}

/**
 * The plugin side of version negotiation (go-plugin's rules): the highest version both
 * sides speak; with no common version, or no host list, the plugin's lowest.
 */
export function negotiateVersion(hostList: string | undefined, pluginVersions: readonly number[] = APP_PROTOCOL_VERSIONS): number {
  const ours = [...pluginVersions].sort((a, b) => b - a);
  const theirs = (hostList ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
  return ours.find((v) => theirs.includes(v)) ?? ours[ours.length - 1];
}

function truncate(text: string): string {
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}
