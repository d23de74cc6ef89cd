import { describe, expect, it } from 'vitest';
import { ResourceSet } from '../../src/daemon/resource-set.js';
import { ConfdError } from '../../src/errors.js';
import type { TemplateResource } from '../../src/resource/template-resource.js';

function resource(file: string, dest: string): TemplateResource {
  return { file, src: '/t/x.tmpl', dest, prefix: '/', keys: ['/a'], makeDirectories: false, checkCmdTimeoutMs: 1, reloadCmdTimeoutMs: 1, backends: ['default'] };
}

describe('ResourceSet', () => {
  it('adds, changes and removes, and keeps the last good version of a file that broke', () => {
    const set = new ResourceSet();
    set.apply([{ file: 'a', resource: resource('a', '/1') }, { file: 'b', resource: resource('b', '/2') }]);
    const broken = new ConfdError('bad', { file: 'a', line: 3 });
    const changes = set.apply([
      { file: 'a', error: broken },
      { file: 'c', resource: resource('c', '/3') },
      { file: 'd', error: broken },
    ]);
    expect(changes.added).toEqual(['c']);
    expect(changes.removed).toEqual(['b']);
    expect(changes.broken.map((b) => [b.file, b.keptLastGood])).toEqual([['a', true], ['d', false]]);
    expect(set.get('a')?.dest).toBe('/1');
    expect(set.get('d')).toBeUndefined();
    const again = set.apply([{ file: 'a', resource: resource('a', '/9') }, { file: 'c', resource: resource('c', '/3') }]);
    expect(again.changed).toEqual(['a']);
    expect(set.all().map((r) => r.dest)).toEqual(['/9', '/3']);
  });
});
