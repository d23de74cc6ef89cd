/** A validated `[template]` resource from conf.d, with every path and key resolved. */
import type { WaitSpec } from '../config/settings.js';

export interface TemplateResource {
  /** The conf.d file it came from (absolute); names the resource in errors and logs. */
  file: string;
  /** Absolute template path (`<confdir>/templates/<src>`). */
  src: string;
  /** Absolute destination path. */
  dest: string;
  /** Effective prefix: global prefix joined with the resource prefix, cleaned (`/` when none). */
  prefix: string;
  /** Keys as the backend sees them: prefix joined with each resource key, cleaned. */
  keys: string[];
  /** File mode bits; undefined keeps the dest's current mode, or 0644 for a new file. */
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  checkCmd?: string;
  reloadCmd?: string;
  makeDirectories: boolean;
  checkCmdTimeoutMs: number;
  reloadCmdTimeoutMs: number;
  /** Per-resource debounce for `watch`; overrides the global one. */
  wait?: WaitSpec;
}
