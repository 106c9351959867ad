// Turns a language's template folder into the files of one project and writes them.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScaffoldError } from './errors';
import { templateDir, type PluginLanguage } from './languages';

/** One file of a new project. */
export interface ProjectFile {
  /** Relative, with '/' separators. */
  path: string;
  content: Buffer;
  executable: boolean;
}

/** The values a template's `{{key}}` placeholders take. */
export interface TemplateValues {
  name: string;
  /** Absolute path of the built executable, as the settings entry names it. */
  executable: string;
}

/** Files kept byte for byte (archives, images). */
const BINARY = /\.(tgz|gz|zip|png)$/;
/** Stored without the dot (packagers drop or rename dotfiles); written with it. */
const DOTFILES: Record<string, string> = { gitignore: '.gitignore' };
/** Sources the repository's own compilers must not check (they import the SDK by its package name). */
const TEMPLATE_SUFFIX = '.tmpl';

/**
 * Replaces every `{{key}}` of `values` in `text`; `{{key:json}}` takes the value as a JSON
 * string, quotes included (a path with `"` or `\` inside a settings example).
 */
export function fillPlaceholders(text: string, values: TemplateValues): string {
  return text.replace(/\{\{(\w+)(:json)?\}\}/g, (whole, key: string, json?: string) => {
    if (!(key in values)) return whole;
    const value = values[key as keyof TemplateValues];
    return json ? JSON.stringify(value) : value;
  });
}

/** Reads a template folder; the files in a stable order. */
function readTree(root: string, rel = ''): { path: string; abs: string; mode: number }[] {
  const out: { path: string; abs: string; mode: number }[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relPath = rel ? `${rel}/${entry.name}` : entry.name;
    const abs = path.join(root, relPath);
    if (entry.isDirectory()) out.push(...readTree(root, relPath));
    else if (entry.isFile()) out.push({ path: relPath, abs, mode: fs.statSync(abs).mode });
  }
  return out;
}

/** The files of a new `language` project, placeholders filled. */
export function renderProject(assetsDir: string, language: PluginLanguage, values: TemplateValues): ProjectFile[] {
  const root = templateDir(assetsDir, language);
  if (!fs.existsSync(root)) {
    throw new ScaffoldError('TEMPLATES_MISSING', `The ${language} template is missing (${root}). The extension was built without its templates: run npm run build:scaffold.`);
  }
  return readTree(root).map(({ path: rel, abs, mode }) => {
    const raw = fs.readFileSync(abs);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    let renamed = DOTFILES[base] ? `${rel.slice(0, rel.length - base.length)}${DOTFILES[base]}` : rel;
    if (renamed.endsWith(TEMPLATE_SUFFIX)) renamed = renamed.slice(0, -TEMPLATE_SUFFIX.length);
    return {
      path: fillPlaceholders(renamed, values),
      content: BINARY.test(rel) ? raw : Buffer.from(fillPlaceholders(raw.toString('utf8'), values)),
      // Packagers may drop the mode bits; scripts are executable by their role.
      executable: (mode & 0o111) !== 0 || rel.endsWith('.sh'),
    };
  });
}

/**
 * Writes `files` into `dir`, which must not exist or be empty. Files are created
 * exclusively, so nothing that is already there is ever overwritten.
 */
export function writeProject(dir: string, files: ProjectFile[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const existing = fs.readdirSync(dir);
  if (existing.length) throw new ScaffoldError('FOLDER_NOT_EMPTY', `${dir} already exists and is not empty; choose another name or folder.`);
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { flag: 'wx', mode: file.executable ? 0o755 : 0o644 });
  }
}
