// Shared pieces of the workloads: paths, temp dirs, and writing a confdir.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `CONFD_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles confd itself. */
const NODE_ARGS = (process.env.CONFD_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
export const CONFD = [process.execPath, ...NODE_ARGS, join(REPO, 'bin', 'confd')];
export const PEER = process.env.CONFD_PEER_BIN || undefined;

export function workdir(name) {
  return mkdtempSync(join(tmpdir(), `confd-bench-${name}-`));
}

/** Writes conf.d/<name>.toml files and templates/<name> into `<root>/<flavour>` (ours: Handlebars; peer: Go). */
export function writeConfdir(root, resources, templates) {
  mkdirSync(join(root, 'conf.d'), { recursive: true });
  mkdirSync(join(root, 'templates'), { recursive: true });
  for (const [name, toml] of Object.entries(resources)) writeFileSync(join(root, 'conf.d', `${name}.toml`), toml);
  for (const [name, text] of Object.entries(templates)) {
    mkdirSync(dirname(join(root, 'templates', name)), { recursive: true });
    writeFileSync(join(root, 'templates', name), text);
  }
  return root;
}

export const pad = (i) => String(i).padStart(4, '0');
