// What /proc says about a process (Linux): its start time, executable and process group.
// Used to tell "our plugin" from "a process that reuses its pid" before signalling.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Fields of /proc/<pid>/stat after the command name (field 3 is index 0). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; the last ')' ends it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The one-letter state of pid (field 3: R, S, D, T, Z, ...), or undefined when unknown. */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0] || undefined;
}

/** Clock ticks since boot at which pid started (field 22), or undefined when unknown. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** The executable pid runs (/proc/<pid>/exe), or undefined when unknown or not ours to read. */
export function processExecutable(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/** Live (non-zombie) processes whose process group is pgid, on Linux; [] elsewhere. */
export function processGroupMembers(pgid: number): number[] {
  return liveProcesses()
    .filter(({ fields }) => Number(fields[2]) === pgid)
    .map(({ pid }) => pid);
}

/** pid and every live process below it (Linux); just pid elsewhere. */
export function processWithDescendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of liveProcesses()) {
    const ppid = Number(p.fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), p.pid]);
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

/** Every live (non-zombie) process with its /proc/<pid>/stat fields, on Linux; [] elsewhere. */
function liveProcesses(): { pid: number; fields: string[] }[] {
  if (process.platform !== 'linux') return [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: { pid: number; fields: string[] }[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields && fields[0] !== 'Z') found.push({ pid: Number(name), fields });
  }
  return found;
}

/** Whether pid's environment (/proc/<pid>/environ, Linux, our own processes) holds `entry` ("KEY=value"). */
export function processEnvironmentHas(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false;
  }
}
