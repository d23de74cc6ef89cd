/**
 * Resolves `owner`/`group` names to ids: /etc/passwd and /etc/group first, then
 * `getent` (for NSS sources such as LDAP). Numeric `uid`/`gid` win over names.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ConfdError } from '../../errors.js';

const execFileAsync = promisify(execFile);

async function fromFile(path: string, name: string): Promise<number | undefined> {
  try {
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      const fields = line.split(':');
      if (fields[0] === name && fields.length > 2) return Number(fields[2]);
    }
  } catch {
    /* no such file: try getent */
  }
  return undefined;
}

async function fromGetent(database: 'passwd' | 'group', name: string): Promise<number | undefined> {
  try {
    const { stdout } = await execFileAsync('getent', [database, name]);
    const id = Number(stdout.split(':')[2]);
    return Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

async function lookup(database: 'passwd' | 'group', name: string): Promise<number | undefined> {
  if (/^\d+$/.test(name)) return Number(name);
  return (await fromFile(`/etc/${database}`, name)) ?? (await fromGetent(database, name));
}

export interface Ownership {
  uid: number;
  gid: number;
}

export interface OwnerSpec {
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  file?: string;
}

/** The uid/gid a dest should have; defaults to this process's effective ids, as in confd. */
export async function resolveOwnership(spec: OwnerSpec): Promise<Ownership> {
  let uid = spec.uid;
  if (uid === undefined && spec.owner) {
    uid = await lookup('passwd', spec.owner);
    if (uid === undefined) throw new ConfdError(`owner: unknown user "${spec.owner}"`, { resource: spec.file, setting: 'owner' });
  }
  let gid = spec.gid;
  if (gid === undefined && spec.group) {
    gid = await lookup('group', spec.group);
    if (gid === undefined) throw new ConfdError(`group: unknown group "${spec.group}"`, { resource: spec.file, setting: 'group' });
  }
  return { uid: uid ?? process.geteuid?.() ?? 0, gid: gid ?? process.getegid?.() ?? 0 };
}
