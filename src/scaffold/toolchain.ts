// Checks that a language's build tools are installed, before anything is written: a
// missing tool is named with what to install, rather than failing halfway through a build.

import { execFile } from 'node:child_process';
import type { PluginLanguage } from './languages';

/** The oldest versions the templates build with (Go: the templates' go.mod `go` line). */
export const MIN_GO = [1, 24] as const;
export const MIN_NODE = [18, 0] as const;
export const MIN_PYTHON = [3, 10] as const;

/** A missing or too old tool, and what to install. */
export interface ToolchainProblem {
  tool: string;
  message: string;
}

/** How to run a probe command; the environment decides which PATH is searched. */
export interface ToolchainCheckOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

interface ProbeResult {
  ok: boolean;
  stdout: string;
  missing: boolean;
}

/** Runs `command args` (no shell) and reports whether it ran, succeeded, and printed what. */
function probe(command: string, args: string[], options: ToolchainCheckOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env: options.env ?? process.env, timeout: options.timeoutMs ?? 15_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout: `${stdout}${stderr}`, missing: false });
      const code = (err as NodeJS.ErrnoException).code;
      resolve({ ok: false, stdout: `${stdout ?? ''}${stderr ?? ''}`, missing: code === 'ENOENT' || code === 'EACCES' });
    });
  });
}

/** "1.24.3" / "go1.26.8" / "v20.1.0" / "Python 3.11.2" -> [major, minor], or undefined. */
export function parseVersion(text: string): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(v: readonly [number, number], min: readonly [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

const GO_INSTALL = `Install Go ${MIN_GO.join('.')} or newer (https://go.dev/dl/) and make sure \`go\` is on the PATH VS Code sees`;
const NODE_INSTALL = `Install Node.js ${MIN_NODE[0]} or newer with npm (https://nodejs.org) and make sure \`node\` and \`npm\` are on the PATH VS Code sees`;
const PYTHON_INSTALL = `Install Python ${MIN_PYTHON.join('.')} or newer (https://www.python.org/downloads/; on Debian and Ubuntu: sudo apt install python3 python3-venv) and make sure \`python3\` is on the PATH VS Code sees`;

async function checkGo(options: ToolchainCheckOptions): Promise<ToolchainProblem | undefined> {
  const r = await probe('go', ['env', 'GOVERSION'], options);
  if (r.missing) return { tool: 'go', message: `New Plugin needs Go, but \`go\` is not on the PATH. ${GO_INSTALL}.` };
  const v = parseVersion(r.stdout);
  if (!r.ok || !v) return { tool: 'go', message: `\`go env GOVERSION\` failed: ${r.stdout.trim() || 'no output'}. ${GO_INSTALL}.` };
  if (!atLeast(v, MIN_GO)) return { tool: 'go', message: `Go ${v.join('.')} is too old for the template. ${GO_INSTALL}.` };
  return undefined;
}

async function checkNode(options: ToolchainCheckOptions): Promise<ToolchainProblem | undefined> {
  const node = await probe('node', ['--version'], options);
  if (node.missing) return { tool: 'node', message: `New Plugin needs Node.js to run a TypeScript plugin, but \`node\` is not on the PATH. ${NODE_INSTALL}.` };
  const v = parseVersion(node.stdout);
  if (!node.ok || !v) return { tool: 'node', message: `\`node --version\` failed: ${node.stdout.trim() || 'no output'}. ${NODE_INSTALL}.` };
  if (!atLeast(v, MIN_NODE)) return { tool: 'node', message: `Node.js ${v.join('.')} is too old for the SDK. ${NODE_INSTALL}.` };
  const npm = await probe('npm', ['--version'], options);
  if (npm.missing) return { tool: 'npm', message: `New Plugin needs npm to build a TypeScript plugin, but \`npm\` is not on the PATH. ${NODE_INSTALL}.` };
  if (!npm.ok) return { tool: 'npm', message: `\`npm --version\` failed: ${npm.stdout.trim() || 'no output'}. ${NODE_INSTALL}.` };
  return undefined;
}

async function checkPython(options: ToolchainCheckOptions): Promise<ToolchainProblem | undefined> {
  const py = await probe('python3', ['--version'], options);
  if (py.missing) return { tool: 'python3', message: `New Plugin needs Python, but \`python3\` is not on the PATH. ${PYTHON_INSTALL}.` };
  const v = parseVersion(py.stdout);
  if (!py.ok || !v) return { tool: 'python3', message: `\`python3 --version\` failed: ${py.stdout.trim() || 'no output'}. ${PYTHON_INSTALL}.` };
  if (!atLeast(v, MIN_PYTHON)) return { tool: 'python3', message: `Python ${v.join('.')} is too old for the template. ${PYTHON_INSTALL}.` };
  // Debian and Ubuntu ship venv's pip bootstrap (ensurepip) separately, as python3-venv.
  const venv = await probe('python3', ['-c', 'import venv, ensurepip'], options);
  if (!venv.ok) {
    return {
      tool: 'python3-venv',
      message: `Python ${v.join('.')} cannot create virtual environments (the venv/ensurepip modules are missing). Install them (on Debian and Ubuntu: sudo apt install python3-venv) and run New Plugin again.`,
    };
  }
  return undefined;
}

/** The first missing or too old tool `language` needs, or undefined when all are there. */
export function checkToolchain(language: PluginLanguage, options: ToolchainCheckOptions = {}): Promise<ToolchainProblem | undefined> {
  switch (language) {
    case 'go':
      return checkGo(options);
    case 'typescript':
      return checkNode(options);
    case 'python':
      return checkPython(options);
  }
}
