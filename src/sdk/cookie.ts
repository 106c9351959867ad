// The magic-cookie check every go-plugin plugin performs first: a UX guard that
// tells a person who runs the plugin by hand what it is (server.go Serve).
import type { HandshakeConfig } from '../host/types';

/** go-plugin's exact text when the cookie is absent or wrong. */
export const NOT_A_PLUGIN_MESSAGE =
  'This binary is a plugin. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins, which will\n' +
  'load any plugins automatically\n';

/** go-plugin's exact text when the plugin itself has no cookie configured. */
export const MISCONFIGURED_COOKIE_MESSAGE =
  'Misconfigured ServeConfig given to serve this plugin: no magic cookie\n' +
  'key or value was set. Please notify the plugin author and report\n' +
  'this as a bug.\n';

/** Returns the message to print before exiting with code 1, or undefined when the cookie matches. */
export function checkMagicCookie(
  handshake: Pick<HandshakeConfig, 'magicCookieKey' | 'magicCookieValue'>,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!handshake.magicCookieKey || !handshake.magicCookieValue) return MISCONFIGURED_COOKIE_MESSAGE;
  if (env[handshake.magicCookieKey] !== handshake.magicCookieValue) return NOT_A_PLUGIN_MESSAGE;
  return undefined;
}
