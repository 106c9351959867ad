// Parsing and validation of the plugin's first stdout line (PROTOCOL.md §2):
//   CORE|APPVER|NETWORK|ADDRESS|PROTOCOL|SERVERCERT[|MUXSUPPORTED]
import { PluginError } from './errors';
import type { Handshake } from './types';

/** go-plugin's core protocol version; only 1 has ever existed. */
export const CORE_PROTOCOL_VERSION = 1;

/** Field 6 is only a certificate when longer than this (older plugins put short data there). */
const MIN_CERT_FIELD_LENGTH = 50;

export interface HandshakeExpectations {
  /** Plugin name for messages. */
  name: string;
  /** App protocol versions the host offered. */
  offeredVersions: number[];
}

/** Parses and validates a handshake line, throwing a PluginError that says what is wrong. */
export function parseHandshake(rawLine: string, expect: HandshakeExpectations): Handshake {
  const line = rawLine.trim();
  const parts = line.split('|');
  const shown = truncateForMessage(line);
  if (parts.length < 4) {
    throw new PluginError(
      'MALFORMED_HANDSHAKE',
      `Plugin "${expect.name}" printed "${shown}" instead of a go-plugin handshake line ` +
        `(CORE|APPVER|NETWORK|ADDRESS|PROTOCOL|CERT). Plugins must not write to stdout before the handshake; ` +
        `check that the path points at a go-plugin plugin and that it logs to stderr.`,
    );
  }
  const [coreField, appField, networkField, address, protocolField = 'netrpc', certField = '', muxField] = parts;

  const coreVersion = parseInteger(coreField);
  if (coreVersion === undefined) {
    throw new PluginError(
      'MALFORMED_HANDSHAKE',
      `Plugin "${expect.name}" sent an unreadable core protocol version "${coreField}" in its handshake "${shown}".`,
    );
  }
  if (coreVersion !== CORE_PROTOCOL_VERSION) {
    throw new PluginError(
      'CORE_VERSION_MISMATCH',
      `Plugin "${expect.name}" speaks go-plugin core protocol ${coreVersion}, but this host speaks ${CORE_PROTOCOL_VERSION}. ` +
        `The plugin usually only needs to be rebuilt with a current github.com/hashicorp/go-plugin.`,
    );
  }

  const appVersion = parseInteger(appField);
  if (appVersion === undefined) {
    throw new PluginError(
      'MALFORMED_HANDSHAKE',
      `Plugin "${expect.name}" sent an unreadable app protocol version "${appField}" in its handshake "${shown}".`,
    );
  }
  if (!expect.offeredVersions.includes(appVersion)) {
    throw new PluginError(
      'APP_VERSION_MISMATCH',
      `Plugin "${expect.name}" speaks app protocol version ${appVersion}, but the host offered ` +
        `${expect.offeredVersions.join(', ')}. Offer protocol version ${appVersion} for this plugin if the host ` +
        `is compatible with it, or use a plugin built for version ${expect.offeredVersions.join(' or ')}.`,
    );
  }

  if (networkField !== 'unix' && networkField !== 'tcp') {
    throw new PluginError(
      'MALFORMED_HANDSHAKE',
      `Plugin "${expect.name}" asked for network "${networkField}" in its handshake; only "unix" and "tcp" exist.`,
    );
  }
  validateAddress(networkField, address, expect.name);

  const protocol = protocolField === '' ? 'netrpc' : protocolField;
  if (protocol === 'netrpc') {
    throw new PluginError(
      'UNSUPPORTED_PROTOCOL',
      `Plugin "${expect.name}" uses go-plugin's net/rpc protocol. Only gRPC plugins are supported: ` +
        `serve it with GRPCServer: plugin.DefaultGRPCServer and implement plugin.GRPCPlugin.`,
    );
  }
  if (protocol !== 'grpc') {
    throw new PluginError(
      'UNSUPPORTED_PROTOCOL',
      `Plugin "${expect.name}" uses protocol "${protocol}". Only gRPC plugins are supported.`,
    );
  }

  let serverCert: Buffer | undefined;
  if (certField.length > MIN_CERT_FIELD_LENGTH) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(certField)) {
      throw new PluginError(
        'MALFORMED_HANDSHAKE',
        `Plugin "${expect.name}" sent a server certificate that is not base64 in its handshake.`,
      );
    }
    serverCert = Buffer.from(certField, 'base64');
  }

  let muxSupported: boolean | undefined;
  if (muxField !== undefined && muxField !== '') {
    muxSupported = muxField === 'true' || muxField === '1' || muxField === 'TRUE' || muxField === 'True';
  }

  return { coreVersion, appVersion, network: networkField, address, protocol, serverCert, muxSupported };
}

function parseInteger(field: string): number | undefined {
  return /^-?\d+$/.test(field) ? Number.parseInt(field, 10) : undefined;
}

function validateAddress(network: 'unix' | 'tcp', address: string, name: string): void {
  if (network === 'unix') {
    if (!address.startsWith('/')) {
      throw new PluginError(
        'MALFORMED_HANDSHAKE',
        `Plugin "${name}" sent the unix socket address "${address}", which is not an absolute path.`,
      );
    }
    return;
  }
  const match = /^(.+):(\d{1,5})$/.exec(address);
  if (!match || Number(match[2]) > 65535) {
    throw new PluginError(
      'MALFORMED_HANDSHAKE',
      `Plugin "${name}" sent the TCP address "${address}", which is not host:port.`,
    );
  }
}

function truncateForMessage(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
