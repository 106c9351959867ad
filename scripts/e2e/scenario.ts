// One e2e test file = one suite: the VSIX is installed once into a shared extensions
// folder and the example plugins are staged once; every scenario then gets its own
// code-server with a fresh user-data folder, fresh settings and a fresh workspace, so no
// scenario depends on what another left behind. When a scenario ends, code-server is
// stopped and no plugin process may outlive it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { checkPrerequisites, CodeServer, executableOf, installExtension, makeTempRoot, removeTree, stageExamplePlugins } from './code-server';
import { selectedVersion } from './vscode-version';
import { Workbench } from './workbench';

/** What a scenario gets. */
export interface ScenarioContext {
  server: CodeServer;
  wb: Workbench;
  /** The staged example plugin executables. */
  plugins: { go: string; node: string };
  /** The opened folder (empty unless `prepareWorkspace` wrote into it). */
  workspace: string;
  /** pids of the staged example plugins running below this code-server. */
  pluginPids(): number[];
}

/** How a scenario's code-server starts. */
export interface ScenarioOptions {
  timeout: number;
  /** The remote (machine) user settings; code-server reads `greeter.plugins` from there. */
  remoteSettings?: (plugins: ScenarioContext['plugins']) => Record<string, unknown>;
  /** Writes files into the workspace before code-server opens it. */
  prepareWorkspace?: (workspace: string, plugins: ScenarioContext['plugins']) => void;
  /** False leaves workspace trust on (Restricted Mode). Default true. */
  disableWorkspaceTrust?: boolean;
}

/** Registers the suite's set-up and returns the function that declares its scenarios. */
export function e2eSuite(label: string): (name: string, options: ScenarioOptions, body: (ctx: ScenarioContext) => Promise<void>) => void {
  let root: string;
  let extensionsDir: string;
  let plugins: ScenarioContext['plugins'];

  before(() => {
    checkPrerequisites();
    root = makeTempRoot(`${label}-${selectedVersion()}`);
    extensionsDir = installExtension(root);
    plugins = stageExamplePlugins(root);
  }, { timeout: 180_000 });

  after(() => {
    if (root) removeTree(root);
  });

  return (name, options, body) => {
    test(name, { timeout: options.timeout }, async () => {
      const scenarioRoot = mkdtempSync(join(root, 'scenario-'));
      const workspace = join(scenarioRoot, 'workspace');
      mkdirSync(workspace);
      options.prepareWorkspace?.(workspace, plugins);
      const server = await CodeServer.start(
        { workspace, extensionsDir, remoteSettings: options.remoteSettings?.(plugins), disableWorkspaceTrust: options.disableWorkspaceTrust },
        scenarioRoot,
      );
      const pluginPids = () =>
        server.descendants().filter((pid) => {
          const cmd = executableOf(pid) ?? '';
          return cmd.includes(plugins.go) || cmd.includes(plugins.node);
        });
      let wb: Workbench | undefined;
      let failed = false;
      try {
        wb = await Workbench.open(server.url);
        await wb.showGreeterView();
        await body({ server, wb, plugins, workspace, pluginPids });
      } catch (err) {
        failed = true;
        await wb?.screenshot(`FAILED-${name.split('.')[0]}`).catch(() => undefined);
        console.error(`--- extension logs after "${name}" failed (${selectedVersion()}) ---\n${server.extensionHostLog()}`);
        throw err;
      } finally {
        await wb?.close();
        const running = pluginPids();
        const leaked = (await server.stop()).filter((pid) => running.includes(pid));
        // Stopping code-server must take the plugins with it; one the harness had to kill
        // by pid would have leaked for a real user. (After a failure, the failure is the news.)
        if (failed) { if (leaked.length) console.error(`plugin processes outlived code-server: ${leaked.join(', ')}`); }
        else assert.deepEqual(leaked, [], 'plugin processes outlived code-server');
      }
    });
  };
}
