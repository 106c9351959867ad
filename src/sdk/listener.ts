// Where the plugin listens, following go-plugin's serverListener(): a Unix socket
// named like os.CreateTemp(dir, "plugin") everywhere but Windows, TCP 127.0.0.1
// within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT on Windows (PROTOCOL.md §7).
import * as grpc from '@grpc/grpc-js';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SdkError } from './errors';

/** A bound listener as the handshake line reports it. */
export interface BoundAddress {
  network: 'unix' | 'tcp';
  /** Absolute socket path, or `127.0.0.1:<port>`. */
  address: string;
  /** Removes what the listener left on disk (the socket file); safe to call twice. */
  cleanup(): void;
}

/** Parses one port bound as Go's strconv.ParseInt(s, 10, 32), with go-plugin's error text. */
export function parsePortBound(name: 'PLUGIN_MIN_PORT' | 'PLUGIN_MAX_PORT', raw: string | undefined): number {
  if (!raw) return 0;
  const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(value)) {
    throw new SdkError('BAD_PORT_RANGE', `Couldn't get value from ${name}: strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  }
  if (value > 2 ** 31 - 1 || value < -(2 ** 31)) {
    throw new SdkError('BAD_PORT_RANGE', `Couldn't get value from ${name}: strconv.ParseInt: parsing ${JSON.stringify(raw)}: value out of range`);
  }
  return value;
}

/** The inclusive port range to try, validated like go-plugin's serverListener_tcp. */
export function portRange(env: NodeJS.ProcessEnv): { min: number; max: number } {
  const min = parsePortBound('PLUGIN_MIN_PORT', env.PLUGIN_MIN_PORT);
  const max = parsePortBound('PLUGIN_MAX_PORT', env.PLUGIN_MAX_PORT);
  if (min > max) {
    throw new SdkError('BAD_PORT_RANGE', `PLUGIN_MIN_PORT value of ${min} is greater than PLUGIN_MAX_PORT value of ${max}`);
  }
  return { min, max };
}

/** A fresh socket path `<dir>/plugin<random>` that did not exist a moment ago (os.CreateTemp semantics). */
export function unixSocketPath(env: NodeJS.ProcessEnv): string {
  const dir = env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir();
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = path.join(dir, `plugin${crypto.randomInt(0, 2 ** 32 - 1)}`);
    try {
      // Reserve the name exclusively, then free it: the socket must not exist when bound.
      fs.closeSync(fs.openSync(candidate, 'wx', 0o600));
      fs.unlinkSync(candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SdkError('LISTEN_FAILED', `cannot create a socket in ${dir}: ${(err as Error).message}`);
      }
    }
  }
  throw new SdkError('LISTEN_FAILED', `cannot find a free socket name in ${dir}`);
}

function bindAsync(server: grpc.Server, target: string, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(target, creds, (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/** Resolves a PLUGIN_UNIX_SOCKET_GROUP value (gid or group name) to a gid. */
function groupId(group: string): number | undefined {
  if (/^\d+$/.test(group)) return Number(group);
  try {
    for (const line of fs.readFileSync('/etc/group', 'utf8').split('\n')) {
      const [name, , gid] = line.split(':');
      if (name === group && gid) return Number(gid);
    }
  } catch {
    // No /etc/group: fall through.
  }
  return undefined;
}

async function bindUnix(server: grpc.Server, creds: grpc.ServerCredentials, env: NodeJS.ProcessEnv): Promise<BoundAddress> {
  const socketPath = unixSocketPath(env);
  try {
    await bindAsync(server, `unix:${socketPath}`, creds);
  } catch (err) {
    throw new SdkError('LISTEN_FAILED', `listen unix ${socketPath}: ${(err as Error).message}`);
  }
  const group = env.PLUGIN_UNIX_SOCKET_GROUP;
  if (group) {
    // go-plugin: the socket is chowned to the group and made group-writable.
    try {
      const gid = groupId(group);
      if (gid === undefined) throw new SdkError('LISTEN_FAILED', `failed to find gid from ${JSON.stringify(group)}: group not found in /etc/group`);
      fs.chownSync(socketPath, -1, gid);
      fs.chmodSync(socketPath, 0o660);
    } catch (err) {
      // The caller never gets a cleanup for a listener that failed: remove the socket here.
      server.forceShutdown();
      fs.rmSync(socketPath, { force: true });
      if (err instanceof SdkError) throw err;
      throw new SdkError('LISTEN_FAILED', `cannot give ${socketPath} to group ${JSON.stringify(group)}: ${(err as Error).message}`);
    }
  }
  let removed = false;
  return {
    network: 'unix',
    address: socketPath,
    cleanup() {
      if (removed) return;
      removed = true;
      fs.rmSync(socketPath, { force: true });
    },
  };
}

async function bindTcp(server: grpc.Server, creds: grpc.ServerCredentials, env: NodeJS.ProcessEnv): Promise<BoundAddress> {
  const { min, max } = portRange(env);
  for (let port = min; port <= max; port++) {
    try {
      const bound = await bindAsync(server, `127.0.0.1:${port}`, creds);
      return { network: 'tcp', address: `127.0.0.1:${bound}`, cleanup() {} };
    } catch {
      // Taken: try the next port, as go-plugin does.
    }
  }
  throw new SdkError('LISTEN_FAILED', "Couldn't bind plugin TCP listener");
}

/** go-plugin's choice: TCP on Windows, a Unix socket everywhere else. */
export function defaultNetwork(platform: NodeJS.Platform = process.platform): 'unix' | 'tcp' {
  return platform === 'win32' ? 'tcp' : 'unix';
}

/** Binds `server` where go-plugin would put a plugin listener (or on the `network` asked for). */
export function bindPluginListener(
  server: grpc.Server,
  creds: grpc.ServerCredentials,
  env: NodeJS.ProcessEnv = process.env,
  network: 'unix' | 'tcp' = defaultNetwork(),
): Promise<BoundAddress> {
  return network === 'tcp' ? bindTcp(server, creds, env) : bindUnix(server, creds, env);
}
