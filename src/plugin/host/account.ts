/**
 * `[plugins.<name>] user = "…"` / `group = "…"`: the account a plugin runs as. Names are
 * looked up with getent, so NSS sources (LDAP, sssd) work as they do for other tools.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface Account {
  uid: number;
  gid: number;
  /** For messages: `nobody (65534:65534)`. */
  label: string;
}

const run = promisify(execFile);

async function getent(database: 'passwd' | 'group', key: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await run('getent', [database, key], { timeout: 10_000 });
    return stdout.split('\n')[0].split(':');
  } catch {
    return undefined;
  }
}

export async function resolveAccount(user: string, group: string | undefined): Promise<Account> {
  const passwd = await getent('passwd', user);
  if (!passwd && !/^\d+$/.test(user)) throw new Error(`user ${JSON.stringify(user)} does not exist`);
  const uid = passwd ? Number(passwd[2]) : Number(user);
  let gid = passwd ? Number(passwd[3]) : uid;
  if (group !== undefined) {
    const entry = await getent('group', group);
    if (!entry && !/^\d+$/.test(group)) throw new Error(`group ${JSON.stringify(group)} does not exist`);
    gid = entry ? Number(entry[2]) : Number(group);
  }
  const current = process.getuid?.();
  if (current !== 0 && current !== uid) throw new Error(`cannot run the plugin as user ${user}: confd is not running as root`);
  return { uid, gid, label: `${user} (${uid}:${gid})` };
}
