/**
 * Named backends: `[backends.<name>]` tables in confd.toml (a `backends:` map in YAML),
 * each holding the backend settings a top-level config holds (`backend`, `nodes`,
 * `prefix`, TLS, auth, `[backends.<name>.backend_config]`). A resource names the ones it
 * reads with `backend = "<name>"` or `backends = [...]`; the top level is `default`.
 *
 * A named backend starts from the defaults, not from the top-level backend: a second
 * etcd cluster does not silently inherit the first one's nodes or password. Global
 * settings (plugin directories, timeouts, modes) are shared by every backend.
 */
import { ConfdError } from '../errors.js';
import { coerceValue } from './coerce.js';
import { normaliseFileKey, OPTIONS, type OptionSpec } from './options.js';
import { DEFAULT_BACKEND, defaultSettings, type NamedBackendSettings, type Settings } from './settings.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const BACKEND_SPECS = new Map<string, OptionSpec>();
for (const spec of OPTIONS) {
  if (spec.scope === 'backend') for (const key of spec.fileKeys) BACKEND_SPECS.set(normaliseFileKey(key), spec);
}
const GLOBAL_KEYS = new Set(OPTIONS.filter((s) => s.scope !== 'backend').flatMap((s) => s.fileKeys.map(normaliseFileKey)));

/** The fields a named backend may set: exactly those with `scope: 'backend'`, and backend_config. */
const BACKEND_FIELDS: readonly (keyof Settings)[] = [...new Set([...BACKEND_SPECS.values()].map((s) => s.field)), 'backendConfig'];

export interface LineFinder {
  (key: string): number | undefined;
}

/**
 * Parses the `backends` table of a config file. `toStringMap` reads a
 * `backend_config` table the same way the top level does.
 */
export function readNamedBackends(
  raw: unknown,
  file: string,
  lineOf: LineFinder,
  toStringMap: (raw: unknown, setting: string, line: number | undefined) => Record<string, string>,
): Record<string, NamedBackendSettings> {
  const tableLine = lineOf('backends');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfdError('backends: expected a table of named backends ([backends.<name>])', { file, line: tableLine, setting: 'backends' });
  }
  const named: Record<string, NamedBackendSettings> = {};
  for (const [name, table] of Object.entries(raw as Record<string, unknown>)) {
    const line = lineOf(`backends.${name}`) ?? tableLine;
    const where = (setting: string) => ({ file, line, setting });
    if (name === DEFAULT_BACKEND) {
      throw new ConfdError(`backends.${name}: "default" is the top-level backend; set its options at the top level`, where(`backends.${name}`));
    }
    if (!NAME.test(name)) throw new ConfdError(`backends.${name}: a backend name is letters, digits, '_' and '-'`, where(`backends.${name}`));
    if (table === null || typeof table !== 'object' || Array.isArray(table)) {
      throw new ConfdError(`backends.${name}: expected a table of backend settings`, where(`backends.${name}`));
    }
    const values: Partial<Settings> = {};
    for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
      const normalised = normaliseFileKey(key);
      const setting = `backends.${name}.${key}`;
      if (normalised === 'backend_config') {
        values.backendConfig = toStringMap(value, setting, lineOf(`backends.${name}.${key}`) ?? line);
        continue;
      }
      const spec = BACKEND_SPECS.get(normalised);
      if (!spec) {
        const why = GLOBAL_KEYS.has(normalised) ? 'is a global setting: set it at the top level' : 'is not a backend setting';
        throw new ConfdError(`${setting} ${why}`, where(setting));
      }
      (values as Record<string, unknown>)[spec.field] = coerceValue(spec, value, { setting, file, line });
    }
    if (!values.backend) throw new ConfdError(`backends.${name}: missing "backend" (which backend this is: etcd, redis, file, a plugin …)`, where(`backends.${name}.backend`));
    named[name] = { values, file, line };
  }
  return named;
}

/** Every backend name a resource may use: `default` first, then the named ones. */
export function backendNames(settings: Settings): string[] {
  return [DEFAULT_BACKEND, ...Object.keys(settings.namedBackends).sort()];
}

/**
 * The settings one backend is opened with: the top level for `default`; for a named
 * backend, its own backend settings over the defaults, with the global settings shared.
 */
export function settingsForBackend(settings: Settings, name: string): Settings {
  if (name === DEFAULT_BACKEND) return settings;
  const named = settings.namedBackends[name];
  if (!named) throw new ConfdError(`no backend named "${name}"`, { setting: 'backend' });
  const fresh = defaultSettings();
  const own: Record<string, unknown> = {};
  for (const field of BACKEND_FIELDS) own[field] = named.values[field] ?? fresh[field];
  return { ...settings, ...(own as Partial<Settings>) };
}
