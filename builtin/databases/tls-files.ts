/** Reads TLS files named in the Configure map (`cert`, `key`, `caCert`), with errors naming the file. */
import { readFileSync } from 'node:fs';
import type { DatabaseConfig } from '../../src/database/database.js';
import { ConfdError } from '../../src/errors.js';

export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function read(path: string, what: string, backend: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfdError(`cannot read ${what} ${path}: ${(error as Error).message}`, { backend, file: path });
  }
}

/** Undefined when no TLS setting is given. */
export function readTlsFiles(config: DatabaseConfig, backend: string): TlsFiles | undefined {
  if (!config.caCert && !config.cert && !config.key) return undefined;
  if (Boolean(config.cert) !== Boolean(config.key)) {
    throw new ConfdError('client certificate and key must be given together (--client-cert and --client-key)', { backend });
  }
  return {
    ca: config.caCert ? read(config.caCert, 'CA certificate', backend) : undefined,
    cert: config.cert ? read(config.cert, 'client certificate', backend) : undefined,
    key: config.key ? read(config.key, 'client key', backend) : undefined,
  };
}

/** `a,b` → [a, b], trimmed, empty entries dropped. */
export function splitNodes(value: string | undefined): string[] {
  return (value ?? '').split(',').map((n) => n.trim()).filter(Boolean);
}
