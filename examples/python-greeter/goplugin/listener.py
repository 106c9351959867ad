"""Where the plugin listens: a Unix socket (TCP 127.0.0.1 on Windows), chosen as go-plugin does."""
import os
import ssl
import tempfile
from dataclasses import dataclass
from typing import Optional

from grpclib.server import Server


class ListenerError(RuntimeError):
    """The plugin cannot listen as the host asked; the message says why."""


@dataclass
class Listener:
    """The bound address as the handshake line's network/address fields."""

    network: str
    address: str
    # Unix socket path to remove at exit.
    socket_path: Optional[str] = None

    def close(self) -> None:
        """Removes the socket file, if any."""
        if self.socket_path:
            try:
                os.unlink(self.socket_path)
            except FileNotFoundError:
                pass


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


async def _bind_tcp(server: Server, tls: Optional[ssl.SSLContext]) -> Listener:
    """Binds the first free port of PLUGIN_MIN_PORT..PLUGIN_MAX_PORT on 127.0.0.1 (0..0: any)."""
    low = int(os.environ.get("PLUGIN_MIN_PORT") or 0)
    high = int(os.environ.get("PLUGIN_MAX_PORT") or 0)
    if low > high:
        raise ListenerError(f"PLUGIN_MIN_PORT value of {low} is greater than PLUGIN_MAX_PORT value of {high}")
    for port in range(low, high + 1):
        try:
            await server.start("127.0.0.1", port, ssl=tls)
        except OSError:
            continue
        bound = server._server.sockets[0].getsockname()[1]  # grpclib keeps the asyncio server here.
        return Listener("tcp", f"127.0.0.1:{bound}")
    raise ListenerError("couldn't bind plugin TCP listener")


async def start(server: Server, tls: Optional[ssl.SSLContext]) -> Listener:
    """Starts the server on its one listener, with TLS when AutoMTLS is on."""
    if os.name == "nt":
        return await _bind_tcp(server, tls)
    path = _unix_socket_path()
    try:
        await server.start(path=path, ssl=tls)
    except OSError as err:
        raise ListenerError(f"couldn't listen on unix socket {path}: {err}") from err
    listener = Listener("unix", path, socket_path=path)
    _apply_socket_group(path)
    return listener
