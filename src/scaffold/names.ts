// Plugin names and project folders: checked before anything is written.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Letters, digits, '-' and '_', starting with a letter: a file name, an npm name and a Go binary name at once. */
const NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;
const MAX_NAME_LENGTH = 64;
/** Names npm refuses for a package (the TypeScript project's package.json takes the name). */
const NPM_RESERVED = new Set(['node_modules']);

/** Why `name` cannot name a new plugin, or undefined when it can. */
export function invalidNameReason(name: string, taken: ReadonlySet<string> = new Set()): string | undefined {
  if (!name) return 'Enter a name for the plugin.';
  if (name.length > MAX_NAME_LENGTH) return `Use at most ${MAX_NAME_LENGTH} characters.`;
  if (!NAME_PATTERN.test(name)) {
    return 'Use lowercase letters, digits, "-" and "_", starting with a letter (the name becomes the folder, the executable and the module name).';
  }
  if (NPM_RESERVED.has(name)) return `"${name}" is a name npm reserves; choose another.`;
  if (taken.has(name)) return `A plugin named "${name}" is already configured.`;
  return undefined;
}

/** Why `dir` cannot hold a new project (it exists and is not an empty folder), or undefined. */
export function unusableFolderReason(dir: string): string | undefined {
  let entries: string[];
  try {
    const st = fs.statSync(dir);
    if (!st.isDirectory()) return `${dir} exists and is not a folder.`;
    entries = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `${dir} cannot be read: ${(err as Error).message}`;
  }
  return entries.length ? `${dir} already exists and is not empty; choose another name or folder.` : undefined;
}

/** The project folder for plugin `name` under `parent`. */
export function projectFolder(parent: string, name: string): string {
  return path.join(parent, name);
}
