// Bundles the compiled CLI into dist/bundle/ so `confd` starts fast: one module graph
// to resolve instead of hundreds of files. Heavy backends stay separate chunks or
// external packages, loaded only when the chosen backend needs them.
import { build } from 'esbuild';

await build({
  // The file backend parses large data files in a worker thread: its entry sits next to
  // the chunks, where builtin/databases/file/off-thread.ts looks for it.
  entryPoints: { main: 'dist/src/cli/main.js', 'parse-worker': 'dist/builtin/databases/file/parse-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: ['@grpc/grpc-js', '@grpc/proto-loader', 'etcd3', 'ioredis', 'node-zookeeper-client', 'chokidar'],
  // CommonJS dependencies (handlebars) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __confdCreateRequire } from 'node:module'; const require = __confdCreateRequire(import.meta.url);" },
});
