/**
 * confd's classic Go-flag invocation keeps working: `confd -onetime -backend env
 * -confdir X` means `confd render --backend env --confdir X`; `confd -watch …` means
 * `confd watch …`; with neither, confd's default interval mode becomes
 * `confd watch --watch=false` (poll every --interval). Single and double dashes are
 * equivalent, as with Go's flag package — also after a subcommand (`confd render
 * -backend env`).
 */
const SUBCOMMANDS = new Set(['render', 'watch', 'check', 'plugins', 'version', 'internal-plugin', 'help']);
const TOP_LEVEL = new Set(['-h', '--help', '-help', '-V', '--version', '-version']);
/** Commander's own short flags, which keep their single dash. */
const SHORT_FLAGS = new Set(['-h', '-V']);

function isFlag(arg: string): boolean {
  return arg.startsWith('-') && arg !== '-' && arg !== '--';
}

function boolValue(arg: string): boolean {
  const eq = arg.indexOf('=');
  if (eq < 0) return true;
  return !['false', '0', 'f', 'F', 'FALSE', 'False'].includes(arg.slice(eq + 1));
}

function flagName(arg: string): string {
  return arg.replace(/^--?/, '').split('=')[0];
}

/** `-backend` → `--backend`; `--backend`, `-h`, values and everything after `--` unchanged. */
function doubleDash(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  return args.map((arg, i) => ((end < 0 || i < end) && /^-[A-Za-z][\w-]+(=|$)/.test(arg) && !SHORT_FLAGS.has(arg) ? `-${arg}` : arg));
}

/** Returns argv (without node and script) rewritten to a subcommand form, or unchanged. */
export function translateClassicArgs(args: readonly string[]): string[] {
  if (args.length === 0 || !isFlag(args[0])) {
    return SUBCOMMANDS.has(args[0]) && args[0] !== 'internal-plugin' ? [args[0], ...doubleDash(args.slice(1))] : [...args];
  }
  if (args.length === 1 && TOP_LEVEL.has(args[0])) {
    return [args[0] === '-version' ? 'version' : args[0] === '-help' ? '--help' : args[0]];
  }
  let onetime = false;
  let watch = false;
  const rest: string[] = [];
  for (const arg of args) {
    if (!isFlag(arg)) {
      rest.push(arg);
      continue;
    }
    const name = flagName(arg);
    const long = arg.startsWith('--') ? arg : `-${arg}`;
    if (name === 'onetime') onetime = boolValue(arg);
    else if (name === 'watch') watch = boolValue(arg);
    // confd prints its version and exits, whatever else is given.
    else if (name === 'version' && boolValue(arg)) return ['version'];
    else if (name === 'help' || name === 'h') rest.push('--help');
    else rest.push(long);
  }
  if (onetime) return ['render', ...rest];
  return ['watch', `--watch=${watch}`, ...rest];
}
