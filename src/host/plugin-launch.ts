// One owner per launch: the socket directory, the spawned process (and its group's
// host-exit registration), and its launch-registry record. dispose() releases all of
// them; every failure path of startPlugin and PluginClient.stop() ends here.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginError } from './errors';
import type { LaunchRegistry } from './launch-registry';
import { SpawnedPluginProcess } from './plugin-process';
import { atHostExit } from './process-group';
import { settlesWithin } from './timing';
import type { PluginSinks } from './types';

/** How long dispose() waits for a SIGKILLed process to be reaped. */
const KILL_WAIT_MS = 2000;

export interface SpawnRequest {
  path: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export class PluginLaunch {
  process?: SpawnedPluginProcess;
  private disposing?: Promise<void>;

  private constructor(
    readonly name: string,
    /** Private directory for the plugin's (and brokered) unix sockets. */
    readonly socketDir: string,
    private readonly sinks: PluginSinks,
    private readonly registry: LaunchRegistry | undefined,
    private readonly forgetDirAtHostExit: () => void,
  ) {}

  static async create(name: string, sinks: PluginSinks, registry?: LaunchRegistry): Promise<PluginLaunch> {
    // Synchronous on purpose: one mkdir(2), like the executable checks just before it. The
    // promise form is a round trip through libuv's thread pool on every start, which on a
    // busy host (or behind other fs work in the pool) costs more than the call itself.
    const socketDir = mkdtempSync(join(tmpdir(), 'plugin-dir'));
    const forget = atHostExit(() => rmSync(socketDir, { recursive: true, force: true }));
    return new PluginLaunch(name, socketDir, sinks, registry, forget);
  }

  /** Spawns the plugin in its own process group; throws spawnError's result when exec fails at once. */
  spawn(request: SpawnRequest, spawnError: (e: NodeJS.ErrnoException) => PluginError): SpawnedPluginProcess {
    let child;
    try {
      child = spawn(request.path, request.args, {
        env: request.env,
        cwd: request.cwd,
        // go-plugin shares the host's stdin; an editor's extension host has none worth sharing.
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32', // own process group, so stop() reaches grandchildren
        windowsHide: true,
      });
    } catch (e) {
      throw spawnError(e as NodeJS.ErrnoException);
    }
    const proc = new SpawnedPluginProcess(child, this.name, this.sinks, spawnError);
    this.process = proc;
    const pid = child.pid;
    // Forgotten in release(), once the socket directory is gone too: until then the record
    // is what lets the next host remove the directory if this one is SIGKILLed.
    if (pid !== undefined) this.registry?.record(this.name, pid, this.socketDir);
    return proc;
  }

  /** After the handshake: records the plugin again, with the executable a wrapper script has exec'd by now. */
  recordAfterHandshake(): void {
    const pid = this.process?.pid;
    if (pid !== undefined && this.registry && !this.process?.isExited) this.registry.record(this.name, pid, this.socketDir);
  }

  /** Kills the process group if the plugin still runs, waits (bounded), removes the directory. Idempotent; never rejects. */
  dispose(): Promise<void> {
    this.disposing ??= this.release();
    return this.disposing;
  }

  private async release(): Promise<void> {
    const proc = this.process;
    if (proc && !proc.isExited) {
      proc.kill('SIGKILL');
      if (!(await settlesWithin(proc.exited, KILL_WAIT_MS))) {
        this.sinks.lifecycle?.('warn', `plugin process ${proc.pid} did not exit within ${KILL_WAIT_MS} ms of SIGKILL`);
      }
    }
    try {
      await rm(this.socketDir, { recursive: true, force: true });
      this.forgetDirAtHostExit();
      if (proc?.pid !== undefined) this.registry?.forget(proc.pid, proc.startTime);
    } catch (e) {
      // EACCES/EBUSY: the host-exit hook tries once more; nothing else depends on it.
      this.sinks.lifecycle?.('warn', `could not remove the socket directory ${this.socketDir}: ${(e as Error).message}`);
    }
  }
}
