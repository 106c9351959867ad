// App protocol version negotiation, exactly as go-plugin's protocolVersion():
// the newest version both sides know, else the plugin's lowest so the host can
// report the mismatch itself.

/** The outcome of negotiation plus the complaints go-plugin prints to stderr. */
export interface NegotiatedVersion {
  version: number;
  /** True when the host offered this version (false: fallback to the lowest). */
  matched: boolean;
  /** The versions the host offered, parsed. */
  offered: number[];
  /** `server sent invalid plugin version "x"` for each unparsable entry. */
  warnings: string[];
}

/** Parses `PLUGIN_PROTOCOL_VERSIONS` the way Go's strconv.Atoi would (no spaces, base 10). */
export function parseOfferedVersions(raw: string | undefined): { offered: number[]; warnings: string[] } {
  const offered: number[] = [];
  const warnings: string[] = [];
  if (!raw) return { offered, warnings };
  for (const entry of raw.split(',')) {
    if (/^[+-]?\d+$/.test(entry) && Number.isSafeInteger(Number(entry))) {
      offered.push(Number(entry));
    } else {
      warnings.push(`server sent invalid plugin version ${JSON.stringify(entry)}`);
    }
  }
  return { offered, warnings };
}

/** Picks the app protocol version to serve from the plugin's versions and the host's offer. */
export function negotiateVersion(pluginVersions: number[], rawOffer: string | undefined): NegotiatedVersion {
  if (pluginVersions.length === 0) throw new Error('the plugin serves no protocol versions');
  const { offered, warnings } = parseOfferedVersions(rawOffer);
  const descending = [...new Set(pluginVersions)].sort((a, b) => b - a);
  for (const version of descending) {
    if (offered.includes(version)) return { version, matched: true, offered, warnings };
  }
  return { version: descending[descending.length - 1], matched: false, offered, warnings };
}
