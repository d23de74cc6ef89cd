/** A validated `[template]` resource from conf.d, with every path and key resolved. */
import type { WaitSpec } from '../config/settings.js';
import type { TemplateEngineName } from '../template/language.js';
import type { SyncTarget } from './sync/index.js';

/** Everything sync needs (dest, mode, owner, commands, timeouts), plus what rendering needs. */
export interface TemplateResource extends SyncTarget {
  /** The conf.d file it came from (absolute); names the resource in errors and logs. */
  file: string;
  /** Absolute template path (`<confdir>/templates/<src>`). */
  src: string;
  /** The template language: `engine` in `[template]`, else the global `template_engine` (default handlebars). */
  engine?: TemplateEngineName;
  /** Effective prefix: global prefix joined with the resource prefix, cleaned (`/` when none). */
  prefix: string;
  /** Keys as the backend sees them: prefix joined with each resource key, cleaned. */
  keys: string[];
  /** Per-resource debounce for `watch`; overrides the global one. */
  wait?: WaitSpec;
}
