// Every id the manifest (package.json) and the code must agree on, in one place.

/** The Plugins tree view. */
export const VIEW_ID = 'greeter.plugins';
/** VS Code generates `<viewId>.focus` for every view; the status bar item runs it. */
export const FOCUS_VIEW_COMMAND = `${VIEW_ID}.focus`;
/** Settings section. */
export const CONFIG_SECTION = 'greeter';

/** Contributed commands. */
export const Commands = {
  greet: 'greeter.greet',
  greetWithPlugin: 'greeter.greetWithPlugin',
  greetAll: 'greeter.greetAll',
  startPlugin: 'greeter.startPlugin',
  stopPlugin: 'greeter.stopPlugin',
  restartPlugin: 'greeter.restartPlugin',
  startAll: 'greeter.startAll',
  stopAll: 'greeter.stopAll',
  restartAll: 'greeter.restartAll',
  showLog: 'greeter.showLog',
  addPlugin: 'greeter.addPlugin',
  newPlugin: 'greeter.newPlugin',
  openSettings: 'greeter.openSettings',
  clearHistory: 'greeter.clearHistory',
} as const;

/** Context keys used in `when` clauses of menus and welcome views. */
export const ContextKeys = {
  ready: 'greeter.ready',
  hasPlugins: 'greeter.hasPlugins',
  hasRunningPlugins: 'greeter.hasRunningPlugins',
  /** Some plugin can be started (stopped, or failed but not misconfigured). */
  hasStoppedPlugins: 'greeter.hasStoppedPlugins',
  /** Some plugin can be stopped (running, starting or restarting). */
  hasActivePlugins: 'greeter.hasActivePlugins',
  hasHistory: 'greeter.hasHistory',
  /** Restricted Mode holds back plugins the workspace's own settings configure. */
  workspacePluginsRestricted: 'greeter.workspacePluginsRestricted',
} as const;

/** Where the Greet command keeps the last name typed. */
export const LAST_NAME_KEY = 'greeter.lastName';
/** Where the Greet command keeps the last plugin picked. */
export const LAST_PLUGIN_KEY = 'greeter.lastPlugin';
