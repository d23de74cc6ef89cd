/**
 * The Go engine against real confd, case by case. `cases.json` holds each template, its
 * data set and what confd 0.17 (Go 1.19 text/template) rendered or failed with, recorded
 * by scripts/record-go-cases.mjs. A case with `why` is a deliberate difference: it
 * expects our result and keeps confd's beside it as `go`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TemplateEngine } from '../../src/template/engine.js';
import { KeyStore } from '../../src/template/store.js';

interface Case {
  group: string;
  t: string;
  data?: string;
  env?: Record<string, string>;
  o?: string;
  e?: string;
  why?: string;
  go?: string;
}

const table = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as {
  env: Record<string, string>;
  data: Record<string, Record<string, string>>;
  cases: Case[];
};

const dir = mkdtempSync(join(tmpdir(), 'confd-go-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Renders as confd did: the template file is named t.tmpl, the data set is the store. */
async function run(c: Case, index: number): Promise<{ o?: string; e?: string }> {
  const caseDir = join(dir, String(index));
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, 't.tmpl'), c.t);
  const engine = new TemplateEngine({ env: { ...table.env, ...c.env } });
  try {
    return { o: await engine.render(join(caseDir, 't.tmpl'), new KeyStore(table.data[c.data ?? ''] ?? {}), 'go') };
  } catch (error) {
    return { e: (error as Error).message };
  }
}

it('has at least 200 cases, every one with an expected output or error', () => {
  expect(table.cases.length).toBeGreaterThanOrEqual(200);
  for (const c of table.cases) expect(c.o !== undefined || c.e !== undefined, c.t).toBe(true);
});

const groups = [...new Set(table.cases.map((c) => c.group))];
for (const group of groups) {
  describe(group, () => {
    table.cases.forEach((c, index) => {
      if (c.group !== group) return;
      it(`${JSON.stringify(c.t).slice(0, 100)}${c.why ? ' (differs from Go: ' + c.why + ')' : ''}`, async () => {
        const result = await run(c, index);
        if (c.e !== undefined) expect(result).toEqual({ e: c.e });
        else expect(result).toEqual({ o: c.o });
      });
    });
  });
}
