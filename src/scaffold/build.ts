// Runs a new project's build, the same commands its README gives the author, streaming
// their output. The build processes are ours: a cancel ends their whole process group.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScaffoldError } from './errors';
import { executableRelativePath, type PluginLanguage } from './languages';

/** One command of a build, run in the project folder without a shell. */
export interface BuildStep {
  command: string;
  args: string[];
}

/** The commands that build a `language` project (the template's build script, or npm's). */
export function buildSteps(language: PluginLanguage): BuildStep[] {
  switch (language) {
    case 'go':
    case 'python':
      return [{ command: 'sh', args: ['./build.sh'] }];
    case 'typescript':
      return [
        { command: 'npm', args: ['install', '--no-audit', '--no-fund'] },
        { command: 'npm', args: ['run', 'build'] },
      ];
  }
}

/** How to run a build. */
export interface BuildOptions {
  /** Receives the commands and everything they print, as it comes. */
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** "npm install --no-audit" */
export function formatStep(step: BuildStep): string {
  return [step.command, ...step.args].join(' ');
}

/** Runs one step; rejects with BUILD_FAILED or BUILD_CANCELLED. */
function runStep(dir: string, step: BuildStep, options: BuildOptions): Promise<void> {
  const { onOutput = () => {}, signal } = options;
  if (signal?.aborted) return Promise.reject(new ScaffoldError('BUILD_CANCELLED', 'The build was cancelled.'));
  onOutput(`$ ${formatStep(step)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, step.args, {
      cwd: dir,
      env: { ...(options.env ?? process.env), npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a cancel reaches go/pip/npm's children too
    });
    const onAbort = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already exited */
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.setEncoding('utf8').on('data', onOutput);
    child.stderr!.setEncoding('utf8').on('data', onOutput);
    child.once('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new ScaffoldError('BUILD_FAILED', `Could not run \`${formatStep(step)}\` in ${dir}: ${err.message}`, { cause: err }));
    });
    child.once('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(new ScaffoldError('BUILD_CANCELLED', 'The build was cancelled.'));
      if (code === 0) return resolve();
      const how = code !== null ? `exit code ${code}` : `signal ${sig}`;
      onOutput(`\`${formatStep(step)}\` failed (${how})\n`);
      reject(new ScaffoldError('BUILD_FAILED', `\`${formatStep(step)}\` failed in ${dir} (${how}).`));
    });
  });
}

/**
 * Builds the project in `dir` and returns the path of its executable, checked to exist
 * and be executable: the settings entry may only ever point at a finished build.
 */
export async function buildProject(language: PluginLanguage, dir: string, name: string, options: BuildOptions = {}): Promise<string> {
  for (const step of buildSteps(language)) await runStep(dir, step, options);
  const executable = path.join(dir, executableRelativePath(name));
  try {
    fs.accessSync(executable, fs.constants.X_OK);
  } catch {
    throw new ScaffoldError('BUILD_FAILED', `The build finished but did not produce an executable ${executable}.`);
  }
  return executable;
}
