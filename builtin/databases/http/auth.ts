/**
 * The Authorization header: `Bearer <auth_token>`, or basic auth from username and
 * password (or from credentials written in the URL). One scheme per backend: both a
 * token and a username is a mistake worth reporting.
 */
import type { DatabaseConfig } from '../../../src/database/database.js';
import { ConfdError } from '../../../src/errors.js';

export function authorizationHeader(config: DatabaseConfig): string | undefined {
  const token = config.authToken ?? '';
  const username = config.username ?? '';
  if (token && username) {
    throw new ConfdError('set either auth_token or username and password, not both', { backend: 'http', setting: 'auth_token' });
  }
  if (config.basicAuth === 'true' && !username) throw new ConfdError('basic_auth needs a username', { backend: 'http', setting: 'username' });
  if (token) return `Bearer ${token}`;
  if (username) return basic(username, config.password ?? '');
  return undefined;
}

/** Credentials in `https://user:pass@host/…`, as a header; undefined without them. */
export function urlAuthorization(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return basic(decodeURIComponent(url.username), decodeURIComponent(url.password));
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
