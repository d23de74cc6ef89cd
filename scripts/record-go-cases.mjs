#!/usr/bin/env node
// Records expected outputs for test/template-go/cases.json from a real classic confd:
//   CONFD_PEER_BIN=/path/to/confd node scripts/record-go-cases.mjs test/template-go/cases.json
// Each case's template is rendered by `confd -onetime -backend file` with the case's data
// set, as templates/t.tmpl (so error messages name t.tmpl, as ours do), and its output
// ("o") or error ("e") is written back into the file. A case with "why" is a deliberate
// difference: its "o"/"e" stay ours, and confd's result is recorded as "go" beside it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const confd = process.env.CONFD_PEER_BIN;
if (!confd) throw new Error('set CONFD_PEER_BIN to a classic confd binary');
const file = process.argv[2];
const table = JSON.parse(readFileSync(file, 'utf8'));

/** Flat keys → the nested YAML/JSON the file backend reads. */
function tree(data) {
  const root = {};
  for (const [key, value] of Object.entries(data)) {
    const parts = key.split('/').filter(Boolean);
    let node = root;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    node[parts[parts.length - 1]] = value;
  }
  return root;
}

function runConfd(c) {
  const root = mkdtempSync(join(tmpdir(), 'record-'));
  try {
    mkdirSync(join(root, 'conf.d'));
    mkdirSync(join(root, 'templates'));
    writeFileSync(join(root, 'data.json'), JSON.stringify(tree(table.data[c.data ?? 'none'] ?? {})));
    writeFileSync(join(root, 'templates', 't.tmpl'), c.t);
    writeFileSync(join(root, 'conf.d', 't.toml'), `[template]\nsrc = "t.tmpl"\ndest = "${root}/out"\nkeys = ["/"]\n`);
    const env = { PATH: '/usr/bin:/bin', TZ: 'UTC', ...table.env, ...(c.env ?? {}) };
    const run = spawnSync(confd, ['-onetime', '-backend', 'file', '-file', join(root, 'data.json'), '-confdir', root, '-log-level', 'error'], { env, encoding: 'utf8' });
    if (run.status === 0) return { o: readFileSync(join(root, 'out'), 'utf8') };
    const error = /ERROR (.*)/.exec(run.stderr)?.[1] ?? run.stderr.trim();
    return { e: error.replace(/^Unable to process template \S+, /, '') };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

for (const c of table.cases) {
  const result = runConfd(c);
  if (c.why) {
    c.go = result.o ?? result.e;
    continue;
  }
  delete c.o;
  delete c.e;
  Object.assign(c, result);
}
writeFileSync(file, JSON.stringify(table, null, 1) + '\n');
console.log(`recorded ${table.cases.length} cases`);
