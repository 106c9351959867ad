// Variable substitution for settings, with the variables VS Code users already know
// from tasks and launch configs. Unknown variables are errors rather than being left
// in place, so a typo never reaches exec() as a literal "${...}".

import * as path from 'node:path';
import { PluginError } from '../host/errors';
import type { SubstitutionContext } from './types';

/** Raised for a variable that cannot be expanded; the caller adds which plugin and field. */
export class SubstitutionError extends Error {
  override readonly name = 'SubstitutionError';
}

/**
 * The substitution values for a workspace. Untrusted folders are left out and flagged, so a
 * plugin from user settings cannot be pointed at workspace code in Restricted Mode.
 */
export function workspaceSubstitutionContext(folders: string[], trusted: boolean, userHome: string, env: Record<string, string | undefined>): SubstitutionContext {
  return { workspaceFolders: trusted ? [...folders] : [], workspaceUntrusted: !trusted, userHome, env };
}

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Expands `${workspaceFolder}`, `${workspaceFolder:NAME}`, `${workspaceFolderBasename}`,
 * `${userHome}`, `${env:NAME}` and a leading `~` in one value.
 */
export function substituteVariables(value: string, ctx: SubstitutionContext): string {
  let out = value.replace(VARIABLE, (_match, variable: string) => expand(variable, ctx));
  if (out === '~' || out.startsWith('~/') || out.startsWith(`~${path.sep}`)) out = ctx.userHome + out.slice(1);
  return out;
}

function expand(variable: string, ctx: SubstitutionContext): string {
  const [kind, arg] = splitOnce(variable, ':');
  switch (kind) {
    case 'workspaceFolder':
      return arg === undefined ? firstFolder(variable, ctx) : namedFolder(arg, ctx);
    case 'workspaceFolderBasename':
      return path.basename(firstFolder(variable, ctx));
    case 'userHome':
      if (!ctx.userHome) throw new SubstitutionError('${userHome} is used but the home directory is unknown.');
      return ctx.userHome;
    case 'env':
      if (!arg) throw new SubstitutionError('${env:} needs a variable name, as in ${env:HOME}.');
      // As in VS Code, an unset environment variable expands to an empty string. Own keys
      // only: ${env:constructor} must not find Object.prototype.constructor.
      return Object.prototype.hasOwnProperty.call(ctx.env, arg) ? ctx.env[arg] ?? '' : '';
    default:
      throw new SubstitutionError(
        `unknown variable \${${variable}}; supported are \${workspaceFolder}, \${workspaceFolderBasename}, \${userHome}, \${env:NAME} and a leading ~.`,
      );
  }
}

function firstFolder(variable: string, ctx: SubstitutionContext): string {
  if (ctx.workspaceUntrusted) throw untrusted(`\${${variable}}`);
  const folder = ctx.workspaceFolders[0];
  if (!folder) throw new SubstitutionError(`\${${variable}} is used but no workspace folder is open; open a folder or use an absolute path.`);
  return folder;
}

function namedFolder(name: string, ctx: SubstitutionContext): string {
  if (ctx.workspaceUntrusted) throw untrusted(`\${workspaceFolder:${name}}`);
  const folder = ctx.workspaceFolders.find((f) => path.basename(f) === name);
  if (!folder) throw new SubstitutionError(`\${workspaceFolder:${name}} names a folder that is not open in this workspace.`);
  return folder;
}

/**
 * Makes a substituted path absolute: relative paths resolve against the first
 * workspace folder, and are an error when there is none.
 */
export function resolvePath(value: string, ctx: SubstitutionContext): string {
  if (path.isAbsolute(value)) return path.normalize(value);
  if (ctx.workspaceUntrusted) throw untrusted(`the relative path "${value}"`);
  const base = ctx.workspaceFolders[0];
  if (!base) {
    throw new SubstitutionError(`the relative path "${value}" cannot be resolved because no workspace folder is open; use an absolute path.`);
  }
  return path.resolve(base, value);
}

/** A value that would point into an untrusted workspace folder. */
function untrusted(what: string): SubstitutionError {
  return new SubstitutionError(
    `${what} needs a trusted workspace: in Restricted Mode a plugin may not run from or in the workspace's folders. Trust the workspace or use an absolute path.`,
  );
}

/** Wraps a substitution failure as the plugin's configuration error. */
export function substitutionFailure(pluginName: string, field: string, err: unknown): PluginError {
  const why = err instanceof Error ? err.message : String(err);
  return new PluginError('INVALID_OPTIONS', `Plugin "${pluginName}": in "${field}", ${why} Fix it in settings (greeter.plugins).`, undefined, { cause: err });
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
