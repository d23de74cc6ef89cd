/**
 * How the daemon learns that a plugin process died: a plugin-backed Database
 * (src/plugin/host PluginDatabase) exposes its PluginProcess as `plugin`, with an
 * `exited` promise and, once it has exited, `exitStatus`. Built-ins have neither.
 * Duck-typed so the daemon does not load the plugin host for built-in backends.
 */
import type { Database } from '../database/database.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface ProcessBacked {
  exited: Promise<ProcessExit>;
  exitStatus?: ProcessExit;
  pid?: number;
}

function processOf(database: Database): ProcessBacked | undefined {
  const plugin = (database as { plugin?: Partial<ProcessBacked> }).plugin;
  return plugin && plugin.exited instanceof Promise ? (plugin as ProcessBacked) : undefined;
}

/** Resolves when the database's process exits; undefined for in-process backends. */
export function processExit(database: Database): Promise<ProcessExit> | undefined {
  return processOf(database)?.exited;
}

/** True when the database's process has already exited. */
export function processGone(database: Database): boolean {
  return processOf(database)?.exitStatus !== undefined;
}

export function describeExit(status: ProcessExit): string {
  return status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
}
