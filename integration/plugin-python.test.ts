/** A Python plugin on python3-grpcio renders the fixture byte-identical under our host. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CANONICAL_DATA, prepareFixture, readOutputs, type PreparedFixture } from '../test/fixture/prepare.js';
import { REPO_ROOT, runConfd } from '../test/helpers/run-confd.js';
import { newMarker, processesWithMarker } from './helpers/processes.js';
import { generatePythonStubs, PYTHON_INSTALL_HINT, pythonGrpcAvailable } from './helpers/python-stubs.js';
import { requireTool } from './helpers/require-tool.js';

const havePython = requireTool(pythonGrpcAvailable(), 'python3-grpcio and python3-grpc-tools', PYTHON_INSTALL_HINT);
const PY_DIR = join(REPO_ROOT, 'integration', 'plugins', 'python');
let fixture: PreparedFixture | undefined;
afterEach(() => fixture?.cleanup());

describe.runIf(havePython)('Python plugin', () => {
  it('renders the fixture byte-identical, found on PATH, and leaves no process behind', async () => {
    const stubs = generatePythonStubs();
    fixture = prepareFixture();
    const dataFile = join(fixture.root, 'data.json');
    writeFileSync(dataFile, JSON.stringify(CANONICAL_DATA));
    writeFileSync(join(fixture.confdir, 'confd.toml'), `[backend_config]\ndataFile = "${dataFile}"\n`);
    const marker = newMarker();
    const run = await runConfd(['render', '--backend', 'pymem', '--confdir', fixture.confdir], {
      env: { HOSTNAME: 'localhost', PATH: `${PY_DIR}:${process.env.PATH}`, PYTHONPATH: stubs, CONFD_TEST_MARKER: marker },
    });
    expect(run.stderr).not.toMatch(/ERROR/);
    expect(run.code).toBe(0);
    for (const { name, actual, expected } of readOutputs(fixture.outDir)) expect(actual, name).toBe(expected);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('confd plugins inspect shows it and its handshake', async () => {
    const stubs = generatePythonStubs();
    const run = await runConfd(['plugins', 'inspect', 'pymem'], { env: { PATH: `${PY_DIR}:${process.env.PATH}`, PYTHONPATH: stubs } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`path:       ${join(PY_DIR, 'confd-database-pymem')}`);
    expect(run.stdout).toMatch(/handshake: {2}1\|1\|unix\|\S+plugin\.sock\|grpc\|/);
  });
});
