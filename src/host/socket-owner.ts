// Which processes hold a listening socket (Linux, from /proc): before a reattach may ever
// signal the pid its config names, the host checks that this pid (or a process below it,
// for a plugin behind a wrapper script) is the one listening at the plugin's address.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { processWithDescendants } from './proc-info';

/** What /proc says about `pid` and the socket at an address. */
export type SocketOwnership = 'holds' | 'does-not-hold' | 'unknown';

/** Inodes of the listening sockets at `address` (a unix path, or tcp `host:port`); undefined when /proc cannot tell. */
function listeningInodes(network: 'unix' | 'tcp', address: string): Set<string> | undefined {
  const inodes = new Set<string>();
  try {
    if (network === 'unix') {
      // Num RefCount Protocol Flags Type St Inode Path; Flags 00010000 = listening.
      for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        if (fields.length >= 8 && fields[3] === '00010000' && fields.slice(7).join(' ') === address) inodes.add(fields[6]);
      }
    } else {
      const port = Number(address.slice(address.lastIndexOf(':') + 1));
      if (!Number.isInteger(port)) return undefined;
      for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
        let text: string;
        try {
          text = readFileSync(table, 'utf8');
        } catch {
          continue;
        }
        // sl local_address rem_address st ... inode (field 9); st 0A = LISTEN.
        for (const line of text.split('\n').slice(1)) {
          const fields = line.trim().split(/\s+/);
          if (fields.length >= 10 && fields[3] === '0A' && parseInt(fields[1].split(':')[1], 16) === port) inodes.add(fields[9]);
        }
      }
    }
  } catch {
    return undefined;
  }
  return inodes.size ? inodes : undefined;
}

/** Socket inodes among pid's open files; undefined when they cannot be read (another user's process). */
function socketInodesOf(pid: number): Set<string> | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/**
 * Whether `pid` (or a process below it) holds the listening socket at `address`. 'unknown'
 * when /proc cannot say: not Linux, no listening socket found under that exact name (a path
 * through a symlink), or `pid` is not ours to read.
 */
export function socketOwnership(pid: number, network: 'unix' | 'tcp', address: string): SocketOwnership {
  if (process.platform !== 'linux') return 'unknown';
  const listening = listeningInodes(network, address);
  if (!listening) return 'unknown';
  // Another user's process cannot be read, and cannot be signalled by us either.
  if (!socketInodesOf(pid)) return 'unknown';
  for (const candidate of processWithDescendants(pid)) {
    const held = socketInodesOf(candidate);
    if (held && [...held].some((inode) => listening.has(inode))) return 'holds';
  }
  // Including when the listener hides in a descendant we cannot read: refusing is the safe side.
  return 'does-not-hold';
}
