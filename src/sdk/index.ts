// The Node/TypeScript plugin SDK: serve a go-plugin gRPC plugin that any go-plugin
// host (Go's, or this project's src/host) can launch. No vscode here.
export { serve } from './serve';
export type { ServeOptions, ServedPlugin, PluginContext, PluginService, RegisterServices } from './serve';
export { REFLECTION_SERVICES } from './reflection';
export { createLogger, formatLogLine, formatTimestamp } from './logger';
export type { Logger, LoggerOptions, LogFields } from './logger';
export { PluginSideBroker, BROKER_WAIT_MS } from './broker';
export type { BrokeredServer, BrokeredConnection } from './broker';
export { checkMagicCookie, NOT_A_PLUGIN_MESSAGE, MISCONFIGURED_COOKIE_MESSAGE } from './cookie';
export { negotiateVersion, parseOfferedVersions } from './versions';
export type { NegotiatedVersion } from './versions';
export { formatHandshakeLine, CORE_PROTOCOL_VERSION } from './handshake-line';
export { encodeHandshakeCert } from './mtls';
export { generateCertificate } from '../host/certificate';
export type { CertificateCurve, GeneratedCertificate } from './mtls';
export { SdkError } from './errors';
export type { SdkErrorCode } from './errors';
export { TUTORIAL_HANDSHAKE } from '../host/types';
export type { HandshakeConfig } from '../host/types';
