/**
 * After the handshake, stdout belongs to the protocol: anything the plugin's code prints
 * there is captured and streamed to the host over GRPCStdio, as go-plugin does, instead
 * of corrupting the host's view of stdout.
 */
import type { ServerWritableStream } from '@grpc/grpc-js';

type StdioStream = ServerWritableStream<unknown, { channel: string; data: Buffer }>;

export class StdioForwarder {
  private readonly streams = new Set<StdioStream>();
  private readonly pending: Buffer[] = [];

  /** Replaces process.stdout.write; returns the original for the handshake. */
  captureStdout(): (text: string) => void {
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.send(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
    return (text) => void original(text);
  }

  attach(stream: StdioStream): void {
    this.streams.add(stream);
    for (const chunk of this.pending.splice(0)) stream.write({ channel: 'STDOUT', data: chunk });
    const detach = () => this.streams.delete(stream);
    stream.on('cancelled', detach);
    stream.on('close', detach);
  }

  private send(data: Buffer): void {
    if (this.streams.size === 0) {
      // Keep a little for a host that attaches later; drop the rest rather than grow forever.
      if (this.pending.length < 64) this.pending.push(data);
      return;
    }
    for (const stream of this.streams) stream.write({ channel: 'STDOUT', data });
  }
}
