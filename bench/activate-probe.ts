// Times the extension's activate() in a fresh Node process, for the benchmark only:
// dist/extension.js is loaded with a minimal stand-in for the `vscode` module (installed
// by intercepting Module._load), then activate() is called and timed, then the probe
// waits until every configured plugin runs and deactivates, so no plugin is left behind.
//   node activate-probe.js EXTENSION_JS PLUGINS_JSON   -> one JSON line on stdout
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Module from 'node:module';
import { performance } from 'node:perf_hooks';

interface ProbeAnswer {
  /** require() of the bundle: module evaluation, before activate(). */
  loadMs: number;
  /** activate() itself: what VS Code's extension host waits for. */
  activateMs: number;
  /** From the start of activate() until every configured plugin is running (0 without plugins). */
  allRunningMs: number;
  /** deactivate(): until every plugin process is gone. */
  deactivateMs: number;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** A value that is callable, constructible and has every property, each again such a value. */
function anything(): unknown {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a promise
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (!cache.has(prop)) cache.set(prop, anything());
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

/**
 * Top-level names of the vscode API, from @types/vscode. The bundle's ESM interop copies
 * a module's own properties, so the fake must have each name as a real property.
 */
function vscodeApiNames(): string[] {
  const typings = require.resolve('@types/vscode/index.d.ts', { paths: [__dirname] });
  const text = readFileSync(typings, 'utf8');
  return [...text.matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1]);
}

/** The fake `vscode` module: real values where the extension reads data, `anything()` elsewhere. */
function fakeVscode(plugins: unknown[], apiNames: string[]): unknown {
  const base: Record<string, unknown> = {};
  for (const name of apiNames) base[name] = anything();
  const settings: Record<string, unknown> = { startTimeout: 10_000, callTimeout: 10_000, restartLimit: 5, autoMTLS: true };
  const configuration = {
    get: (key: string, fallback?: unknown) => (key in settings ? settings[key] : fallback),
    inspect: (key: string) => (key === 'plugins' ? { key, globalValue: plugins } : undefined),
    has: (key: string) => key in settings,
    update: async () => undefined,
  };
  const workspace = new Proxy(anything() as object, {
    get(target, prop, receiver) {
      if (prop === 'getConfiguration') return () => configuration;
      if (prop === 'isTrusted') return true;
      if (prop === 'workspaceFolders') return undefined;
      return Reflect.get(target, prop, receiver);
    },
  });
  class Disposable {
    static from(...items: { dispose(): unknown }[]) {
      return new Disposable(() => items.forEach((i) => i.dispose()));
    }
    constructor(private readonly onDispose: () => unknown) {}
    dispose() {
      this.onDispose();
    }
  }
  class EventEmitter<T> {
    private listeners = new Set<(e: T) => unknown>();
    event = (listener: (e: T) => unknown) => {
      this.listeners.add(listener);
      return new Disposable(() => this.listeners.delete(listener));
    };
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {
      this.listeners.clear();
    }
  }
  return { ...base, workspace, Disposable, EventEmitter };
}

/** The extension's global storage (its launch registry lives there): a fresh folder per probe, removed at exit. */
function probeStorage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'greeter-probe-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fakeContext(): unknown {
  const memento = new Map<string, unknown>();
  return {
    subscriptions: [] as unknown[],
    globalStorageUri: { fsPath: probeStorage(), scheme: 'file' },
    globalState: {
      get: (key: string, fallback?: unknown) => (memento.has(key) ? memento.get(key) : fallback),
      update: async (key: string, value: unknown) => void memento.set(key, value),
      keys: () => [...memento.keys()],
    },
    extension: { id: 'greeter-plugins.greeter-plugins', packageJSON: { version: 'bench' } },
  };
}

interface ExtensionModule {
  activate(context: unknown): { manager: { list(): { state: string }[]; onDidChange(l: () => void): { dispose(): void } } };
  deactivate(): Promise<void> | undefined;
}

/** Resolves when every plugin is 'running'; rejects when one fails. */
function allRunning(manager: ReturnType<ExtensionModule['activate']>['manager'], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const states = manager.list().map((s) => s.state);
      if (states.some((s) => s === 'failed')) reject(new Error(`a plugin failed to start: ${states.join(', ')}`));
      else if (states.length === count && states.every((s) => s === 'running')) resolve();
      else return;
      subscription.dispose();
    };
    const subscription = manager.onDidChange(check);
    check();
  });
}

async function main(): Promise<void> {
  const [extensionPath, pluginsJson = '[]'] = process.argv.slice(2);
  const plugins = JSON.parse(pluginsJson) as unknown[];
  const vscode = fakeVscode(plugins, vscodeApiNames());
  const moduleWithLoad = Module as unknown as { _load: AnyFunction };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function (this: unknown, request: unknown, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
  };

  const t0 = performance.now();
  const extension = require(extensionPath) as ExtensionModule;
  const t1 = performance.now();
  const api = extension.activate(fakeContext());
  const t2 = performance.now();
  if (plugins.length > 0) await allRunning(api.manager, plugins.length);
  const t3 = performance.now();
  await extension.deactivate();
  const t4 = performance.now();
  const answer: ProbeAnswer = {
    loadMs: t1 - t0,
    activateMs: t2 - t1,
    allRunningMs: plugins.length > 0 ? t3 - t1 : 0,
    deactivateMs: t4 - t3,
  };
  process.stdout.write(JSON.stringify(answer) + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`activate-probe: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
