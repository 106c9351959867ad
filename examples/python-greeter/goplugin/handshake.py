"""The go-plugin handshake: magic cookie, app version negotiation and the stdout line."""
import base64
import os
import sys
from dataclasses import dataclass, field
from typing import List, Optional

# go-plugin's core protocol version; a host refuses any other.
CORE_PROTOCOL_VERSION = 1

# server.go's exact words, so users see the same message as with a Go plugin.
NOT_A_PROGRAM_MESSAGE = (
    "This binary is a plugin. These are not meant to be executed directly.\n"
    "Please execute the program that consumes these plugins, which will\n"
    "load any plugins automatically\n"
)


@dataclass(frozen=True)
class HandshakeConfig:
    """What plugin and host must agree on (go-plugin's HandshakeConfig plus VersionedPlugins keys)."""

    magic_cookie_key: str
    magic_cookie_value: str
    protocol_versions: List[int] = field(default_factory=lambda: [1])


def check_magic_cookie(config: HandshakeConfig) -> None:
    """Exits 1 with go-plugin's message when run by hand instead of by a host."""
    if os.environ.get(config.magic_cookie_key) != config.magic_cookie_value:
        os.write(2, NOT_A_PROGRAM_MESSAGE.encode())
        os._exit(1)


def host_protocol_versions(raw: Optional[str]) -> List[int]:
    """Parses PLUGIN_PROTOCOL_VERSIONS ("1,2"); bad entries are reported and skipped, as in Go."""
    versions = []
    for part in (raw or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            versions.append(int(part))
        except ValueError:
            sys.stderr.write(f'server sent invalid plugin version "{part}"\n')
    return versions


def negotiate_version(ours: List[int], offered: List[int]) -> int:
    """Our highest version the host offers; else our lowest, and the host reports the mismatch."""
    for version in sorted(ours, reverse=True):
        if version in offered:
            return version
    return min(ours)


def encode_server_cert(der: Optional[bytes]) -> str:
    """Field 6: base64 of the DER certificate without '=' padding (Go's RawStdEncoding)."""
    if der is None:
        return ""
    return base64.b64encode(der).decode("ascii").rstrip("=")


def handshake_line(app_version: int, network: str, address: str, server_cert_der: Optional[bytes]) -> str:
    """The one stdout line a host waits for; field 7 only when the host asked about multiplexing."""
    fields = [str(CORE_PROTOCOL_VERSION), str(app_version), network, address, "grpc",
              encode_server_cert(server_cert_der)]
    if os.environ.get("PLUGIN_MULTIPLEX_GRPC"):
        # This plugin has no yamux support: say so instead of leaving the host guessing.
        fields.append("false")
    return "|".join(fields) + "\n"


def write_handshake(line: str) -> None:
    """Writes straight to fd 1, unbuffered, so the line is out before anything else."""
    data = line.encode()
    while data:
        written = os.write(1, data)
        data = data[written:]
