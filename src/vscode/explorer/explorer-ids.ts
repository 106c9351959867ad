// Ids the manifest (package.json) and the explorer's code must agree on.

export const ExplorerCommands = {
  callMethod: 'greeter.callMethod',
  sendRequest: 'greeter.sendRequest',
  reloadServices: 'greeter.reloadServices',
  /** Opens the settings of greeter.plugins (for protoFiles); not in the palette. */
  openPluginSettings: 'greeter.openExplorerSettings',
} as const;

/** True while the active editor is a request editor: Send's button and Ctrl+Enter. */
export const REQUEST_EDITOR_CONTEXT_KEY = 'greeter.isRequestEditor';

export const SHOW_INTERNAL_SETTING = 'greeter.explorer.showInternalServices';

/** Scheme of the read-only response documents. */
export const RESPONSE_SCHEME = 'greeter-response';
