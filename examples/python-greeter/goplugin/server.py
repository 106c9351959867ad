"""serve(): run gRPC services as a go-plugin plugin until the host shuts it down."""
import logging
import os
import signal
import sys
import threading
from concurrent import futures
from typing import Callable, NoReturn, Optional

import grpc

from . import handshake, listener, mtls, services, stdio
from .handshake import HandshakeConfig
from .hclog import TRACE, configure_logging

# Long-lived streams (stdio, broker, health watches) each hold a worker thread.
MAX_WORKERS = 16
# How often the main loop checks that the host is still our parent.
PARENT_POLL_SECONDS = 1.0
# In-flight calls get this long to finish once shutdown starts.
STOP_GRACE_SECONDS = 0.2

RegisterServices = Callable[[grpc.Server], None]


def _ignore_interrupts(logger: logging.Logger) -> None:
    """Ctrl-C in a terminal reaches the whole process group; the host owns shutdown."""
    signal.signal(signal.SIGINT, lambda *_: logger.log(TRACE, "plugin received interrupt signal, ignoring"))


def _stop_on_sigterm(shutdown: threading.Event) -> None:
    """SIGTERM shuts down cleanly (socket removed) instead of dying mid-write."""
    signal.signal(signal.SIGTERM, lambda *_: shutdown.set())


def _wait_for_shutdown(shutdown: threading.Event, parent: int, logger: logging.Logger) -> None:
    """Returns on Shutdown/SIGTERM, or when the host dies and we are re-parented."""
    while not shutdown.wait(PARENT_POLL_SECONDS):
        if os.getppid() != parent:
            logger.info("host process exited, shutting down", extra={"fields": {"parent_pid": parent}})
            return


def _exit(code: int) -> NoReturn:
    """Leaves at once: worker threads may still sit in long-lived streams."""
    sys.stderr.flush()
    os._exit(code)


def _build_server(register: RegisterServices, shutdown: threading.Event, capture: stdio.StdoutCapture,
                  logger: logging.Logger) -> grpc.Server:
    """The application's services plus Health, GRPCController, GRPCBroker and GRPCStdio."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=MAX_WORKERS), options=[
        # Go hosts dial with MaxInt32 message sizes; don't be the smaller side.
        ("grpc.max_receive_message_length", -1),
        ("grpc.max_send_message_length", -1),
    ])
    register(server)
    services.add_health(server)
    services.grpc_controller_pb2_grpc.add_GRPCControllerServicer_to_server(
        services.ControllerServicer(shutdown, logger), server)
    services.grpc_broker_pb2_grpc.add_GRPCBrokerServicer_to_server(services.BrokerServicer(logger), server)
    stdio.grpc_stdio_pb2_grpc.add_GRPCStdioServicer_to_server(stdio.StdioServicer(capture), server)
    return server


def serve(config: HandshakeConfig, register: RegisterServices, name: str = "plugin") -> NoReturn:
    """Serves register()'s services plus go-plugin's own, then exits the process."""
    # Taken first: the host may die while we start, and we must still notice.
    parent = os.getppid()
    handshake.check_magic_cookie(config)
    logger = configure_logging(name)
    _ignore_interrupts(logger)
    shutdown = threading.Event()
    _stop_on_sigterm(shutdown)

    offered = handshake.host_protocol_versions(os.environ.get("PLUGIN_PROTOCOL_VERSIONS"))
    version = handshake.negotiate_version(config.protocol_versions, offered)
    capture = stdio.StdoutCapture(logger)
    server = _build_server(register, shutdown, capture, logger)
    bound: Optional[listener.Listener] = None
    try:
        tls = mtls.server_tls_from_env()
        bound = listener.bind(listener.port_adder(server, tls.credentials if tls else None))
        server.start()
        listener.after_start(bound)
    except (mtls.AutoMTLSError, listener.ListenerError) as err:
        # No handshake line: the host reports an early exit and shows this stderr line.
        logger.error(str(err))
        if bound:
            bound.close()
        _exit(1)
    logger.debug("plugin address", extra={"fields": {"network": bound.network, "address": bound.address}})

    handshake.write_handshake(
        handshake.handshake_line(version, bound.network, bound.address, tls.cert_der if tls else None))
    capture.start()

    _wait_for_shutdown(shutdown, parent, logger)
    capture.close()
    server.stop(grace=STOP_GRACE_SECONDS).wait()
    bound.close()
    logger.debug("plugin exited")
    _exit(0)
