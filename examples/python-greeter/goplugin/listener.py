"""Where the plugin listens: a Unix socket (TCP 127.0.0.1 on Windows), chosen as go-plugin does."""
import os
import tempfile
from dataclasses import dataclass
from typing import Callable, Optional

import grpc


class ListenerError(RuntimeError):
    """The plugin cannot listen as the host asked; the message says why."""


@dataclass
class Listener:
    """A bound gRPC port and the handshake's network/address fields for it."""

    network: str
    address: str
    # Unix socket path to remove at exit (grpc does not always unlink it).
    socket_path: Optional[str] = None

    def close(self) -> None:
        """Removes the socket file, if any."""
        if self.socket_path:
            try:
                os.unlink(self.socket_path)
            except FileNotFoundError:
                pass


AddPort = Callable[[str], int]


def _unix_socket_path() -> str:
    """A fresh short path in PLUGIN_UNIX_SOCKET_DIR or the temp dir, like Go's os.CreateTemp(dir, "plugin")."""
    directory = os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or tempfile.gettempdir()
    fd, path = tempfile.mkstemp(prefix="plugin", dir=directory)
    os.close(fd)
    os.unlink(path)
    return path


def _apply_socket_group(path: str) -> None:
    """Honours PLUGIN_UNIX_SOCKET_GROUP (name or gid): the host's group may then connect."""
    group = os.environ.get("PLUGIN_UNIX_SOCKET_GROUP")
    if not group:
        return
    import grp  # POSIX only, like Unix sockets here.

    if group.isdigit():
        gid = int(group)
    else:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError as err:
            raise ListenerError(f'failed to find gid from "{group}": unknown group') from err
    try:
        os.chown(path, -1, gid)
        os.chmod(path, 0o660)
    except OSError as err:
        raise ListenerError(f"failed to make {path} writable by group {group}: {err}") from err


def _bind_tcp(add_port: AddPort) -> Listener:
    """Binds the first free port of PLUGIN_MIN_PORT..PLUGIN_MAX_PORT on 127.0.0.1 (0..0: any)."""
    low = int(os.environ.get("PLUGIN_MIN_PORT") or 0)
    high = int(os.environ.get("PLUGIN_MAX_PORT") or 0)
    if low > high:
        raise ListenerError(f"PLUGIN_MIN_PORT value of {low} is greater than PLUGIN_MAX_PORT value of {high}")
    for port in range(low, high + 1):
        try:
            bound = add_port(f"127.0.0.1:{port}")
        except RuntimeError:
            continue
        if bound:
            return Listener("tcp", f"127.0.0.1:{bound}")
    raise ListenerError("couldn't bind plugin TCP listener")


def bind(add_port: AddPort) -> Listener:
    """Binds the server's one listener; add_port is server.add_insecure_port or a TLS variant."""
    if os.name == "nt":
        return _bind_tcp(add_port)
    path = _unix_socket_path()
    if not add_port(f"unix:{path}"):
        raise ListenerError(f"couldn't listen on unix socket {path}")
    return Listener("unix", path, socket_path=path)


def after_start(listener: Listener) -> None:
    """Fix-ups that need the socket file to exist (it appears when the server starts)."""
    if listener.socket_path:
        _apply_socket_group(listener.socket_path)


def port_adder(server: grpc.Server, credentials: Optional[grpc.ServerCredentials]) -> AddPort:
    """Binds with TLS credentials when AutoMTLS is on, plaintext otherwise."""
    if credentials is None:
        return server.add_insecure_port
    return lambda target: server.add_secure_port(target, credentials)
