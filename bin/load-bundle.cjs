'use strict';
// Loads one of the CommonJS bundles in dist/bundle/ (scripts/bundle.mjs) with the V8 code
// cache recorded at build time next to it (<name>.cache, scripts/code-cache.mjs): V8 then
// skips parsing and compiling what a run needs. Node 20 has no module compile cache, so
// this is done by hand, as Node's CommonJS loader would, through vm.Script. A missing
// cache, or one V8 rejects (another Node or V8 version, other V8 flags, a rebuilt bundle),
// only costs the compile: the bundle runs the same.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE_DIR = join(__dirname, '..', 'dist', 'bundle');

// The bundle loads external packages (grpc, etcd3, …) with import(); code compiled by a
// vm.Script cannot (not without an experimental flag), so the bundle calls this instead
// (scripts/bundle.mjs rewrites those import() calls). Resolved from the package, as before.
const importExternal = (specifier) => import(specifier);

/**
 * Compiles dist/bundle/<name>.cjs, with its code cache unless `record`.
 * @returns {{ script: import('node:vm').Script, filename: string, cacheFile: string }}
 */
function compileBundle(name, { record = false } = {}) {
  const filename = join(BUNDLE_DIR, `${name}.cjs`);
  const cacheFile = join(BUNDLE_DIR, `${name}.cache`);
  let cachedData;
  if (!record) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      /* no cache: compile from source */
    }
  }
  // Pure ASCII (scripts/bundle.mjs checks): latin1 makes the one-byte string V8 wants, without decoding.
  const source = readFileSync(filename, 'latin1');
  // Node's CommonJS wrapper (plus the import function), on the first line so line numbers hold.
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __confdImportExternal) {${source}\n})`, {
    filename,
    cachedData,
  });
  return { script, filename, cacheFile };
}

/** Runs dist/bundle/<name>.cjs and returns its exports. */
function loadBundle(name) {
  // Build time only: scripts/code-cache.mjs sets this to record the cache of a warm run.
  const record = (process.env.CONFD_RECORD_CODE_CACHE ?? '').split(',').includes(name);
  const { script, filename, cacheFile } = compileBundle(name, { record });
  if (record) {
    // At exit, so the cache holds every function the run compiled, not only the top level.
    process.once('exit', () => {
      try {
        writeFileSync(cacheFile, script.createCachedData());
      } catch (error) {
        process.stderr.write(`confd: cannot record the code cache ${cacheFile}: ${error.message}\n`);
        process.exitCode = 1;
      }
    });
  }
  const module = { exports: {}, filename, id: filename, loaded: false };
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, BUNDLE_DIR, importExternal);
  module.loaded = true;
  return module.exports;
}

module.exports = { compileBundle, loadBundle };
