/** `confd watch`: the daemon and its parts (see daemon.ts for the whole loop). */
export { WatchDaemon, type DaemonDeps } from './daemon.js';
export { Debouncer } from './debouncer.js';
export { Backoff, sleep, MAX_BACKOFF_MS } from './backoff.js';
export { groupByPrefix, watchIdentity, type WatchGroup } from './watch-groups.js';
export { CrashTracker, CRASH_LIMIT, CRASH_WINDOW_MS } from './crash-tracker.js';
export { PassQueue, type PassRequest, type RetryTarget } from './pass-queue.js';
export { BackendConnection } from './backend-connection.js';
