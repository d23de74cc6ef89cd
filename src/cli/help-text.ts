/** The prose around commander's generated help: confd's classic invocation and examples. */

export const CLASSIC_HELP = `
confd's classic flags work unchanged (one dash or two, as with Go's flag package):
  confd -onetime -backend env -confdir /etc/confd          = confd render --backend env --confdir /etc/confd
  confd -watch -backend etcd -node http://127.0.0.1:2379   = confd watch --backend etcd --node http://127.0.0.1:2379
  confd -interval 60 -backend env                          = confd watch --watch=false --interval 60 --backend env
  confd -version                                           = confd version
Every confd 0.16/0.17 flag is accepted, also in confd.toml; flags for backends that are
not built in (-auth-token, -table, -app-id, …) are passed to the backend plugin.`;

export const RENDER_EXAMPLES = `
Examples:
  confd render --backend file --file values.yaml --confdir ./templates
  confd render --backend etcd --node http://127.0.0.1:2379 --noop --diff
  confd render --backend etcd --srv-domain example.com --scheme https
  confd render --backend vault --auth-type token --auth-token "$VAULT_TOKEN"   # a confd-database-vault plugin
  confd render --stdout --backend env    # print every rendered file with a header; write nothing`;

export const CHECK_EXAMPLES = `
Examples:
  confd check --confdir /etc/confd                      # offline: no backend is contacted
  confd render --check-config --confdir /etc/confd      # the same check, abtreece's flag
  confd render --preflight --backend etcd --node http://127.0.0.1:2379   # connect, fetch, report`;

export const WATCH_EXAMPLES = `
Examples:
  confd watch --backend etcd --node http://127.0.0.1:2379 --wait 2s:10s
  confd watch --backend env --interval 30     # env cannot be watched: polled every 30 s
  confd watch --backend redis --interval 0    # no periodic full pass: watch events only
  confd watch --backend etcd --metrics-addr 127.0.0.1:9100   # /metrics, /health, /ready
  confd watch --backend etcd --exec "nginx -g 'daemon off;'" --exec-reload-signal SIGHUP   # supervise nginx`;

export const PROGRAM_EXAMPLES = `${CLASSIC_HELP}

Examples:
  confd render --backend file --file values.yaml --confdir ./templates
  confd watch --backend etcd --node http://127.0.0.1:2379
  confd check --confdir /etc/confd    # offline: every resource, template and backend name
  confd render --help    # every settings flag, with its default and CONFD_* variable
  confd plugins list --plugin-dir /usr/local/lib/confd/plugins`;
