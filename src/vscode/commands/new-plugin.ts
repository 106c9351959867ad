// Greeter: New Plugin...: language, name, folder; then (src/scaffold) check the toolchain,
// write the project, build it, and only after a good build add `{ name, path }` to the
// user's `greeter.plugins` (the target Add Plugin... uses), which starts it. A failed or
// cancelled build leaves the settings untouched.

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PluginManager } from '../../manager';
import {
  LANGUAGES,
  checkToolchain,
  createPlugin,
  invalidNameReason,
  isScaffoldError,
  projectFolder,
  unusableFolderReason,
  type LanguageInfo,
  type NewPlugin,
  type PluginLanguage,
} from '../../scaffold';
import { CONFIG_SECTION, Commands } from '../ids';
import { entryName } from '../settings-values';

/** Title of the output channel that shows the builds. */
export const NEW_PLUGIN_CHANNEL = 'Greeter: New Plugin';
const TITLE = 'New Greeter Plugin';

/** What New Plugin needs. */
export interface NewPluginDeps {
  manager: PluginManager;
  context: vscode.ExtensionContext;
}

/** One channel for every New Plugin build, created on first use and disposed with the extension. */
let buildOutput: vscode.OutputChannel | undefined;
function output(context: vscode.ExtensionContext): vscode.OutputChannel {
  if (!buildOutput) {
    const channel = vscode.window.createOutputChannel(NEW_PLUGIN_CHANNEL);
    buildOutput = channel;
    context.subscriptions.push(channel, { dispose: () => (buildOutput = undefined) });
  }
  return buildOutput;
}

/** Runs the whole dialog; returns the created plugin (for tests), or undefined when cancelled or failed. */
export async function newPluginCommand(deps: NewPluginDeps): Promise<NewPlugin | undefined> {
  const language = await pickLanguage();
  if (!language) return undefined;

  // Before any question more and before anything is written: is the toolchain there?
  const missing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Checking the ${language.label} toolchain` },
    () => checkToolchain(language.id),
  );
  if (missing) {
    void vscode.window.showErrorMessage(missing.message);
    return undefined;
  }

  const taken = configuredNames(deps.manager);
  const name = await askName(language.id, taken);
  if (name === undefined) return undefined;
  const parent = await pickParentFolder(name);
  if (parent === undefined) return undefined;
  const unusable = unusableFolderReason(projectFolder(parent, name));
  if (unusable) {
    void vscode.window.showErrorMessage(unusable);
    return undefined;
  }
  return createAndConfigure(deps, language, name, parent, taken);
}

async function pickLanguage(): Promise<LanguageInfo | undefined> {
  const picked = await vscode.window.showQuickPick(
    LANGUAGES.map((l) => ({ label: l.label, description: l.description, language: l })),
    { title: `${TITLE} (1/3)`, placeHolder: 'The language to write the greeter plugin in' },
  );
  return picked?.language;
}

async function askName(language: PluginLanguage, taken: ReadonlySet<string>): Promise<string | undefined> {
  const base = `${language === 'typescript' ? 'ts' : language}-greeter`;
  let suggestion = base;
  for (let i = 2; taken.has(suggestion); i++) suggestion = `${base}-${i}`;
  const name = await vscode.window.showInputBox({
    title: `${TITLE} (2/3)`,
    prompt: 'Plugin name: the folder, the executable and the name in the Plugins view',
    value: suggestion,
    validateInput: (v) => invalidNameReason(v.trim(), taken),
  });
  return name?.trim() || undefined;
}

/** Where the project folder goes: a workspace folder, the home folder, or one the user picks. */
async function pickParentFolder(name: string): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { dir?: string };
  const home = os.homedir();
  const items: Item[] = [
    ...(vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => ({ label: `$(root-folder) ${f.name}`, description: path.join(f.uri.fsPath, name), dir: f.uri.fsPath })),
    { label: '$(home) Home folder', description: path.join(home, name), dir: home },
    { label: '$(folder-opened) Choose a Folder...', description: `the project goes into a new folder "${name}" inside it` },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} (3/3)`, placeHolder: `Where to create the folder "${name}"` });
  if (!picked) return undefined;
  if (picked.dir) return picked.dir;
  const uris = await vscode.window.showOpenDialog({
    title: `${TITLE}: the folder to create "${name}" in`,
    openLabel: 'Create Here',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
  });
  return uris?.[0]?.fsPath;
}

/** Writes and builds under a progress notification; configures the plugin only after a good build. */
async function createAndConfigure(
  deps: NewPluginDeps,
  language: LanguageInfo,
  name: string,
  parent: string,
  taken: ReadonlySet<string>,
): Promise<NewPlugin | undefined> {
  const channel = output(deps.context);
  channel.appendLine(`--- New ${language.label} plugin "${name}" in ${projectFolder(parent, name)} (${new Date().toISOString()})`);
  let created: NewPlugin;
  try {
    created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating greeter plugin "${name}"`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        progress.report({ message: 'writing the project...' });
        return createPlugin(
          { language: language.id, name, parentDir: parent, assetsDir: deps.context.asAbsolutePath(path.join('dist', 'scaffold')), taken },
          {
            signal: abort.signal,
            onOutput: (text) => {
              channel.append(text);
              // Each build command is announced as "$ command".
              const step = /^\$ (.+)$/m.exec(text);
              if (step) progress.report({ message: `${step[1]}...` });
            },
          },
        );
      },
    );
  } catch (err) {
    reportFailure(err, name, projectFolder(parent, name), channel);
    return undefined;
  }
  channel.appendLine(`--- Built ${created.executable}`);

  try {
    await addToUserSettings(created);
  } catch (err) {
    // E.g. a settings.json VS Code cannot parse: the build is fine, say how to finish by hand.
    const message = `Built greeter plugin "${name}" (${created.executable}) but could not add it to your user settings: ${err instanceof Error ? err.message : String(err)} Add { "name": "${name}", "path": "${created.executable}" } to greeter.plugins yourself.`;
    channel.appendLine(`--- ${message}`);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  void announce(language, created);
  return created;
}

function reportFailure(err: unknown, name: string, dir: string, channel: vscode.OutputChannel): void {
  const message = err instanceof Error ? err.message : String(err);
  channel.appendLine(`--- ${message}`);
  if (isScaffoldError(err, 'BUILD_CANCELLED')) {
    void vscode.window.showInformationMessage(`New plugin "${name}" was not built (cancelled) and not added to your settings. Its files are in ${dir}.`);
    return;
  }
  if (isScaffoldError(err, 'BUILD_FAILED')) {
    void vscode.window
      .showErrorMessage(`Building the new plugin "${name}" failed, so it was not added to your settings: ${message} The project is in ${dir}.`, 'Show Build Output')
      .then((choice) => choice && channel.show(true));
    return;
  }
  void vscode.window.showErrorMessage(message);
}

/** Appends the entry to the user's settings, as Add Plugin... does; the manager then starts it. */
async function addToUserSettings(plugin: NewPlugin): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const userEntries = config.inspect<unknown[]>('plugins')?.globalValue;
  const current = Array.isArray(userEntries) ? userEntries : [];
  await config.update('plugins', [...current, { name: plugin.name, path: plugin.executable }], vscode.ConfigurationTarget.Global);
}

/** Opens the source to edit and says how the loop goes once the plugin runs. */
async function announce(language: LanguageInfo, plugin: NewPlugin): Promise<void> {
  const source = vscode.Uri.file(path.join(plugin.dir, language.sourceFile));
  await vscode.window.showTextDocument(source, { preview: false, preserveFocus: true }).then(undefined, () => undefined);
  const choice = await vscode.window.showInformationMessage(
    `Created greeter plugin "${plugin.name}" in ${plugin.dir} and added it to your user settings. Change its greeting in ${language.sourceFile}, run \`${language.rebuildCommand}\` there, and Greet again: a rebuild restarts it.`,
    'Greet',
    'Open Folder',
  );
  if (choice === 'Greet') await vscode.commands.executeCommand(Commands.greet, undefined, plugin.name);
  else if (choice === 'Open Folder') await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(plugin.dir), { forceNewWindow: true });
}

/** Names in use: running plugins and entries of the user's settings. */
function configuredNames(manager: PluginManager): Set<string> {
  const userEntries = vscode.workspace.getConfiguration(CONFIG_SECTION).inspect<unknown[]>('plugins')?.globalValue;
  const names = Array.isArray(userEntries) ? userEntries.map(entryName).filter((n): n is string => !!n) : [];
  return new Set([...manager.list().map((p) => p.name), ...names]);
}
