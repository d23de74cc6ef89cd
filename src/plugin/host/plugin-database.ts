/**
 * A Database backed by a plugin (launched or reattached). The render pipeline cannot
 * tell it from a built-in: same methods, same errors-with-context, and close() stops the
 * process (or disconnects from a reattached one).
 */
import type { ServiceError } from '@grpc/grpc-js';
import { WatchUnsupportedError, type Database, type DatabaseConfig, type KeyValues } from '../../database/database.js';
import { ChangeFeed } from '../../database/change-feed.js';
import { ConfdError } from '../../errors.js';
import { formatSize } from '../../config/size.js';
import type { PluginHandle } from './plugin-handle.js';
import { callUnary, GrpcStatus, pluginError } from './rpc.js';

export class PluginDatabase implements Database {
  readonly canWatch: boolean | undefined;

  constructor(readonly plugin: PluginHandle) {
    this.canWatch = plugin.info?.canWatch;
  }

  async configure(config: DatabaseConfig): Promise<void> {
    await this.call('Configure', { config });
  }

  async getValues(prefixes: readonly string[]): Promise<KeyValues> {
    const response = await this.call<{ values: Record<string, string> }>('GetValues', { keys: [...prefixes] });
    // Keys are handed on as the plugin sent them: the pass cleans them and drops any
    // outside the requested prefixes or with a `..` segment (src/resource/key-scope.ts).
    return { ...(response.values ?? {}) };
  }

  async *watchPrefix(prefix: string, keys: readonly string[], signal: AbortSignal): AsyncIterable<void> {
    if (this.canWatch === false) throw new WatchUnsupportedError(this.plugin.name);
    const client = this.plugin.clients.database as unknown as { WatchPrefix(req: object): NodeJS.EventEmitter & { cancel(): void } };
    const call = client.WatchPrefix({ prefix, keys: [...keys] });
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    const feed = new ChangeFeed();
    call.on('data', () => feed.notify());
    call.on('error', (error: ServiceError) => feed.fail(error));
    call.on('end', () => feed.end());
    try {
      yield* feed.changes(signal);
      if (!signal.aborted) throw await this.describe('WatchPrefix', undefined);
    } catch (error) {
      if (signal.aborted) return;
      const failure = error as ServiceError;
      if (failure.code === GrpcStatus.UNIMPLEMENTED) throw new WatchUnsupportedError(this.plugin.name);
      throw failure instanceof ConfdError ? failure : await this.describe('WatchPrefix', failure);
    } finally {
      signal.removeEventListener('abort', onAbort);
      call.cancel();
    }
  }

  close(): Promise<void> {
    return this.plugin.stop();
  }

  private async call<T = object>(method: string, request: object): Promise<T> {
    try {
      return await callUnary<T>(this.plugin.clients.database, method, request);
    } catch (error) {
      throw await this.describe(method, error as ServiceError);
    }
  }

  /** Turns a failed call into an error naming the plugin, its path, and what happened. */
  private async describe(method: string, error: ServiceError | undefined) {
    const { name, path } = this.plugin;
    // A dropped connection usually means the process died: say so, with its exit status.
    const how = this.plugin.lostAs ?? (await Promise.race([this.plugin.lost, new Promise<undefined>((r) => setTimeout(() => r(undefined), 300).unref())]));
    if (how) {
      const tail = this.plugin.recentStderr().slice(-3).join(' | ');
      return pluginError(name, path, `${how} during ${method}${tail ? `; stderr: ${tail}` : ''}`);
    }
    if (!error) return pluginError(name, path, `${method} stream ended unexpectedly`);
    if (error.code === GrpcStatus.UNIMPLEMENTED) return pluginError(name, path, `does not implement ${method}`);
    if (error.code === GrpcStatus.RESOURCE_EXHAUSTED) {
      return pluginError(name, path, `${method} failed: a message exceeds plugin_max_message_size (${formatSize(this.plugin.maxMessageBytes)}): ${error.details || error.message}`);
    }
    return pluginError(name, path, `${method} failed: ${error.details || error.message}`);
  }
}
