/**
 * Change notifications for the file backend. Until the chokidar watcher lands
 * (daemon work, issue 4) the file backend is polled like env.
 */
import { WatchUnsupportedError } from '../../../src/database/database.js';

// eslint-disable-next-line require-yield
export async function* watchDataFiles(_paths: readonly string[], _filter: string, _signal: AbortSignal): AsyncIterable<void> {
  throw new WatchUnsupportedError('file');
}
