/**
 * confd's SRV discovery of backend nodes (`-srv-domain`, `-srv-record`): the nodes are
 * read from DNS each time the backend is opened, so a restart or SIGHUP follows DNS.
 * As in confd: the record is `_<backend>._tcp.<domain>.` unless named; each target
 * becomes `host:port` (trailing dot dropped); etcd nodes get `<scheme>://` in front;
 * a failed lookup is an error, never a silent fall-back to the default node.
 */
import { Resolver } from 'node:dns/promises';
import { canonicalBuiltinName } from '../../builtin/databases/index.js';
import { nodeConfig } from '../config/database-config.js';
import type { Settings } from '../config/settings.js';
import type { DatabaseConfig } from '../database/database.js';
import { ConfdError } from '../errors.js';
import type { Logger } from '../log/logger.js';

/** Backends that read no nodes: SRV settings are ignored for them (confd skips env too). */
const NODELESS_BACKENDS = new Set(['env', 'file']);

export interface SrvDiscovery {
  /** The fully qualified record, e.g. `_etcd._tcp.example.com.`. */
  record: string;
  /** etcd nodes are URLs: `<scheme>://host:port`. */
  scheme: string;
  /** `host[:port]` of the DNS server to ask; empty: the system resolver. */
  dnsServer: string;
}

type SrvSettings = Pick<Settings, 'backend' | 'srvDomain' | 'srvRecord' | 'scheme' | 'dnsServer'>;

/** The SRV lookup the settings ask for, or undefined when nodes come from `--node`. */
export function srvDiscovery(settings: SrvSettings): SrvDiscovery | undefined {
  if (NODELESS_BACKENDS.has(canonicalBuiltinName(settings.backend) ?? '')) return undefined;
  const domain = settings.srvDomain.replace(/\.$/, '');
  const record = settings.srvRecord || (domain ? `_${settings.backend}._tcp.${domain}.` : '');
  return record ? { record, scheme: settings.scheme, dnsServer: settings.dnsServer } : undefined;
}

function hostPort(target: string, port: number): string {
  const host = target.replace(/\.$/, '');
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Looks the record up and returns the node list, lowest priority first and, within a
 * priority, highest weight first (a stable order, so the backend's identity is too).
 */
export async function lookupSrvNodes(srv: SrvDiscovery, backend: string): Promise<string[]> {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  const fail = (why: string, cause?: unknown, setting = 'srv-record'): never => {
    throw new ConfdError(`cannot get nodes from SRV record ${srv.record}: ${why}`, { backend, setting }, { cause });
  };
  if (srv.dnsServer) {
    try {
      resolver.setServers([srv.dnsServer]);
    } catch (error) {
      fail(`invalid --dns-server "${srv.dnsServer}": ${(error as Error).message}`, error, 'dns-server');
    }
  }
  let records: Awaited<ReturnType<Resolver['resolveSrv']>> = [];
  try {
    records = await resolver.resolveSrv(srv.record);
  } catch (error) {
    fail((error as Error).message, error);
  }
  if (records.length === 0) fail('no targets');
  const sorted = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight || a.name.localeCompare(b.name) || a.port - b.port);
  const nodes = sorted.map((r) => hostPort(r.name, r.port));
  return canonicalBuiltinName(backend) === 'etcd' ? nodes.map((node) => `${srv.scheme}://${node}`) : nodes;
}

/** What SRV discovery reads and rewrites of a BackendSpec. */
export interface DiscoverableSpec {
  backend: string;
  config: DatabaseConfig;
  srv?: SrvDiscovery;
}

/** The spec with its node keys replaced by the nodes the SRV record names (unchanged without SRV). */
export async function withSrvNodes<T extends DiscoverableSpec>(spec: T, logger: Logger): Promise<T> {
  if (!spec.srv) return spec;
  const nodes = await lookupSrvNodes(spec.srv, spec.backend);
  logger.info(`SRV record ${spec.srv.record}: backend nodes ${nodes.join(', ')}`);
  return { ...spec, config: { ...spec.config, ...nodeConfig(nodes) } };
}
