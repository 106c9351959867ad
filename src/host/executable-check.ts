// Checks done before exec, so the user gets "not found" / "is a directory" / "built
// for arm64" instead of a bare ENOENT, or a foreign binary that execvp hands to /bin/sh
// on ENOEXEC. Synchronous on purpose: three tiny syscalls cost less than three trips
// through libuv's thread pool on every start. Also the checksum (go-plugin SecureConfig).
import { createHash, timingSafeEqual } from 'node:crypto';
import { accessSync, closeSync, createReadStream, constants as fsConstants, openSync, readSync, statSync } from 'node:fs';
import { PluginError } from './errors';

/** ELF e_machine values for the architectures Node runs on. */
const ELF_MACHINES: Record<number, string> = {
  0x03: 'ia32',
  0x08: 'mips',
  0x14: 'ppc',
  0x15: 'ppc64',
  0x16: 's390x',
  0x28: 'arm',
  0x3e: 'x64',
  0xb7: 'arm64',
  0xf3: 'riscv64',
  0x102: 'loong64',
};

/** Mach-O cputype values (little-endian magic). */
const MACHO_CPUS: Record<number, string> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 7: 'ia32', 12: 'arm' };

/** Verifies that path names an executable regular file for this machine. */
export function checkExecutable(path: string, name: string): void {
  let info;
  try {
    info = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new PluginError(
        'NOT_FOUND',
        `Plugin "${name}": "${path}" is a symbolic link loop (following its links leads back to where they started), ` +
          `so there is no executable behind it. Point the plugin's path at the real plugin binary, or fix the links.`,
        undefined,
        { cause: e },
      );
    }
    throw new PluginError(
      'NOT_FOUND',
      `Plugin "${name}": the executable "${path}" does not exist. Check the path configured for this plugin, ` +
        `and build the plugin if it has not been built yet.`,
      undefined,
      { cause: e },
    );
  }
  if (info.isDirectory()) {
    throw new PluginError(
      'IS_DIRECTORY',
      `Plugin "${name}": "${path}" is a directory, not an executable. Point the plugin's path at the plugin binary inside it.`,
    );
  }
  if (process.platform !== 'win32') {
    try {
      accessSync(path, fsConstants.X_OK);
    } catch (e) {
      throw new PluginError(
        'NOT_EXECUTABLE',
        `Plugin "${name}": "${path}" is not executable. Make it executable (chmod +x "${path}") or point "path" at the built plugin.`,
        undefined,
        { cause: e },
      );
    }
  }
  if (process.platform !== 'win32') checkRunnable(path, name);
  const arch = binaryArchitecture(path);
  if (arch && arch !== process.arch) {
    throw new PluginError(
      'WRONG_ARCHITECTURE',
      `Plugin "${name}": "${path}" was built for ${arch}, but this machine runs ${process.arch}. ` +
        `Rebuild the plugin for ${process.platform}/${process.arch} (for Go: GOOS=${goOs()} GOARCH=${goArch()} go build).`,
    );
  }
}

/**
 * Plugins are exec'd directly, never through a shell; but execvp runs a file with
 * neither a binary header nor "#!" through /bin/sh (its ENOEXEC fallback). Refuse such
 * files before exec, and name the CR that Windows line endings leave on a "#!" line.
 */
function checkRunnable(path: string, name: string): void {
  const start = readStart(path, 256);
  if (start.length >= 4 && (start.readUInt32BE(0) === 0x7f454c46 || [0xfeedfacf, 0xfeedface, 0xcafebabe].includes(start.readUInt32LE(0)))) {
    return; // ELF or Mach-O: the kernel decides (and binaryArchitecture explains a wrong CPU).
  }
  if (start.subarray(0, 2).toString('latin1') === '#!') {
    const end = start.indexOf(10);
    const line = start.subarray(0, end === -1 ? start.length : end).toString('utf8');
    if (line.endsWith('\r')) {
      throw new PluginError(
        'NOT_EXECUTABLE',
        `Plugin "${name}": the "#!" line of "${path}" ends with a carriage return (the file has Windows line endings), ` +
          `so the system looks for an interpreter named "${line.slice(2).trim()}\\r", which does not exist. ` +
          `Convert the script to Unix line endings (e.g. dos2unix "${path}").`,
      );
    }
    return;
  }
  throw new PluginError(
    'NOT_EXECUTABLE',
    `Plugin "${name}": "${path}" is ${describeContent(start)}, not a program: it is neither a binary executable nor a ` +
      `script starting with a "#!" line. Plugins are run directly, never through a shell; point "path" at the built plugin, ` +
      `or add a "#!" line naming the interpreter.`,
  );
}

/** "an empty file", "a text file (starting "hello…")", "a data file". */
function describeContent(start: Buffer): string {
  if (start.length === 0) return 'an empty file';
  const text = start.toString('utf8');
  if (!text.includes('\uFFFD') && !/[\x00-\x08\x0e-\x1f]/.test(text)) {
    const first = text.split(/\r?\n/, 1)[0].trim().slice(0, 60);
    return first ? `a text file (starting "${first}")` : 'a text file';
  }
  return `a data file (starting with the bytes ${[...start.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')})`;
}

function readStart(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** The CPU architecture of an ELF or Mach-O binary, or undefined for scripts and others. */
export function binaryArchitecture(path: string): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(20);
    const bytesRead = readSync(fd, header, 0, header.length, 0);
    if (bytesRead < 20) return undefined;
    if (header.readUInt32BE(0) === 0x7f454c46) {
      const littleEndian = header[5] === 1;
      const machine = littleEndian ? header.readUInt16LE(18) : header.readUInt16BE(18);
      return ELF_MACHINES[machine] ?? `an unknown CPU (ELF machine 0x${machine.toString(16)})`;
    }
    const magic = header.readUInt32LE(0);
    if (magic === 0xfeedfacf || magic === 0xfeedface) {
      const cpu = header.readUInt32LE(4);
      return MACHO_CPUS[cpu] ?? `an unknown CPU (Mach-O cputype ${cpu})`;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Hex sha256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** go-plugin SecureConfig: refuse to run an executable whose sha256 differs from the expected one. */
export async function verifyChecksum(path: string, expectedHex: string, name: string): Promise<void> {
  const expected = expectedHex.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new PluginError(
      'INVALID_OPTIONS',
      `Plugin "${name}": "sha256" must be 64 hexadecimal characters (the output of sha256sum), got "${expectedHex}".`,
    );
  }
  const actual = await sha256File(path);
  if (!timingSafeEqual(Buffer.from(actual, 'hex'), Buffer.from(expected, 'hex'))) {
    throw new PluginError(
      'CHECKSUM_MISMATCH',
      `Plugin "${name}": the sha256 of "${path}" is ${actual}, but the settings expect ${expected}. ` +
        `The file changed since the checksum was recorded; if you rebuilt it on purpose, update "sha256".`,
    );
  }
}

function goOs(): string {
  return process.platform === 'win32' ? 'windows' : process.platform;
}

function goArch(): string {
  return ({ x64: 'amd64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
}
