/**
 * Go's `path.Match` glob semantics: `*` and `?` never cross `/`, `[...]` classes
 * (with `^` or `!` negation and ranges), `\` escapes. Compiled to a RegExp once.
 * confd uses these semantics for `gets`/`getvs` patterns and the file backend's `--filter`.
 */
export class GlobSyntaxError extends Error {
  constructor(pattern: string) {
    super(`syntax error in pattern: ${pattern}`);
    this.name = 'GlobSyntaxError';
  }
}

const cache = new Map<string, RegExp>();

export function compileGlob(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^${globToRegExpSource(pattern)}$`, 's');
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

export function matchGlob(pattern: string, name: string): boolean {
  return compileGlob(pattern).test(name);
}

function escapeRegExp(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

function globToRegExpSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '\\') {
      i++;
      if (i >= pattern.length) throw new GlobSyntaxError(pattern);
      out += escapeRegExp(pattern[i]);
    } else if (char === '[') {
      const end = findClassEnd(pattern, i);
      out += classToRegExp(pattern.slice(i + 1, end), pattern);
      i = end;
    } else {
      out += escapeRegExp(char);
    }
  }
  return out;
}

function findClassEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^' || pattern[i] === '!') i++;
  let first = true;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') { i++; first = false; continue; }
    if (pattern[i] === ']' && !first) return i;
    first = false;
  }
  throw new GlobSyntaxError(pattern);
}

function classToRegExp(body: string, pattern: string): string {
  let negate = false;
  let i = 0;
  if (body[0] === '^' || body[0] === '!') { negate = true; i = 1; }
  let out = '';
  let items = 0;
  while (i < body.length) {
    let lo = body[i];
    if (lo === '\\') { i++; lo = body[i]; }
    if (lo === undefined) throw new GlobSyntaxError(pattern);
    i++;
    if (body[i] === '-' && i + 1 < body.length) {
      i++;
      let hi = body[i];
      if (hi === '\\') { i++; hi = body[i]; }
      if (hi === undefined || hi < lo) throw new GlobSyntaxError(pattern);
      i++;
      out += `${escapeRegExp(lo)}-${escapeRegExp(hi)}`;
    } else {
      out += escapeRegExp(lo);
    }
    items++;
  }
  if (items === 0) throw new GlobSyntaxError(pattern);
  return negate ? `[^/${out}]` : `[${out}]`;
}
