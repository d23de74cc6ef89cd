/**
 * Builds the Go test plugin and the Go test host against Debian's go-plugin 1.0.1, in
 * GOPATH mode against /usr/share/gocode (see ../shared/reference/toolchain.md): stubs
 * come from our own database.proto via protoc-gen-go. Built once per run into a temp
 * GOPATH keyed by the sources' hash.
 */
import { execFileSync, spawn } from 'node:child_process';
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

export interface HostRun {
  lines: string[];
  code: number | null;
  stderr: string;
}

/**
 * Runs the Go go-plugin host against `pluginCommand`; `whenWatching` runs once it prints
 * WATCHING (to make a change).
 */
export function runGoHost(hostBinary: string, args: string[], pluginCommand: string[], env: Record<string, string> = {}, whenWatching?: () => void): Promise<HostRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(hostBinary, [...args, '--', ...pluginCommand], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (whenWatching && out.includes('WATCHING\n')) {
        const run = whenWatching;
        whenWatching = undefined;
        // The watch is set up asynchronously on the plugin side after the stream opens.
        setTimeout(run, 1000);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ lines: out.trim().split('\n'), code, stderr });
    });
  });
}
