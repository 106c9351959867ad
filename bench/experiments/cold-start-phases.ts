// Where a cold start of the Go plugin spends its time on our side: timestamps from the
// host's lifecycle log ("starting" right before spawn, "plugin started" right after the
// handshake) and from wrapping PluginClient.openStreams and ping, over 80 starts.
//   node --import tsx bench/experiments/cold-start-phases.ts [--auto-mtls] [PLUGIN]
import { join } from 'node:path';
import { greet } from '../../src/greeter';
import { PluginClient, startPlugin } from '../../src/host';
import { percentile } from '../stats';
import { exitOnHelp } from '../usage';

exitOnHelp(`Usage: node --import tsx bench/experiments/cold-start-phases.ts [--auto-mtls] [PLUGIN]
  Phases of a cold start on our host over 80 starts (default PLUGIN: the tutorial's Go plugin).`);

const marks: Record<string, number> = {};
const prototype = PluginClient.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const method of ['openStreams', 'ping']) {
  const original = prototype[method];
  prototype[method] = function (this: unknown, ...args: unknown[]) {
    marks[`${method} called`] = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise) void result.then(() => (marks[`${method} done`] = performance.now()));
    else marks[`${method} done`] = performance.now();
    return result;
  };
}

async function main(): Promise<void> {
  const autoMTLS = process.argv.includes('--auto-mtls');
  const path = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? join(__dirname, '../../examples/go-greeter/bin/greeter');
  const phases: Record<string, number[]> = {};
  for (let i = 0; i < 80; i++) {
    const t0 = performance.now();
    const client = await startPlugin({
      path,
      autoMTLS,
      sinks: {
        log: () => undefined,
        lifecycle: (_level, message) => {
          if (message.startsWith('starting ')) marks['before spawn'] = performance.now();
          if (message.startsWith('plugin started')) marks['handshake parsed'] = performance.now();
        },
      },
    });
    marks['startPlugin resolved'] = performance.now();
    await greet(client, 'Alice');
    marks['first Greet answered'] = performance.now();
    await client.stop();
    if (i < 5) continue; // warm-up
    let previous = t0;
    for (const mark of ['before spawn', 'handshake parsed', 'openStreams called', 'openStreams done', 'ping called', 'ping done', 'startPlugin resolved', 'first Greet answered']) {
      (phases[mark] ??= []).push(marks[mark] - previous);
      previous = marks[mark];
    }
  }
  console.log(`cold start phases${autoMTLS ? ' (AutoMTLS)' : ''}, median ms since the previous mark:`);
  for (const [mark, values] of Object.entries(phases)) console.log(`  ${mark.padEnd(22)} +${percentile(values, 50).toFixed(2)}`);
}

void main();
