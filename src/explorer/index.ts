// The plugin explorer: any go-plugin plugin's services, through gRPC reflection or
// configured .proto files, called dynamically with canonical proto3 JSON. No vscode here;
// the CLI (`greeter list | describe | call`) and the extension share it.
export { ExplorerError, isExplorerError, type ExplorerErrorCode, type ExplorerErrorDetails, type TextPosition } from './errors';
export {
  loadCatalog,
  forgetCatalog,
  PluginCatalog,
  INTERNAL_SERVICES,
  DEFAULT_REFLECTION_TIMEOUT_MS,
  type CatalogOptions,
  type CatalogSource,
  type MethodKind,
} from './catalog';
export { callMethod, DEFAULT_DYNAMIC_CALL_TIMEOUT_MS, type CallOutcome, type DynamicCallOptions, type DynamicRequest } from './dynamic-call';
export type { MetadataRecord } from './call-status';
export { parseRequestJson, requestFromValue, type RequestContext } from './request-json';
export { toProtoSyntax } from './proto-syntax';
export { requestTemplate, requestJsonSchema } from './request-template';
export { compileProtoFiles, type ProtoSources } from './proto-compiler';
export {
  applyHandshakePreset,
  handshakePreset,
  HANDSHAKE_PRESETS,
  HANDSHAKE_PRESET_NAMES,
  type HandshakePreset,
  type HandshakePresetName,
} from './presets';
