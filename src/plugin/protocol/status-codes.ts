/**
 * The gRPC status codes the host and the SDK use, inlined so neither side needs a
 * runtime import of grpc-js to name them (values from grpc's status code table).
 */
export const GrpcStatus = {
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;
