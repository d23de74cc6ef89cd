/** The gRPC handlers that put a Database (and go-plugin's own services) on the wire. */
import type { sendUnaryData, ServerDuplexStream, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { WatchUnsupportedError, type Database } from '../../database/database.js';
import type { Logger } from '../../log/logger.js';
import { HEALTH_SERVICE_NAME } from '../protocol/constants.js';
import { GrpcStatus } from '../protocol/status-codes.js';

function grpcError(error: unknown, code: number = GrpcStatus.UNKNOWN): { code: number; details: string } {
  return { code, details: error instanceof Error ? error.message : String(error) };
}

function unary<Req, Res>(run: (request: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    run(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => callback(grpcError(error)),
    );
  };
}

export interface PluginIdentity {
  name: string;
  version: string;
}

export function databaseHandlers(database: Database, logger: Logger): UntypedServiceImplementation {
  return {
    Configure: unary<{ config: Record<string, string> }, object>(async ({ config }) => {
      await database.configure(config ?? {});
      return {};
    }),
    GetValues: unary<{ keys: string[] }, { values: Record<string, string> }>(async ({ keys }) => ({ values: await database.getValues(keys ?? []) })),
    WatchPrefix: (call: ServerWritableStream<{ prefix: string; keys: string[] }, object>) => {
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      call.on('close', () => abort.abort());
      void (async () => {
        try {
          for await (const _ of database.watchPrefix(call.request.prefix, call.request.keys ?? [], abort.signal)) {
            if (abort.signal.aborted) break;
            call.write({});
          }
          call.end();
        } catch (error) {
          if (abort.signal.aborted) return;
          // grpc-js sends a server stream's status from an 'error' event.
          if (error instanceof WatchUnsupportedError) call.emit('error', grpcError(error, GrpcStatus.UNIMPLEMENTED));
          else {
            logger.error(`watch of ${call.request.prefix} failed: ${(error as Error).message}`);
            call.emit('error', grpcError(error));
          }
        }
      })();
    },
  };
}

export function infoHandlers(database: Database, identity: PluginIdentity): UntypedServiceImplementation {
  return {
    GetInfo: unary(async () => ({ name: identity.name, version: identity.version, can_watch: database.canWatch ?? true })),
  };
}

export function healthHandlers(): UntypedServiceImplementation {
  const status = (service: string) => (service === '' || service === HEALTH_SERVICE_NAME ? 'SERVING' : undefined);
  return {
    Check: (call: ServerUnaryCall<{ service: string }, { status: string }>, callback: sendUnaryData<{ status: string }>) => {
      const s = status(call.request.service);
      if (s) callback(null, { status: s });
      else callback({ code: GrpcStatus.NOT_FOUND, details: `unknown service ${call.request.service}` });
    },
    Watch: (call: ServerWritableStream<{ service: string }, { status: string }>) => {
      call.write({ status: status(call.request.service) ?? 'SERVICE_UNKNOWN' });
    },
  };
}

/** Held open and ignored: confd never brokers sub-connections. */
export function brokerHandlers(): UntypedServiceImplementation {
  return {
    StartStream: (call: ServerDuplexStream<unknown, unknown>) => {
      call.on('data', () => {});
      call.on('end', () => call.end());
    },
  };
}
