// W2 (and W5): N resources, each with its own prefix /svc/sNNNN of 10 keys, all in one
// YAML file; one shared template with getv and a gets loop.
// W3: N resources over one tree of 100 services × 11 keys, each iterating lsdir + gets.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFD, PEER, REPO, pad, workdir, writeConfdir } from './common.js';

function resources(count, root, flavour, prefixFor, keys, src) {
  const out = {};
  for (let i = 0; i < count; i++) {
    const prefix = prefixFor(i);
    out[`s${pad(i)}`] = `[template]\nsrc = "${src}"\ndest = "${root}/out/${flavour}-s${pad(i)}.conf"\n${prefix ? `prefix = "${prefix}"\n` : ''}keys = ${JSON.stringify(keys)}\n`;
  }
  return out;
}

export function prepareW2(count, { plugin = false } = {}) {
  const root = workdir(plugin ? 'w5' : 'w2');
  mkdirSync(join(root, 'out'));
  const lines = ['svc:'];
  for (let i = 0; i < count; i++) {
    lines.push(`  s${pad(i)}:`, `    name: service-${i}`);
    for (let k = 1; k < 10; k++) lines.push(`    k${k}: value-${i}-${k}`);
  }
  const data = join(root, 'data.yaml');
  writeFileSync(data, lines.join('\n') + '\n');
  const ours = writeConfdir(join(root, 'ours'), resources(count, root, 'ours', (i) => `/svc/s${pad(i)}`, ['/'], 'svc.tmpl'), {
    'svc.tmpl': 'name={{getv "/name"}}\n{{#each (gets "/*")}}{{Key}}={{Value}}\n{{/each}}',
  });
  const peer = writeConfdir(join(root, 'peer'), resources(count, root, 'peer', (i) => `/svc/s${pad(i)}`, ['/'], 'svc.tmpl'), {
    'svc.tmpl': 'name={{getv "/name"}}\n{{range gets "/*"}}{{.Key}}={{.Value}}\n{{end}}',
  });
  const backend = plugin ? join(REPO, 'bin', 'plugins', 'confd-database-file') : 'file';
  return {
    // For the Go flavour (go-flavour.js): the same resources over Handlebars and Go templates.
    flavours: { handlebars: ours, go: peer, root, data, count },
    ours: [...CONFD, 'render', '--backend', backend, '--file', data, '--confdir', ours],
    peer: PEER && !plugin ? [PEER, '-onetime', '-backend', 'file', '-file', data, '-confdir', peer] : undefined,
    verify() {
      const i = count - 1;
      const text = readFileSync(join(root, 'out', `ours-s${pad(i)}.conf`), 'utf8');
      if (!text.startsWith(`name=service-${i}\n/k1=value-${i}-1\n`) || text.split('\n').filter(Boolean).length !== 11) throw new Error(`W2: wrong output for s${pad(i)}:\n${text}`);
    },
  };
}

export function prepareW3(count) {
  const root = workdir('w3');
  mkdirSync(join(root, 'out'));
  const lines = ['services:'];
  for (let s = 0; s < 100; s++) {
    lines.push(`  svc${pad(s)}:`);
    for (let k = 0; k < 11; k++) lines.push(`    k${k}: v${s}-${k}`);
  }
  const data = join(root, 'data.yaml');
  writeFileSync(data, lines.join('\n') + '\n');
  const ours = writeConfdir(join(root, 'ours'), resources(count, root, 'ours', () => '', ['/services'], 'tree.tmpl'), {
    'tree.tmpl': '{{#each (lsdir "/services")}}[{{this}}]\n{{#each (gets (printf "/services/%s/*" this))}}{{base Key}}={{Value}}\n{{/each}}{{/each}}',
  });
  const peer = writeConfdir(join(root, 'peer'), resources(count, root, 'peer', () => '', ['/services'], 'tree.tmpl'), {
    'tree.tmpl': '{{range lsdir "/services"}}[{{.}}]\n{{range gets (printf "/services/%s/*" .)}}{{base .Key}}={{.Value}}\n{{end}}{{end}}',
  });
  return {
    flavours: { handlebars: ours, go: peer, root, data, count },
    ours: [...CONFD, 'render', '--backend', 'file', '--file', data, '--confdir', ours],
    peer: PEER ? [PEER, '-onetime', '-backend', 'file', '-file', data, '-confdir', peer] : undefined,
    verify() {
      const text = readFileSync(join(root, 'out', `ours-s${pad(count - 1)}.conf`), 'utf8');
      if (text.split('\n').filter((l) => l.startsWith('[')).length !== 100 || !text.includes('[svc0099]\nk0=v99-0\n')) throw new Error('W3: wrong output');
    },
  };
}
