// Debian packages some steps need. As root they are installed with apt; otherwise the
// exact apt line is printed and the command stops, since only the user may run sudo.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { runStep, succeeds } from './run.mjs';

const onPath = (command) => succeeds('sh', ['-c', `command -v ${command}`]);

/** How to tell whether each package is there (commands and files, not dpkg, so other distributions pass too). */
const PRESENT = {
  chromium: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  ripgrep: () => onPath('rg'),
  'libkrb5-dev': () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h'),
  'python3-venv': () => succeeds('python3', ['-c', 'import venv, ensurepip']),
  'build-essential': () => onPath('make') && onPath('g++'),
};

/** Why each package is needed, for the message. */
const PURPOSE = {
  chromium: 'the browser the end-to-end tests drive',
  ripgrep: 'code-server install',
  'libkrb5-dev': 'code-server install (kerberos module)',
  'python3-venv': 'the Python example plugin',
  'build-essential': "code-server's native modules",
};

/** The packages of `names` that are missing. */
export function missingPackages(names) {
  return names.filter((name) => !PRESENT[name]());
}

/** Installs missing packages with apt when root; otherwise prints the line to run and exits. */
export function ensureSystemPackages(names) {
  const missing = missingPackages(names);
  if (missing.length === 0) return;
  const what = missing.map((m) => `${m} (${PURPOSE[m]})`).join(', ');
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(`✖ missing system packages: ${what}.`);
    console.error(hasApt ? `  Run:\n\n    sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n\n  then run this command again.` : '  Install them with your system\'s package manager, then run this command again.');
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  runStep('apt-get update', 'apt-get', ['update', '-qq'], { env });
  runStep(`apt-get install ${missing.join(' ')} (${what})`, 'apt-get', ['install', '-y', '-qq', ...missing], { env });
  const still = missingPackages(missing);
  if (still.length) {
    console.error(`✖ still missing after apt-get install: ${still.join(', ')}`);
    process.exit(1);
  }
}
