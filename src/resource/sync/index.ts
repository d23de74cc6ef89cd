/** Writing rendered files: stage, compare, check, atomic rename, reload (see sync.ts). */
export { syncFile, type SyncOptions, type SyncOutcome, type SyncTarget } from './sync.js';
export { ReloadError, runReload, type CommandObserver, type CommandRun, type ReloadTarget } from './commands.js';
export type { ChangeReason } from './compare.js';
export { removeStaleStageFiles, StaleStageFileSweeper } from './stale-stage-files.js';
