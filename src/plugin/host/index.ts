/** The plugin host: discovery, launch, and the plugin-backed Database. */
export { findPlugin, listPlugins, pluginNameOf, pluginSearchDirs, checkPluginPath, type FoundPlugin } from './discovery.js';
export { launchPlugin, PluginProcess, type PluginInfo } from './launch.js';
export { describeExit, type ExitStatus } from './rpc.js';
export { PluginDatabase } from './plugin-database.js';
