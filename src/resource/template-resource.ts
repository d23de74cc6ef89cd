/** A validated `[template]` resource from conf.d, with every path and key resolved. */
import type { WaitSpec } from '../config/settings.js';
import type { TemplateEngineName } from '../config/template-engine.js';
import type { SyncTarget } from './sync/index.js';

/** Everything sync needs (dest, mode, owner, commands, timeouts), plus what rendering needs. */
export interface TemplateResource extends SyncTarget {
  /** The conf.d file it came from (absolute); names the resource in errors and logs. */
  file: string;
  /** Absolute template path (`<confdir>/templates/<src>`). */
  src: string;
  /** The template language: `engine` in `[template]`, else the global `template_engine` (default handlebars). */
  engine?: TemplateEngineName;
  /**
   * The resource's prefix, cleaned (`/` when none). A backend's own `prefix` setting is
   * applied by the backend (src/backends), in front of this, for every backend alike.
   */
  prefix: string;
  /** The resource's keys: prefix joined with each key, cleaned. */
  keys: string[];
  /**
   * The backends whose keys it reads, in merge order (a later one wins for a key both
   * hold); `["default"]` unless `backend`/`backends` names others.
   */
  backends: string[];
  /** Per-resource debounce for `watch`; overrides the global one. */
  wait?: WaitSpec;
  /** Empty-snapshot guard: fewer entries under `keys` than this fails the resource (0 = off). */
  minKeys?: number;
}
