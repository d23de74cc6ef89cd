/** The plugin host: discovery, launch, and the plugin-backed Database. */
export { findPlugin, listPlugins, pluginNameOf, pluginSearchDirs, checkPluginPath, type FoundPlugin } from './discovery.js';
export { launchPlugin, PluginProcess, type PluginInfo, type ExitStatus } from './launch.js';
export { PluginDatabase } from './plugin-database.js';
