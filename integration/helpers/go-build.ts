/**
 * Builds the Go test plugin and the Go test host against Debian's go-plugin 1.0.1, in
 * GOPATH mode against /usr/share/gocode (see ../shared/reference/toolchain.md): stubs
 * come from our own database.proto via protoc-gen-go. Built once per run into a temp
 * GOPATH keyed by the sources' hash.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/helpers/run-confd.js';
import { hasCommand } from './require-tool.js';

const GO_DIR = join(REPO_ROOT, 'integration', 'plugins', 'go');
const PROTO = join(REPO_ROOT, 'src', 'plugin', 'protocol', 'proto', 'database.proto');

export interface GoBinaries {
  plugin: string;
  host: string;
}

export function goToolchainAvailable(): boolean {
  return hasCommand('go', ['version']) && hasCommand('protoc', ['--version']) && existsSync('/usr/share/gocode/src/github.com/hashicorp/go-plugin/client.go')
    && existsSync('/usr/share/gocode/src/google.golang.org/grpc') && existsSync('/usr/share/gocode/src/golang.org/x/net');
}

export const GO_INSTALL_HINT =
  'apt-get install -y golang-go golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev golang-golang-x-net-dev protobuf-compiler golang-goprotobuf-dev';

export function buildGoBinaries(): GoBinaries {
  const sources = ['shared/shared.go', 'plugin/main.go', 'host/main.go'].map((f) => readFileSync(join(GO_DIR, f)));
  const hash = createHash('sha256').update(Buffer.concat([...sources, readFileSync(PROTO)])).digest('hex').slice(0, 12);
  const gopath = join(tmpdir(), `confd-go-${hash}`);
  const out = { plugin: join(gopath, 'bin', 'confd-database-gotest'), host: join(gopath, 'bin', 'gohost') };
  if (existsSync(out.plugin) && existsSync(out.host)) return out;

  const src = join(gopath, 'src', 'confdtest');
  mkdirSync(join(src, 'proto'), { recursive: true });
  mkdirSync(join(gopath, 'bin'), { recursive: true });
  writeFileSync(join(src, 'proto', 'database.proto'), readFileSync(PROTO, 'utf8').replace(/option go_package = "[^"]*";/, 'option go_package = "confdtest/proto";'));
  for (const dir of ['shared', 'plugin', 'host']) cpSync(join(GO_DIR, dir), join(src, dir), { recursive: true });
  execFileSync('protoc', ['--go_out=plugins=grpc:.', '--go_opt=paths=source_relative', 'database.proto'], { cwd: join(src, 'proto'), stdio: 'pipe' });
  const env = { ...process.env, GOPATH: `${gopath}:/usr/share/gocode`, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(gopath, '.cache') };
  execFileSync('go', ['build', '-o', out.plugin, '.'], { cwd: join(src, 'plugin'), env, stdio: 'pipe' });
  execFileSync('go', ['build', '-o', out.host, '.'], { cwd: join(src, 'host'), env, stdio: 'pipe' });
  return out;
}
