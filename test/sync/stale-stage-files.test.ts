import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger } from '../../src/log/logger.js';
import { StaleStageFileSweeper } from '../../src/resource/sync/index.js';

function capturingLogger(lines: string[]): Logger {
  return new Logger({ level: 'warn', sink: { write: (line: string) => void lines.push(line) } });
}

describe('StaleStageFileSweeper', () => {
  it('removes each dest\'s own stale stage files among many dests of one directory, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-stale-'));
    const stale = ['.a.conf.0123456789ab', '.b.conf.ba9876543210', '.c.conf.aaaaaaaaaaaa'];
    const kept = ['a.conf', '.a.conf.bak', '.b.conf.0123', 'b.conf.0123456789ab', '.other.0123456789ab'];
    for (const name of [...stale, ...kept]) writeFileSync(join(dir, name), 'x');
    const lines: string[] = [];
    const sweeper = new StaleStageFileSweeper();
    await Promise.all(['a.conf', 'b.conf', 'a.conf'].map((name) => sweeper.sweepOnce(join(dir, name), capturingLogger(lines))));
    expect(readdirSync(dir).sort()).toEqual([...kept, '.c.conf.aaaaaaaaaaaa'].sort());
    expect(lines.filter((l) => l.includes('removed stale stage file'))).toHaveLength(2);
    await sweeper.sweepOnce(join(dir, 'c.conf'), capturingLogger(lines));
    expect(readdirSync(dir).sort()).toEqual([...kept].sort());
  });

  it('never removes a stage file that appeared after its directory was listed (one this process may be writing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'confd-stale-'));
    const sweeper = new StaleStageFileSweeper();
    await sweeper.sweepOnce(join(dir, 'a.conf'), capturingLogger([]));
    writeFileSync(join(dir, '.b.conf.0123456789ab'), 'being written'); // as another dest's stage file would be
    await sweeper.sweepOnce(join(dir, 'b.conf'), capturingLogger([]));
    expect(readdirSync(dir)).toEqual(['.b.conf.0123456789ab']);
  });
});
