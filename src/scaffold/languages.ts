// The three languages New Plugin can write a greeter plugin in, and what each needs.

import * as path from 'node:path';

/** A template language. */
export type PluginLanguage = 'go' | 'typescript' | 'python';

/** What the UI shows and where the parts of a generated project are. */
export interface LanguageInfo {
  id: PluginLanguage;
  label: string;
  description: string;
  /** The file an author edits to change the greeting, relative to the project. */
  sourceFile: string;
  /** The command an author runs in the project folder to rebuild. */
  rebuildCommand: string;
}

export const LANGUAGES: readonly LanguageInfo[] = [
  { id: 'go', label: 'Go', description: 'hashicorp/go-plugin, built with go build', sourceFile: 'main.go', rebuildCommand: './build.sh' },
  {
    id: 'typescript',
    label: 'TypeScript',
    description: 'the Greeter Plugins SDK, bundled into one executable with esbuild',
    sourceFile: 'src/greeter.ts',
    rebuildCommand: 'npm run build',
  },
  { id: 'python', label: 'Python', description: 'a virtual environment and a launcher script', sourceFile: 'greeter.py', rebuildCommand: './build.sh' },
];

/** The language with id `id`. */
export function languageInfo(id: PluginLanguage): LanguageInfo {
  const info = LANGUAGES.find((l) => l.id === id);
  if (!info) throw new Error(`unknown plugin language ${String(id)}`);
  return info;
}

/** Where every template's build puts the plugin executable (what the settings entry points at). */
export function executableRelativePath(name: string): string {
  return `bin/${name}`;
}

/** Where the template of `language` lives inside an assets folder (dist/scaffold). */
export function templateDir(assetsDir: string, language: PluginLanguage): string {
  return path.join(assetsDir, 'templates', language);
}
