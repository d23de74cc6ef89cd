/**
 * A real DNS server (Debian `dnsmasq-base`) on 127.0.0.1 and a free port, serving the
 * SRV records a test gives it and answering NXDOMAIN for every other name under .test.
 */
import { existsSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { requireTool } from '../helpers/require-tool.js';
import { freePort, ServerProcess } from './server-process.js';

export const DNSMASQ_BIN = '/usr/sbin/dnsmasq';
export const haveDnsmasq = () => requireTool(existsSync(DNSMASQ_BIN), 'dnsmasq', 'apt-get install -y dnsmasq-base');

export interface SrvRecord {
  /** e.g. `_etcd._tcp.example.test` */
  name: string;
  target: string;
  port: number;
  priority?: number;
  weight?: number;
}

/** Answers once it serves the first record. */
async function answers(port: number, record: string): Promise<boolean> {
  const resolver = new Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return (await resolver.resolveSrv(record)).length > 0;
}

export class DnsServer {
  private constructor(readonly port: number, readonly process: ServerProcess) {}

  /** What `--dns-server` takes. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(records: readonly SrvRecord[]): Promise<DnsServer> {
    const port = await freePort();
    const args = [
      '--keep-in-foreground', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces',
      // Nothing from this machine's resolver or /etc/hosts: only what the test serves.
      '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--pid-file=', '--local=/test/', '--log-facility=-',
      ...records.map((r) => `--srv-host=${r.name},${r.target},${r.port},${r.priority ?? 0},${r.weight ?? 0}`),
    ];
    const process = new ServerProcess({ name: 'dnsmasq', command: DNSMASQ_BIN, args, ready: () => answers(port, records[0].name) });
    await process.start();
    return new DnsServer(port, process);
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}
