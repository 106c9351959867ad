// A real host process for tests about what happens when a host dies: a Node process
// running `script` (CommonJS, with tsx so it can require src/) in the repository.
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './plugins';

export interface HostProcess {
  child: ChildProcess;
  /** Resolves with the first JSON line the script prints. */
  firstMessage: Promise<Record<string, unknown>>;
  /** Everything it printed so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `src` in scripts: require(SRC + '/host') loads the host library. */
export const SRC = JSON.stringify(`${repoRoot}/src`);

export function startHostProcess(script: string, env: Record<string, string> = {}): HostProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const firstMessage = new Promise<Record<string, unknown>>((resolve, reject) => {
    const onData = () => {
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      child.stdout!.off('data', onData);
      try {
        resolve(JSON.parse(out.slice(0, nl)));
      } catch {
        reject(new Error(`host process printed ${out.slice(0, nl)}; stderr: ${err}`));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`host process exited before printing anything; stderr: ${err}`)));
  });
  firstMessage.catch(() => undefined);
  return { child, firstMessage, exited, output: () => out + err };
}
