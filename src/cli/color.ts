/**
 * Whether to colour what confd prints (the `--noop --diff` output): `--color always`
 * or `never` decides; `auto` follows the conventions users set once for every tool —
 * FORCE_COLOR (force-color.org; `0`/`false` turn it off, as in Node), then NO_COLOR
 * (no-color.org: set and non-empty), then "is it a terminal, and not TERM=dumb".
 */
import type { ColorMode } from '../config/settings.js';

export function shouldColor(mode: ColorMode, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (mode !== 'auto') return mode === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
