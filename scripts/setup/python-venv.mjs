// The Python example's packages live in .venv inside the repository, never in the system
// Python (Debian and Ubuntu refuse `pip install` there, PEP 668). Tests and scripts find
// the interpreter with venvPython(); `.venv/bin` first on PATH makes `#!/usr/bin/env python3`
// scripts (the example plugin itself) run on it too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint, isStamped, writeStamp } from './stamp.mjs';
import { runStep, succeeds } from './run.mjs';

/** Files whose packages go into the venv. */
const REQUIREMENTS = ['examples/python-greeter/requirements.txt'];

export function venvDir(root) {
  return join(root, '.venv');
}

/** The venv's interpreter (exists once ensurePythonVenv has run). */
export function venvPython(root) {
  return join(venvDir(root), 'bin', 'python3');
}

/** Creates .venv and installs the requirements into it, unless its stamp says that is done. */
export function ensurePythonVenv(root) {
  const requirements = REQUIREMENTS.map((f) => join(root, f)).filter((f) => existsSync(f));
  const python = venvPython(root);
  const stampFile = join(venvDir(root), '.greeter-requirements.sha256');
  const want = fingerprint({ files: requirements });
  if (existsSync(python) && isStamped(stampFile, want)) return;
  if (!existsSync(python)) {
    if (!succeeds('python3', ['-c', 'import venv, ensurepip'])) {
      console.error('✖ python3 with its venv module is needed for the Python example plugin: apt-get install -y python3-venv');
      process.exit(1);
    }
    runStep('create the Python virtual environment (.venv)', 'python3', ['-m', 'venv', venvDir(root)], { cwd: root });
  }
  if (requirements.length) {
    runStep(
      `install the Python example's packages into .venv (${requirements.map((f) => f.slice(root.length + 1)).join(', ')})`,
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements.flatMap((f) => ['-r', f])],
      { cwd: root },
    );
  }
  writeStamp(stampFile, want);
}
