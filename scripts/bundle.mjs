// Bundles the compiled CLI and the standalone plugins into dist/bundle/ so they start
// fast: each is ONE CommonJS file, which bin/load-bundle.cjs compiles with the V8 code
// cache that scripts/code-cache.mjs records at build time (Node 20 has no module compile
// cache). Heavy dependencies stay external packages, required only when the chosen
// backend needs them; modules reached only through `import()` (other backends, the
// daemon, the plugin host) are bundled but initialised lazily, on first use.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// prom-client (with its tracing API) is for `confd watch` metrics only.
const external = ['@grpc/grpc-js', '@grpc/proto-loader', 'etcd3', 'ioredis', 'node-zookeeper-client', 'chokidar', 'prom-client'];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', external };

// Handlebars' code generator uses source-map's SourceNode when it can load it, and its
// own small stand-in otherwise (as in its browser build). confd never asks Handlebars
// for source maps: leave source-map out.
const noSourceMap = {
  name: 'no-source-map',
  setup(build) {
    build.onResolve({ filter: /^source-map$/ }, (args) => (args.importer.includes('handlebars') ? { path: 'source-map', namespace: 'empty' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });

const cjs = {
  confd: 'dist/src/cli/main.js',
  'confd-database-file': 'dist/builtin/bins/file.js',
  'confd-database-env': 'dist/builtin/bins/env.js',
};
// A standalone plugin always speaks gRPC: grpc-js and proto-loader go in its bundle (and
// its code cache) instead of loading file by file from node_modules.
const GRPC = ['@grpc/grpc-js', '@grpc/proto-loader'];
for (const [name, entry] of Object.entries(cjs)) await build({
  ...common,
  external: name === 'confd' ? external : external.filter((pkg) => !GRPC.includes(pkg)),
  entryPoints: { [name]: entry },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // Less to read and scan at every start (names stay, for stack traces; see the .map files).
  minifyWhitespace: true,
  minifySyntax: true,
  // Pure ASCII, so bin/load-bundle.cjs reads it as latin1: no UTF-8 decoding.
  charset: 'ascii',
  legalComments: 'none',
  plugins: [noSourceMap],
  // Modules find files next to themselves (the .proto files, the parse worker, package.json)
  // through import.meta.url: in CommonJS, that is the bundle file's own URL.
  define: { 'import.meta.url': '__confdImportMetaUrl' },
  // External packages load with import() (chokidar is an ES module). Code that
  // bin/load-bundle.cjs compiles with vm.Script cannot call import() itself: it passes a
  // function that does (__confdImportExternal); a plain require() of the bundle has none.
  banner: {
    js: [
      'var __confdImportMetaUrl = require("node:url").pathToFileURL(__filename).href;',
      'var __confdImport = typeof __confdImportExternal === "function" ? __confdImportExternal : (specifier) => import(specifier);',
    ].join('\n'),
  },
});
for (const name of Object.keys(cjs)) {
  const file = `dist/bundle/${name}.cjs`;
  let text = readFileSync(file, 'utf8');
  for (const pkg of external) text = text.replaceAll(`import("${pkg}")`, `__confdImport("${pkg}")`);
  const left = text.split('\n').slice(2).join('\n').match(/\bimport\([^)]{0,60}/g);
  if (left) throw new Error(`${file}: import() the launcher cannot serve: ${left.join(', ')}`);
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`${file}: not pure ASCII`);
  writeFileSync(file, text);
}

// The file backend parses large data files in a worker thread: its entry sits next to
// the bundle, where builtin/databases/file/off-thread.ts looks for it (./parse-worker.js
// relative to import.meta.url, i.e. dist/bundle/). An ES module, like dist/.
await build({
  ...common,
  entryPoints: { 'parse-worker': 'dist/builtin/databases/file/parse-worker.js' },
  outdir: 'dist/bundle',
  format: 'esm',
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __confdCreateRequire } from 'node:module'; const require = __confdCreateRequire(import.meta.url);" },
});
