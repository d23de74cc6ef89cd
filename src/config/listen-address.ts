/** `host:port` for a listener (`--metrics-addr`): `127.0.0.1:9100`, `[::1]:9100`, or `:9100` (every interface). */
export interface ListenAddress {
  /** Empty: every interface. */
  host: string;
  port: number;
}

/** Undefined when `text` is not `host:port` with a port from 0 to 65535. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  return { host: match[1] ?? match[2], port };
}
