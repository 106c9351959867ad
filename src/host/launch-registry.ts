// Plugins outlive a host killed with SIGKILL (a Go plugin never watches its parent). The
// launch registry remembers what each host process launched, so the next host can stop
// the orphans. A directory the caller owns holds one JSON file per owner (host pid +
// start time): windows sharing it never overwrite each other's records, and every file
// is written whole (temp file + rename). A plugin is stopped only when its pid still
// has the recorded start time and executable: a reused pid is never touched.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killGroup } from './process-group';
import { processEnvironmentHas, processExecutable, processGroupMembers, processStartTime } from './proc-info';

/** One launched plugin, as recorded. */
export interface LaunchRecord {
  name: string;
  pid: number;
  /** Clock ticks since boot (/proc/<pid>/stat field 22). */
  startTime: string;
  /** /proc/<pid>/exe at launch. */
  executable: string;
  /** The socket directory the host made for it; removed with the orphan. */
  socketDir?: string;
}

/** The file of one host process. */
interface OwnerFile {
  owner: { pid: number; startTime: string };
  /** /proc/sys/kernel/random/boot_id: start times count from boot, so they compare only within one. */
  bootId?: string;
  plugins: LaunchRecord[];
}

function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What reapOrphans did, plugin by plugin. */
export interface ReapReport {
  stopped: LaunchRecord[];
  /** Recorded pids that now belong to another process (or are gone): left alone. */
  leftAlone: { record: LaunchRecord; reason: string }[];
}

export interface LaunchRegistryOptions {
  /** Where reapOrphans says what it did. */
  log?: (message: string) => void;
}

/** Records the plugins this host launched in a shared directory, and stops those a dead host left behind (reapOrphans). */
let defaultRegistry: LaunchRegistry | undefined;

/**
 * The registry startPlugin uses when LaunchOptions.registry is not given: an application
 * (the extension) sets it once at start-up, so every launch is recorded without each
 * caller passing it along.
 */
export function setDefaultLaunchRegistry(registry: LaunchRegistry | undefined): void {
  defaultRegistry = registry;
}

export function getDefaultLaunchRegistry(): LaunchRegistry | undefined {
  return defaultRegistry;
}

/** Records the plugins this host launched in a shared directory, and stops those a dead host left behind (reapOrphans). */
export class LaunchRegistry {
  private readonly ownerStartTime: string | undefined;
  private readonly bootId = currentBootId();
  private readonly plugins = new Map<number, LaunchRecord>();
  private readonly log: (message: string) => void;

  constructor(readonly directory: string, options: LaunchRegistryOptions = {}) {
    this.ownerStartTime = processStartTime(process.pid);
    this.log = options.log ?? (() => undefined);
  }

  /** False where /proc is missing (not Linux): nothing is recorded or reaped there. */
  get supported(): boolean {
    return this.ownerStartTime !== undefined;
  }

  /**
   * Records a plugin this host just spawned; called again after its handshake, when a
   * wrapper script has exec'd the plugin (a new executable, same pid and start time).
   * Never throws: a failed record only costs orphan cleanup.
   */
  record(name: string, pid: number, socketDir?: string): void {
    const startTime = processStartTime(pid);
    const executable = processExecutable(pid);
    if (!this.supported || startTime === undefined || executable === undefined) return;
    this.plugins.set(pid, { name, pid, startTime, executable, socketDir });
    this.save();
  }

  /**
   * Forgets a plugin that exited (or was never started). With `startTime`, only the record of
   * that process: by the time a plugin's clean-up ends, its pid may be recorded for another.
   */
  forget(pid: number, startTime?: string): void {
    const record = this.plugins.get(pid);
    if (!record || (startTime !== undefined && record.startTime !== startTime)) return;
    this.plugins.delete(pid);
    this.save();
  }

  /**
   * Stops the recorded plugins of host processes that are gone, and removes their files.
   * Call once at start-up. Never throws: a start-up must not fail over a cleanup.
   */
  reapOrphans(): ReapReport {
    const report: ReapReport = { stopped: [], leftAlone: [] };
    if (!this.supported) return report;
    for (const file of this.ownerFiles()) {
      const path = join(this.directory, file);
      let content: OwnerFile;
      try {
        content = JSON.parse(readFileSync(path, 'utf8')) as OwnerFile;
      } catch {
        // Half a file cannot exist (rename); an unreadable one is not ours to interpret.
        continue;
      }
      if (!content?.owner || !Array.isArray(content.plugins)) continue;
      const { owner } = content;
      if (content.bootId && this.bootId && content.bootId !== this.bootId) {
        // From before a reboot: none of its processes can be running, and its pids and
        // start times may match processes of this boot by chance.
        for (const record of content.plugins) if (record.socketDir) removeQuietly(record.socketDir);
        removeQuietly(path);
        continue;
      }
      if (owner.pid === process.pid && owner.startTime === this.ownerStartTime) continue;
      if (isAlive(owner.pid) && processStartTime(owner.pid) === owner.startTime) continue; // another live window
      for (const record of content.plugins) {
        // The directory was the dead host's own (mkdtemp); whatever became of the pid, it goes.
        if (record.socketDir) removeQuietly(record.socketDir);
        const mismatch = this.identityMismatch(record, content.bootId !== undefined && content.bootId === this.bootId);
        if (mismatch && !isAlive(record.pid)) this.stopSurvivors(record, owner.pid);
        if (mismatch) {
          report.leftAlone.push({ record, reason: mismatch });
          // A plugin that is simply gone (the usual case) is not worth a log line.
          if (isAlive(record.pid)) this.log(`Left pid ${record.pid} alone (recorded for plugin "${record.name}"): ${mismatch}.`);
          continue;
        }
        // Verified: the pid is still the plugin we launched, and it leads its own group.
        killGroup(record.pid, 'SIGKILL');
        report.stopped.push(record);
        this.log(
          `Stopped plugin "${record.name}" (pid ${record.pid}, ${record.executable}): it was still running after ` +
            `the editor process that started it (pid ${owner.pid}) ended without stopping it.`,
        );
      }
      // Never fails a start-up; the next one tries again (its plugins are verified again too).
      removeQuietly(path);
    }
    return report;
  }

  /**
   * Why pid is not (any more) the recorded plugin, or undefined when it is. Within one boot
   * (the file's boot id), pid and start time name one process, whatever it has exec'd since
   * (a wrapper script that was recorded before its exec); files without a boot id also
   * compare the executable.
   */
  private identityMismatch(record: LaunchRecord, sameBoot: boolean): string | undefined {
    if (!isAlive(record.pid)) return 'it is no longer running';
    const startTime = processStartTime(record.pid);
    if (startTime !== record.startTime) return 'the pid now belongs to another process (its start time differs)';
    if (sameBoot) return undefined;
    const executable = processExecutable(record.pid);
    if (executable !== record.executable) return `the pid now runs another executable (${executable ?? 'unknown'})`;
    return undefined;
  }

  /**
   * The leader is gone, but what it started in its group (a wrapper script's background
   * child) may not be. Those are recognised by the environment every plugin process
   * inherits: PLUGIN_UNIX_SOCKET_DIR names the record's own socket directory (mkdtemp, so
   * no other process has it). Each is signalled by its own pid.
   */
  private stopSurvivors(record: LaunchRecord, ownerPid: number): void {
    if (!record.socketDir) return;
    const mark = `PLUGIN_UNIX_SOCKET_DIR=${record.socketDir}`;
    const survivors = processGroupMembers(record.pid).filter((pid) => processEnvironmentHas(pid, mark));
    for (const pid of survivors) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    if (survivors.length) {
      this.log(`Stopped ${survivors.length} process(es) left by plugin "${record.name}" (pid ${record.pid}, gone) after the editor process that started it (pid ${ownerPid}) ended: ${survivors.join(', ')}.`);
    }
  }

  private ownerFiles(): string[] {
    try {
      return readdirSync(this.directory).filter((f) => /^\d+-\d+\.json$/.test(f));
    } catch {
      return [];
    }
  }

  private get ownFile(): string {
    return join(this.directory, `${process.pid}-${this.ownerStartTime}.json`);
  }

  private save(): void {
    try {
      if (this.plugins.size === 0) {
        rmSync(this.ownFile, { force: true });
        return;
      }
      mkdirSync(this.directory, { recursive: true });
      const content: OwnerFile = { owner: { pid: process.pid, startTime: this.ownerStartTime! }, bootId: this.bootId, plugins: [...this.plugins.values()] };
      const temp = `${this.ownFile}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(content, null, 2));
      renameSync(temp, this.ownFile);
    } catch {
      // A full disk or a read-only directory costs only the orphan cleanup, never a launch.
    }
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // A start-up must not fail over a cleanup.
  }
}
