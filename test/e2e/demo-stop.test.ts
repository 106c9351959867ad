// `npm start` (scripts/demo.mjs) stops code-server and every plugin when it is told to:
// Ctrl+C (SIGINT to the terminal's process group), SIGTERM, SIGHUP (the terminal closed),
// and when its parent dies without a signal. Each case starts the real demo under a
// parent process (standing in for npm and the terminal), opens the workbench so the
// extension host starts the demo's plugins, records every pid below that parent, fires
// the trigger, and requires every recorded process to be gone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkPrerequisites, descendantsOf, executableOf, freePort, isAlive, removeTree, ROOT } from '../../scripts/e2e/code-server';
import { selectedVersion } from '../../scripts/e2e/vscode-version';
import { Workbench } from '../../scripts/e2e/workbench';

const GO_PLUGIN = join(ROOT, 'examples', 'go-greeter', 'bin', 'greeter');
const NODE_PLUGIN = join(ROOT, 'examples', 'node-greeter', 'bin', 'node-greeter');

/** The parent: starts the demo with inherited output, says its pid, exits when it exits. */
const PARENT = `
const { spawn } = require('node:child_process');
const demo = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
console.log('DEMO_PID=' + demo.pid);
demo.on('exit', (code) => process.exit(code ?? 1));
`;

interface RunningDemo {
  parent: ChildProcess;
  demoPid: number;
  url: string;
  output: () => string;
  dataDir: string;
}

async function startDemo(): Promise<RunningDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'greeter-demo-stop-'));
  const port = await freePort();
  const parent = spawn(
    process.execPath,
    ['-e', PARENT, join(ROOT, 'scripts', 'demo.mjs'), '--no-build', '--vscode', selectedVersion(), '--port', String(port), '--data-dir', dataDir],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }, // detached: its own process group, as a terminal's job
  );
  let out = '';
  parent.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let demoPid = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not print its URL within 120 s:\n${out}`)), 120_000);
    parent.once('exit', (code) => reject(new Error(`the demo exited (${code}) before serving:\n${out}`)));
    createInterface({ input: parent.stdout! }).on('line', (line) => {
      out += `${line}\n`;
      const pid = /^DEMO_PID=(\d+)$/.exec(line);
      if (pid) demoPid = Number(pid[1]);
      const open = /^\s+Open (http:\S+)$/.exec(line);
      if (open) {
        clearTimeout(timer);
        resolve(open[1]!);
      }
    });
  });
  assert.ok(demoPid > 0, `the parent did not say the demo's pid:\n${out}`);
  return { parent, demoPid, url, output: () => out, dataDir };
}

/** Resolves once none of `pids` is alive; rejects naming the survivors after `timeoutMs`. */
async function waitAllGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) {
      const left = pids.filter(isAlive);
      throw new Error(`still running ${timeoutMs} ms after the trigger: ${left.map((p) => `${p} ${executableOf(p) ?? ''}`).join('; ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CASES: { name: string; fire: (demo: RunningDemo) => void }[] = [
  { name: 'Ctrl+C (SIGINT to the process group)', fire: (d) => process.kill(-d.parent.pid!, 'SIGINT') },
  { name: 'SIGTERM to the demo', fire: (d) => process.kill(d.demoPid, 'SIGTERM') },
  { name: 'SIGHUP to the process group (terminal closed)', fire: (d) => process.kill(-d.parent.pid!, 'SIGHUP') },
  { name: 'its parent killed (SIGKILL, no signal reaches the demo)', fire: (d) => process.kill(d.parent.pid!, 'SIGKILL') },
];

for (const { name, fire } of CASES) {
  test(`npm start stops code-server and every plugin on ${name}`, { timeout: 240_000 }, async () => {
    checkPrerequisites();
    const demo = await startDemo();
    let tree: number[] = [];
    let wb: Workbench | undefined;
    try {
      wb = await Workbench.open(demo.url);
      await wb.showGreeterView();
      await wb.waitForPluginRow('go-greeter', /^running/, 60_000);
      await wb.waitForPluginRow('node-greeter', /^running/, 60_000);
      tree = [demo.parent.pid!, ...descendantsOf(demo.parent.pid!)];
      const commands = tree.map((pid) => executableOf(pid) ?? '');
      assert.ok(commands.some((c) => c.includes(GO_PLUGIN)) && commands.some((c) => c.includes(NODE_PLUGIN)), `both plugins run below the demo:\n${commands.join('\n')}`);
      assert.ok(commands.some((c) => c.includes('code-server')), `code-server runs below the demo:\n${commands.join('\n')}`);

      fire(demo);
      await waitAllGone(tree.filter((pid) => pid !== demo.parent.pid), 30_000);
      assert.match(demo.output(), /stopping the demo/);
    } finally {
      await wb?.close();
      // Whatever a failed case left behind, by pid (only processes this test started).
      for (const pid of [demo.parent.pid!, ...tree].filter(isAlive)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      removeTree(demo.dataDir);
    }
  });
}
