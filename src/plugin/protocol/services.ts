/**
 * Loads the protocol's .proto files (shipped next to the compiled code) into grpc-js
 * service definitions. Loaded lazily: only plugin hosts and plugins pay for grpc.
 */
import { fileURLToPath } from 'node:url';
import type { GrpcObject, ServiceClientConstructor, ServiceDefinition } from '@grpc/grpc-js';

const PROTO_DIR = fileURLToPath(new URL('./proto/', import.meta.url));
const FILES = ['database.proto', 'confd_info.proto', 'grpc_controller.proto', 'grpc_stdio.proto', 'grpc_broker.proto', 'health.proto'];

export interface ProtocolServices {
  Database: ServiceClientConstructor;
  Info: ServiceClientConstructor;
  GRPCController: ServiceClientConstructor;
  GRPCStdio: ServiceClientConstructor;
  GRPCBroker: ServiceClientConstructor;
  Health: ServiceClientConstructor;
}

let loaded: Promise<ProtocolServices> | undefined;

export function loadServices(): Promise<ProtocolServices> {
  loaded ??= (async () => {
    const [grpc, protoLoader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
    const definition = await protoLoader.load(FILES, {
      includeDirs: [PROTO_DIR],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const root = grpc.loadPackageDefinition(definition) as GrpcObject & Record<string, GrpcObject>;
    const pick = (path: string): ServiceClientConstructor => {
      let node: unknown = root;
      for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
      return node as ServiceClientConstructor;
    };
    return {
      Database: pick('proto.Database'),
      Info: pick('confd.plugin.Info'),
      GRPCController: pick('plugin.GRPCController'),
      GRPCStdio: pick('plugin.GRPCStdio'),
      GRPCBroker: pick('plugin.GRPCBroker'),
      Health: pick('grpc.health.v1.Health'),
    };
  })();
  return loaded;
}

export type { ServiceDefinition };
