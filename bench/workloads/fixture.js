// W1: a cold one-shot render of confd's integration fixture (5 resources) with the file
// backend, against bare `node -e 0` as the floor.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFD, PEER, REPO, workdir } from './common.js';

const GO_TEMPLATES = {
  'basic.conf.tmpl': 'hostname: {{getenv "HOSTNAME"}}\n[database]\nhost={{getv "/database/host"}}\npassword={{getv "/database/password"}}\nport={{getv "/database/port"}}\nusername={{getv "/database/username"}}\n',
  'exists-test.conf.tmpl': '{{if exists "/key"}}value: {{getv "/key"}}{{end}}\n{{- if exists "/doesnotexist"}}This line will not be printed{{end}}\n',
  'iteration.conf.tmpl': 'upstream app {\n{{- range gets "/upstream/*"}}\n  server {{.Value}};\n{{- end}}\n}\n',
  'nested.conf.tmpl': 'upstream app {\n{{- range lsdir "/nested"}}{{range gets (printf "/nested/%s/*" .)}}\n    server {{.Value}};{{end}}{{end}}\n}\n',
};

export function prepareW1() {
  const root = workdir('w1');
  const out = join(root, 'out');
  mkdirSync(out);
  const setups = {};
  for (const flavour of ['ours', 'peer']) {
    const confdir = join(root, flavour);
    cpSync(join(REPO, 'test', 'fixture', 'confdir'), confdir, { recursive: true });
    for (const name of readdirSync(join(confdir, 'conf.d'))) {
      const path = join(confdir, 'conf.d', name);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll('/tmp/confd-', `${out}/${flavour}-`));
    }
    if (flavour === 'peer') for (const [name, text] of Object.entries(GO_TEMPLATES)) writeFileSync(join(confdir, 'templates', name), text);
    setups[flavour] = confdir;
  }
  const data = ['--file', join(REPO, 'test', 'fixture', 'data', 'backends1'), '--file', join(REPO, 'test', 'fixture', 'data', 'backends2')];
  return {
    env: { HOSTNAME: 'localhost' },
    ours: [...CONFD, 'render', '--backend', 'file', ...data, '--confdir', setups.ours],
    peer: PEER ? [PEER, '-onetime', '-backend', 'file', ...data.map((a) => a.replace('--', '-')), '-confdir', setups.peer] : undefined,
    floor: [process.execPath, '-e', '0'],
    verify() {
      const expected = readFileSync(join(REPO, 'test', 'fixture', 'expect', 'basic.conf'), 'utf8');
      const actual = readFileSync(join(out, 'ours-basic-test.conf'), 'utf8');
      if (actual !== expected) throw new Error('W1: basic.conf differs from the expected output');
    },
  };
}
