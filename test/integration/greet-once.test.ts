// greetOnce (the CLI's `greet`: health, Greet and Shutdown on node:http2) against
// startPlugin + greet + stop (grpc-js): for every real plugin and every misbehaving one,
// both report the same greeting or the same error code and message, and neither leaves a
// process or a socket directory behind.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { isPluginError, startPlugin, type LaunchOptions } from '../../src/host';
import { greet, greetOnce } from '../../src/greeter';
import { fixture, goGreeter, nodeGreeter, processesWithEnv } from '../helpers/plugins';
import { tempDir } from '../helpers/temp';

// A private TMPDIR, so the check for left-over socket directories sees only this file's.
process.env.TMPDIR = tempDir('greeter-greet-once-');

type Outcome = { greeting: string } | { code: string; message: string; detail?: string };

/** What a start + greet + stop reports, with pids (which differ between runs) masked. */
async function outcome(run: () => Promise<string>): Promise<Outcome> {
  try {
    return { greeting: await run() };
  } catch (e) {
    assert.ok(isPluginError(e), `expected a PluginError, got ${(e as Error)?.stack ?? e}`);
    const mask = (text?: string) => text?.replace(/\b(pid|process) \d+/g, '$1 N').replace(/plugin-dir\w+/g, 'plugin-dirX').replace(/bare-\d+/g, 'bare-N');
    return { code: e.code, message: mask(e.message)!, detail: mask(e.detail) };
  }
}

async function viaClient(options: LaunchOptions, name: string, timeoutMs?: number): Promise<string> {
  const plugin = await startPlugin(options);
  try {
    return await greet(plugin, name, { timeoutMs });
  } finally {
    await plugin.stop();
  }
}

/** Runs both ways and checks they agree and leave nothing behind; returns the outcome. */
async function sameBothWays(options: LaunchOptions, name: string, timeoutMs?: number): Promise<Outcome> {
  const results: Outcome[] = [];
  for (const run of [() => viaClient(options, name, timeoutMs), () => greetOnce(options, name, { timeoutMs })]) {
    const before = pluginDirs();
    results.push(await outcome(run));
    assert.deepEqual(pluginDirs().filter((d) => !before.includes(d)), [], 'a socket directory was left behind');
  }
  assert.deepEqual(results[1], results[0], 'greetOnce and startPlugin + greet disagree');
  return results[1];
}

function pluginDirs(): string[] {
  return readdirSync(tmpdir()).filter((d) => d.startsWith('plugin-dir'));
}

/** Options whose plugin carries a marker in its environment, to find any process left behind. */
function marked(options: LaunchOptions): { options: LaunchOptions; leftovers: () => number[] } {
  const mark = `${process.pid}-${Math.random()}`;
  return { options: { name: 'p', startTimeoutMs: 10_000, ...options, env: { ...options.env, GREET_ONCE_MARK: mark } }, leftovers: () => processesWithEnv(`GREET_ONCE_MARK=${mark}`) };
}

async function check(options: LaunchOptions, name: string, expected: RegExp | string, timeoutMs?: number): Promise<void> {
  const m = marked(options);
  const result = await sameBothWays(m.options, name, timeoutMs);
  if (typeof expected === 'string') assert.deepEqual(result, { greeting: expected });
  else assert.match('code' in result ? `${result.code}: ${result.message}` : result.greeting, expected);
  assert.deepEqual(m.leftovers(), [], 'a plugin process was left running');
}

describe('greetOnce and startPlugin + greet agree', () => {
  it('the Go plugin (go-plugin) greets', () => check({ path: goGreeter() }, 'Alice', 'hello Alice'));

  it('the Node SDK plugin greets, with a name in several scripts', () => check({ path: nodeGreeter() }, 'Zoë 世界 🙂', 'hello Zoë 世界 🙂'));

  it('an empty name is sent and answered', () => check({ path: goGreeter() }, '', 'hello '));

  it('a plugin listening on TCP (as every plugin does on Windows) greets, plain and with AutoMTLS', async () => {
    await check({ path: fixture('bin/tcp-greeter') }, 'Alice', 'hello Alice');
    await check({ path: fixture('bin/tcp-greeter'), autoMTLS: true }, 'Alice', 'hello Alice');
  });

  it('NOT_FOUND for a missing executable', () => check({ path: '/nonexistent/greeter' }, 'x', /^NOT_FOUND: .*"\/nonexistent\/greeter"/));

  it('EXITED_BEFORE_HANDSHAKE with a magic cookie mismatch', () =>
    check({ path: goGreeter(), handshake: { magicCookieKey: 'OTHER', magicCookieValue: 'x' } }, 'x', /^EXITED_BEFORE_HANDSHAKE: .*magic cookie does not match/));

  it('EXITED_BEFORE_HANDSHAKE when the plugin dies right after its handshake line', () =>
    check({ path: fixture('plugins/dies-after-handshake.sh') }, 'x', /^EXITED_BEFORE_HANDSHAKE: .*right after its handshake/));

  it('HEALTH_FAILURE when the plugin has no health service', () =>
    check({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter' } }, 'x', /^HEALTH_FAILURE: .*does not implement the gRPC health service/));

  it('HEALTH_FAILURE when the plugin is NOT_SERVING', () =>
    check({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter,not-serving' } }, 'x', /^HEALTH_FAILURE: .*NOT_SERVING/));

  it('UNIMPLEMENTED when the plugin has no Greeter service', () =>
    check({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'health' } }, 'x', /^UNIMPLEMENTED: .*tutorial\.Greeter\/Greet/));

  it('DEADLINE_EXCEEDED when Greet hangs past the timeout', () => check({ path: fixture('bin/hanging-greeter') }, 'stuck', /^DEADLINE_EXCEEDED: .*within 300 ms/, 300));

  it('RESOURCE_EXHAUSTED for a name over go-plugin\'s 4 MB limit', () =>
    check({ path: goGreeter() }, 'x'.repeat(5_000_000), /^RESOURCE_EXHAUSTED: .*larger than the 4 MB/));

  it('INVALID_ARGUMENT for a name with a lone surrogate, before any process starts', () =>
    check({ path: goGreeter() }, 'a\uD800b', /^INVALID_ARGUMENT: .*unpaired surrogate/));

  it('PLUGIN_EXITED when the plugin crashes during the call', () =>
    check({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter,health,exit-on-greet' } }, 'x', /^PLUGIN_EXITED: .*exit code 7/));
});

describe('greetOnce and startPlugin + greet agree with AutoMTLS', () => {
  it('the Go plugin greets over mutual TLS', () => check({ path: goGreeter(), autoMTLS: true }, 'Alice', 'hello Alice'));

  it('the Node SDK plugin greets over mutual TLS', () => check({ path: nodeGreeter(), autoMTLS: true }, 'Alice', 'hello Alice'));

  it('TLS_FAILURE when the plugin serves a certificate other than the one in its handshake', () =>
    check({ path: fixture('bin/bare-grpc'), env: { FIXTURE_SERVICES: 'greeter,health,wrong-cert' }, autoMTLS: true }, 'x', /^TLS_FAILURE: .*mutual TLS handshake failed/));

  it('TLS_FAILURE when the plugin sends no certificate although AutoMTLS was offered', () =>
    check({ path: fixture('bin/bare-grpc'), autoMTLS: true }, 'x', /^TLS_FAILURE: .*did not send a certificate although AutoMTLS was requested/));
});

describe('greetOnce', () => {
  it('stops a plugin without a controller by SIGKILL after the 2 s grace, as stop() does', async () => {
    const m = marked({ path: fixture('bin/bare-grpc') });
    const lifecycle: string[] = [];
    const started = Date.now();
    assert.equal(await greetOnce({ ...m.options, sinks: { lifecycle: (_level, message) => lifecycle.push(message) } }, 'x'), 'hello x');
    assert.ok(Date.now() - started >= 2000, 'it waited the grace period for the plugin to exit');
    assert.ok(lifecycle.some((l) => /did not exit within 2000 ms of Shutdown; killing it/.test(l)), lifecycle.join('\n'));
    assert.deepEqual(m.leftovers(), []);
  });

  it('a plugin that fails its start (nothing answers at its address) is not sent Shutdown or given the grace, as startPlugin does', async () => {
    const nowhere = `${tempDir('greeter-nowhere-')}/nobody.sock`;
    const m = marked({ path: fixture('plugins/prints-line.sh'), env: { FIXTURE_LINE: `1|1|unix|${nowhere}|grpc|` } });
    const lifecycle: string[] = [];
    const sinks = { lifecycle: (_level: string, message: string) => lifecycle.push(message) };
    await assert.rejects(greetOnce({ ...m.options, sinks }, 'x'), /announced an address where nothing answers/);
    await assert.rejects(startPlugin({ ...m.options, sinks }), /announced an address where nothing answers/);
    assert.deepEqual(lifecycle.filter((l) => /Shutdown/.test(l)), [], 'neither path waited for a Shutdown the plugin never got');
    assert.deepEqual(m.leftovers(), []);
  });
});
