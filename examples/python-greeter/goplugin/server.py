"""serve(): run grpclib services as a go-plugin plugin until the host shuts it down."""
import asyncio
import logging
import os
import signal
import sys
from typing import Callable, Collection, NoReturn, Optional

from grpclib.reflection.service import ServerReflection
from grpclib.server import Server

from . import handshake, listener, mtls, services, stdio
from .handshake import HandshakeConfig
from .hclog import TRACE, configure_logging

# How often the main loop checks that the host is still our parent.
PARENT_POLL_SECONDS = 1.0

# Returns the application's service handlers (grpclib `...Base` subclasses).
Services = Callable[[], Collection[object]]


def _exit(code: int) -> NoReturn:
    """Leaves at once: nothing is left to clean up, and no stream may hold the exit."""
    sys.stderr.flush()
    os._exit(code)


async def _watch_parent(parent: int, shutdown: asyncio.Event, logger: logging.Logger) -> None:
    """Sets shutdown when the host dies and we are re-parented."""
    while os.getppid() == parent:
        await asyncio.sleep(PARENT_POLL_SECONDS)
    logger.info("host process exited, shutting down", extra={"fields": {"parent_pid": parent}})
    shutdown.set()


def _handle_signals(shutdown: asyncio.Event, logger: logging.Logger) -> None:
    """SIGTERM shuts down cleanly; Ctrl-C reaches the whole process group, and the host owns shutdown."""
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, shutdown.set)
    loop.add_signal_handler(signal.SIGINT, lambda: logger.log(TRACE, "plugin received interrupt signal, ignoring"))


async def _serve(config: HandshakeConfig, app_services: Services, name: str, parent: int) -> int:
    logger = configure_logging(name)
    shutdown = asyncio.Event()
    _handle_signals(shutdown, logger)

    offered = handshake.host_protocol_versions(os.environ.get("PLUGIN_PROTOCOL_VERSIONS"))
    version = handshake.negotiate_version(config.protocol_versions, offered)
    capture = stdio.StdoutCapture(logger)
    handlers = [*app_services(), services.Health(), services.Controller(shutdown, logger),
                services.Broker(logger), stdio.Stdio(capture)]
    # Server reflection lets tools (grpcurl, the extension's explorer) list and call the services.
    server = Server(ServerReflection.extend(handlers))
    bound: Optional[listener.Listener] = None
    try:
        tls = mtls.server_tls_from_env()
        if tls:
            logger.debug("configuring server automatic mTLS")
        bound = await listener.start(server, tls.context if tls else None)
    except (mtls.AutoMTLSError, listener.ListenerError) as err:
        # No handshake line: the host reports an early exit and shows this stderr line.
        logger.error(str(err))
        if bound:
            bound.close()
        return 1
    logger.debug("plugin address", extra={"fields": {"network": bound.network, "address": bound.address}})

    handshake.write_handshake(
        handshake.handshake_line(version, bound.network, bound.address, tls.cert_der if tls else None))
    capture.start()

    parent_watch = asyncio.create_task(_watch_parent(parent, shutdown, logger))
    await shutdown.wait()
    parent_watch.cancel()
    await capture.close()
    server.close()
    bound.close()
    logger.debug("plugin exited")
    return 0


def serve(config: HandshakeConfig, app_services: Services, name: str = "plugin") -> NoReturn:
    """Serves app_services() plus go-plugin's own services, then exits the process."""
    # Taken first: the host may die while we start, and we must still notice.
    parent = os.getppid()
    handshake.check_magic_cookie(config)
    _exit(asyncio.run(_serve(config, app_services, name, parent)))
