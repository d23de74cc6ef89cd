/**
 * The rules of the house (docs/architecture.md), checked on the real import graph:
 * each room of the code may import only rooms below it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** Rooms from the top floor down; a room may import itself and any room listed after it. */
const FLOORS: string[][] = [
  ['bin', 'src/index.ts', 'builtin/bins'],
  ['src/cli'],
  // Siblings: the daemon and the side-effect-free checks (confd check, --preflight).
  ['src/daemon', 'src/checks'],
  ['src/metrics'],
  ['src/backends'],
  ['src/plugin/host', 'src/plugin/serve'],
  ['src/resource'],
  // Siblings: sync gets bytes and a target, never a template.
  ['src/resource/sync', 'src/template'],
  ['builtin/databases'],
  ['src/plugin/protocol', 'src/config'],
  ['src/database', 'src/log', 'src/process', 'src/errors.ts', 'src/version.ts'],
  ['src/util'],
];

function roomOf(path: string): string | undefined {
  let best: string | undefined;
  for (const room of FLOORS.flat()) {
    if ((path === room || path.startsWith(room + '/')) && (!best || room.length > best.length)) best = room;
  }
  return best;
}

function floorOf(room: string): number {
  return FLOORS.findIndex((floor) => floor.includes(room));
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g), ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts'));
}

describe('the import graph', () => {
  const files = [...sources('src'), ...sources('builtin')];

  it('every source file belongs to a room', () => {
    expect(files.filter((f) => roomOf(f) === undefined)).toEqual([]);
  });

  it('nothing imports upward', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = roomOf(file)!;
      for (const target of importsOf(file)) {
        const to = roomOf(target);
        if (!to || to === from) continue;
        if (floorOf(to) < floorOf(from)) upward.push(`${file} → ${target}`);
        // Rooms on one floor are siblings: neither imports the other.
        if (floorOf(to) === floorOf(from)) upward.push(`${file} → ${target} (sibling)`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('src/cli is imported by nothing but bin/', () => {
    const importers = files.filter((f) => !f.startsWith('src/cli/') && importsOf(f).some((t) => t.startsWith('src/cli/')));
    expect(importers).toEqual([]);
  });

  it('built-in backends know nothing of gRPC', () => {
    const grpc = sources('builtin/databases').filter((f) => /@grpc\/|src\/plugin\//.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(grpc).toEqual([]);
  });
});
