/**
 * The catalog of built-in backends. Each loads lazily, so `confd render --backend env`
 * never pays for grpc-js, etcd3, ioredis or the zookeeper client.
 */
import type { DatabaseFactory } from '../../src/database/database.js';

type Loader = () => Promise<DatabaseFactory>;

const loaders: Record<string, Loader> = {
  env: async () => (await import('./env/index.js')).createDatabase,
  file: async () => (await import('./file/index.js')).createDatabase,
  etcd: async () => (await import('./etcd/index.js')).createDatabase,
  redis: async () => (await import('./redis/index.js')).createDatabase,
  zookeeper: async () => (await import('./zookeeper/index.js')).createDatabase,
  exec: async () => (await import('./exec/index.js')).createDatabase,
  http: async () => (await import('./http/index.js')).createDatabase,
};

/** `etcd` and `etcdv3` name the same v3 client, as in confd master. */
const aliases: Record<string, string> = { etcdv3: 'etcd' };

export function canonicalBuiltinName(name: string): string | undefined {
  const canonical = aliases[name] ?? name;
  return Object.hasOwn(loaders, canonical) ? canonical : undefined;
}

export function builtinDatabaseNames(): string[] {
  return [...Object.keys(loaders), ...Object.keys(aliases).filter((a) => canonicalBuiltinName(a))].sort();
}

export async function loadBuiltinDatabase(name: string): Promise<DatabaseFactory | undefined> {
  const canonical = canonicalBuiltinName(name);
  return canonical ? loaders[canonical]() : undefined;
}
