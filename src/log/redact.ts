/**
 * Credentials never reach a log line or an error message: a node address may carry them
 * as URL userinfo (`http://user:pass@host:2379`, `redis://:pass@host`, or as a backend
 * library echoes it, `dns:user:pass@host`). Every message that can contain a node
 * address goes through `redactUserinfo`.
 */
export const REDACTED_USERINFO = '***';

// An optional scheme (`http:`, `dns:`) and `//`, then the userinfo up to `@`.
const USERINFO = /((?:[a-z][a-z0-9+.-]*:)?(?:\/\/)?)([^\s/@"'(),;]+)@/gi;

/** `http://user:pass@host` → `http://***@host`; text without userinfo is returned unchanged. */
export function redactUserinfo(text: string): string {
  return text.replace(USERINFO, (_match, scheme: string) => `${scheme}${REDACTED_USERINFO}@`);
}
