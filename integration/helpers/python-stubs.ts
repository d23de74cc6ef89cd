/** Generates Python gRPC stubs from confd's .proto files with grpc_tools (python3-grpc-tools). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/helpers/run-confd.js';
import { hasCommand } from './require-tool.js';

const PROTO_DIR = join(REPO_ROOT, 'src', 'plugin', 'protocol', 'proto');
export const PYTHON = '/usr/bin/python3';
export const PYTHON_INSTALL_HINT = 'apt-get install -y python3-grpcio python3-grpc-tools';

export function pythonGrpcAvailable(): boolean {
  return hasCommand(PYTHON, ['-c', 'import grpc, grpc_tools']);
}

/** Returns a directory to put on PYTHONPATH. */
export function generatePythonStubs(): string {
  const out = mkdtempSync(join(tmpdir(), 'confd-pystubs-'));
  execFileSync(PYTHON, ['-m', 'grpc_tools.protoc', '-I', PROTO_DIR, `--python_out=${out}`, `--grpc_python_out=${out}`, 'database.proto', 'grpc_controller.proto', 'health.proto'], {
    stdio: 'pipe',
  });
  return out;
}
