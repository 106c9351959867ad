// The machine and versions a run measured, for RESULTS.md and the JSON file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { OurSide } from './figures';
import { PYTHON, ROOT } from './paths';

export interface MachineInfo {
  date: string;
  commit: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  loadAverageAtStart: number[];
  /** Filled in when the measurements are done: the machine is shared with other work. */
  loadAverageAtEnd?: number[];
  node: string;
  /** The Node each of our sides ran on. */
  nodeVersions?: Record<OurSide, string>;
  python?: string;
  openssl: string;
  go: string;
  libraries: Record<string, string>;
  /** Sections measured again later with `--only`, on top of this run (newest last). */
  reruns?: { sections: string[]; date: string; commit: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] }[];
}

/** The versions of the Node binaries our sides run on, by side. */
export function machineInfo(nodeOf: Record<OurSide, string>): MachineInfo {
  return {
    date: new Date().toISOString(),
    commit: quiet('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: loadAverage(),
    node: process.version,
    nodeVersions: Object.fromEntries(Object.entries(nodeOf).map(([side, bin]) => [side, quiet(bin, ['--version'])])) as Record<OurSide, string>,
    python: quiet(PYTHON, ['--version']).replace(/^Python /, ''),
    openssl: process.versions.openssl,
    go: quiet('go', ['version']).replace(/^go version /, ''),
    libraries: {
      '@grpc/grpc-js': npmVersion('@grpc/grpc-js'),
      '@grpc/proto-loader': npmVersion('@grpc/proto-loader'),
      '@peculiar/x509': npmVersion('@peculiar/x509'),
      esbuild: npmVersion('esbuild'),
      ...pythonPackageVersions(['python-plugin', 'grpclib', 'h2', 'cryptography', 'protobuf']),
      ...goModuleVersions(['github.com/hashicorp/go-plugin', 'google.golang.org/grpc', 'google.golang.org/protobuf']),
    },
  };
}

function npmVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** Versions the go-plugin peer was built with, from its module graph. */
function goModuleVersions(modules: string[]): Record<string, string> {
  const listed = quiet('go', ['-C', join(ROOT, 'bench/go-host'), 'list', '-m', ...modules]);
  const versions: Record<string, string> = {};
  for (const line of listed.split('\n')) {
    const [path, version] = line.trim().split(/\s+/);
    if (path && version) versions[path] = version;
  }
  return versions;
}

/** Versions in the Python peer's virtual environment. */
function pythonPackageVersions(names: string[]): Record<string, string> {
  const script = 'import importlib.metadata as m, sys\nfor n in sys.argv[1:]: print(n, m.version(n))';
  const versions: Record<string, string> = {};
  for (const line of quiet(PYTHON, ['-c', script, ...names]).split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (name && version) versions[`${name} (PyPI)`] = version;
  }
  return versions;
}

/** The load average now, rounded, for the report. */
export function loadAverage(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

function quiet(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
