/**
 * What classic confd accepts, as facts for the drop-in tests.
 *
 * CONFD_FLAGS: every flag of `confd -h` from kelseyhightower/confd master (0.17.0-dev),
 * plus `-secret-keyring`, which 0.16.0 had and master removed. Each has a sample value
 * (none for booleans) that renders with the env backend.
 *
 * CONFD_FILE_KEYS: every key confd's confd.toml decoding fills: the tagged fields of
 * Config, backends.Config and template.Config, the untagged ones BurntSushi/toml matches
 * case-insensitively (onetime, printversion, configfile, keepstagefile, configdir,
 * templatedir, role), and 0.16's secret_keyring.
 */
export interface ConfdFlag {
  name: string;
  /** undefined: a boolean flag. */
  value?: string;
}

export const CONFD_FLAGS: readonly ConfdFlag[] = [
  { name: 'app-id', value: 'app-1' },
  { name: 'auth-token', value: 'token-1' },
  { name: 'auth-type', value: 'token' },
  { name: 'backend', value: 'env' },
  { name: 'basic-auth' },
  { name: 'client-ca-keys', value: '/nonexistent/ca.pem' },
  { name: 'client-cert', value: '/nonexistent/client.pem' },
  { name: 'client-insecure' },
  { name: 'client-key', value: '/nonexistent/client.key' },
  { name: 'confdir', value: '<confdir>' },
  { name: 'config-file', value: '<confdir>/confd.toml' },
  { name: 'file', value: '/nonexistent/values.yaml' },
  { name: 'filter', value: '*.yaml' },
  { name: 'interval', value: '5' },
  { name: 'keep-stage-file' },
  { name: 'log-level', value: 'debug' },
  { name: 'node', value: '127.0.0.1:1' },
  { name: 'noop' },
  { name: 'onetime' },
  { name: 'password', value: 'password-1' },
  { name: 'path', value: 'approle' },
  { name: 'prefix', value: '/app' },
  { name: 'role-id', value: 'role-1' },
  { name: 'scheme', value: 'https' },
  { name: 'secret-id', value: 'secret-1' },
  { name: 'secret-keyring', value: '/nonexistent/keyring.gpg' },
  { name: 'separator', value: ':' },
  { name: 'srv-domain', value: 'example.test' },
  { name: 'srv-record', value: '_etcd-client._tcp.example.test' },
  { name: 'sync-only' },
  { name: 'table', value: 'table-1' },
  { name: 'user-id', value: 'user-1' },
  { name: 'username', value: 'user' },
  { name: 'version' },
  { name: 'watch' },
];

export const CONFD_FILE_KEYS: readonly string[] = [
  // main.Config
  'interval', 'srv_domain', 'srv_record', 'log-level', 'watch', 'printversion', 'configfile', 'onetime',
  // template.Config
  'confdir', 'configdir', 'keepstagefile', 'noop', 'prefix', 'sync-only', 'templatedir',
  // backends.Config
  'auth_token', 'auth_type', 'backend', 'basic_auth', 'client_cakeys', 'client_cert', 'client_key', 'client_insecure',
  'nodes', 'password', 'scheme', 'table', 'separator', 'username', 'app_id', 'user_id', 'role_id', 'secret_id',
  'file', 'filter', 'path', 'role',
  // 0.16.0 only
  'secret_keyring',
];
