/**
 * Calling a plugin: unary calls as promises, and errors that name the plugin and its
 * path. Used by the launcher (health, info, shutdown) and the plugin-backed Database.
 */
import type { Client, ServiceError } from '@grpc/grpc-js';
import { ConfdError } from '../../errors.js';

export { GrpcStatus } from '../protocol/status-codes.js';
export { describeExit, type ExitStatus } from '../../process/exit-status.js';

type UnaryMethod<Res> = (request: object, options: object, callback: (error: ServiceError | null, response: Res) => void) => void;

/** Calls a unary RPC as a promise, with a deadline when `deadlineMs` is given. */
export function callUnary<Res>(client: Client, method: string, request: object, deadlineMs?: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, UnaryMethod<Res>>)[method];
    const options = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
    fn.call(client, request, options, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

/** `plugin <name> (<path>): <message>`, with the plugin in the error's context. */
export function pluginError(name: string, path: string, message: string): ConfdError {
  return new ConfdError(`plugin ${name} (${path}): ${message}`, { backend: name, pluginPath: path });
}
