// Composition root. activate() wires the pieces and returns at once (plugins start in the
// background); deactivate() returns the shutdown promise, so VS Code waits for the plugin
// processes to be gone.

import { join } from 'node:path';
import type * as vscode from 'vscode';
import { LaunchRegistry, setDefaultLaunchRegistry } from './host';
import { activateOrCleanUp } from './vscode/activation';
import { GreeterExtension, type GreeterApi } from './vscode/greeter-extension';

let extension: GreeterExtension | undefined;

/** Called by VS Code on startup (onStartupFinished) or when a contribution is first used. */
export function activate(context: vscode.ExtensionContext): GreeterApi {
  // Plugins of an extension host that was killed (SIGKILL, crash) are stopped now; every
  // launch from here on is recorded so the next activation can do the same for ours.
  // Its messages wait for the Greeter channel, which the extension creates next.
  const reaped: string[] = [];
  const registry = new LaunchRegistry(join(context.globalStorageUri.fsPath, 'launches'), {
    log: (message) => reaped.push(message),
  });
  registry.reapOrphans();
  setDefaultLaunchRegistry(registry);
  // VS Code disposes context.subscriptions only after a successful activation.
  extension = activateOrCleanUp(context.subscriptions, () => new GreeterExtension(context, reaped));
  return extension;
}

/** Stops every plugin; VS Code waits for the returned promise. */
export function deactivate(): Promise<void> | undefined {
  const current = extension;
  extension = undefined;
  return current?.dispose();
}
