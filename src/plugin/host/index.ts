/** The plugin host: discovery, launch or reattach, and the plugin-backed Database. */
export { findPlugin, listPlugins, pluginNameOf, pluginSearchDirs, checkPluginPath, type FoundPlugin } from './discovery.js';
export { launchPlugin, type LaunchOptions } from './launch.js';
export { reattachPlugin, ReattachedPlugin } from './reattach.js';
export { PluginProcess } from './plugin-process.js';
export { pingPlugin, type PluginHandle } from './plugin-handle.js';
export type { PluginInfo } from './connect.js';
export { fileSha256 } from './checksum.js';
export { describeExit, pluginError, type ExitStatus } from './rpc.js';
export { PluginDatabase } from './plugin-database.js';
