import { describe, expect, it } from 'vitest';
import { KeySnapshot } from '../../src/resource/snapshot.js';
import { coveringPrefixes } from '../../src/database/key-path.js';

describe('KeySnapshot', () => {
  const snapshot = new KeySnapshot({
    '/app': 'root', '/app/db/host': 'h', '/app/db/port': '1', '/application/x': 'no', '/app-x/y': 'no', '/other': 'o',
  });
  it('slices keys by whole path segment', () => {
    expect([...snapshot.under('/app')].map(([k]) => k)).toEqual(['/app', '/app/db/host', '/app/db/port']);
    expect([...snapshot.under('/')].length).toBe(6);
  });
  it('makes keys relative to the resource prefix', () => {
    expect([...snapshot.forResource('/app', ['/app/db'])]).toEqual([['/db/host', 'h'], ['/db/port', '1']]);
    expect(snapshot.forResource('/', ['/other']).get('/other')).toBe('o');
  });
});

describe('coveringPrefixes', () => {
  it('drops duplicates and keys under another key, by segment', () => {
    expect(coveringPrefixes(['/a/b', '/a', '/ab', '/a/b/c', '/c/'])).toEqual(['/a', '/ab', '/c']);
    expect(coveringPrefixes(['/x', '/'])).toEqual(['/']);
  });
});
