/**
 * Per-plugin trust settings: the `[plugins.<name>]` tables of confd.toml and the
 * `--plugin-sha256 name=hex` flag. Each table is keyed by the plugin's name (the
 * `<name>` of `confd-database-<name>`, or of the backend). Unknown keys in a table are
 * errors, not warnings: a misspelt `sha256` must never silently leave a plugin unpinned.
 */
import { ConfdError } from '../errors.js';
import { normaliseFileKey } from './options.js';

export interface PluginSettings {
  /** Lower-case hex SHA-256 the plugin executable must have (go-plugin's SecureConfig). */
  sha256?: string;
  /** `unix:/path` or `tcp:127.0.0.1:PORT`: connect to a plugin that a supervisor runs. */
  reattach?: string;
  /** Run the plugin as this account (name or uid) when confd runs as root. */
  user?: string;
  /** … and with this group (name or gid); default: the user's primary group. */
  group?: string;
  /** Pass only these host environment variables (default: the whole environment, as go-plugin does). */
  envAllowlist?: string[];
}

const KEYS: Record<string, keyof PluginSettings> = {
  sha256: 'sha256',
  reattach: 'reattach',
  user: 'user',
  group: 'group',
  env_allowlist: 'envAllowlist',
};

interface Where {
  file?: string;
  line?: number;
}

function fail(setting: string, message: string, where: Where): never {
  throw new ConfdError(`${setting}: ${message}`, { setting, file: where.file, line: where.line });
}

const SHA256 = /^[0-9a-f]{64}$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

/** `unix:/abs/path`, `tcp:127.0.0.1:PORT`, `tcp:[::1]:PORT` or `tcp:localhost:PORT`. */
export function parseReattachAddress(text: string): { network: 'unix' | 'tcp'; address: string } | undefined {
  if (text.startsWith('unix:/')) return { network: 'unix', address: text.slice('unix:'.length) };
  const tcp = /^tcp:((?:127\.0\.0\.1|\[::1\]|localhost):\d{1,5})$/.exec(text);
  if (tcp && Number(tcp[1].split(':').at(-1)) <= 65535) return { network: 'tcp', address: tcp[1] };
  return undefined;
}

function checkValue(field: keyof PluginSettings, raw: unknown, setting: string, where: Where): PluginSettings[keyof PluginSettings] {
  if (field === 'envAllowlist') {
    if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) fail(setting, 'expected a list of environment variable names', where);
    return raw as string[];
  }
  if (typeof raw !== 'string' && !(typeof raw === 'number' && (field === 'user' || field === 'group'))) fail(setting, `expected a string, got ${typeof raw}`, where);
  const text = String(raw).trim();
  if (field === 'sha256' && !SHA256.test(text.toLowerCase())) fail(setting, `expected 64 hex digits (the output of sha256sum or \`confd plugins inspect\`), got ${JSON.stringify(text)}`, where);
  if (field === 'reattach' && !parseReattachAddress(text)) fail(setting, `expected "unix:/absolute/path" or "tcp:127.0.0.1:PORT" (loopback only), got ${JSON.stringify(text)}`, where);
  if ((field === 'user' || field === 'group') && !NAME.test(text)) fail(setting, `expected an account name or numeric id, got ${JSON.stringify(text)}`, where);
  return field === 'sha256' ? text.toLowerCase() : text;
}

/** Reads the `[plugins]` table: `{ <name>: { sha256, reattach, user, group, env_allowlist } }`. */
export function readPluginTables(raw: unknown, where: (key: string) => Where): Record<string, PluginSettings> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('plugins', 'expected tables such as [plugins.redis]', where('plugins'));
  const out: Record<string, PluginSettings> = {};
  for (const [name, table] of Object.entries(raw as Record<string, unknown>)) {
    const setting = `plugins.${name}`;
    if (table === null || typeof table !== 'object' || Array.isArray(table)) fail(setting, 'expected a table', where(name));
    const settings: PluginSettings = {};
    for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
      const field = KEYS[normaliseFileKey(key)];
      if (!field) fail(`${setting}.${key}`, `unknown plugin setting (known: ${Object.keys(KEYS).join(', ')})`, where(key));
      (settings as Record<string, unknown>)[field] = checkValue(field, value, `${setting}.${key}`, where(key));
    }
    out[name] = settings;
  }
  return out;
}

/** Applies `--plugin-sha256 name=hex` entries (they win over the file). */
export function applyPinFlags(plugins: Record<string, PluginSettings>, pins: readonly string[], setting = '--plugin-sha256'): Record<string, PluginSettings> {
  const out = { ...plugins };
  for (const pin of pins) {
    const eq = pin.indexOf('=');
    const name = pin.slice(0, eq).trim();
    if (eq <= 0 || !NAME.test(name)) fail(setting, `expected name=<64 hex digits>, got ${JSON.stringify(pin)}`, {});
    out[name] = { ...out[name], sha256: checkValue('sha256', pin.slice(eq + 1), setting, {}) as string };
  }
  return out;
}

/** Reattaching connects in plaintext (no handshake, so no certificates): refuse it when mTLS is required. */
export function checkPluginSettings(plugins: Record<string, PluginSettings>, requireMtls: boolean, file: string | undefined): void {
  for (const [name, settings] of Object.entries(plugins)) {
    if (settings.reattach && requireMtls) {
      throw new ConfdError(`plugins.${name}.reattach: a reattached plugin is reached in plaintext (there is no handshake to exchange certificates), but plugin_require_mtls is set`, {
        setting: `plugins.${name}.reattach`,
        file,
      });
    }
    if (settings.reattach && (settings.sha256 || settings.user || settings.group || settings.envAllowlist)) {
      throw new ConfdError(`plugins.${name}: reattach connects to a plugin that something else runs; sha256, user, group and env_allowlist apply only to plugins confd starts`, {
        setting: `plugins.${name}.reattach`,
        file,
      });
    }
  }
}
