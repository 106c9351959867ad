"""The go-plugin services every plugin serves besides its own: Health, Controller, Broker."""
import logging
import threading

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from plugin import grpc_broker_pb2_grpc, grpc_controller_pb2, grpc_controller_pb2_grpc

# go-plugin's GRPCServiceName: hosts ping Check({service: "plugin"}).
HEALTH_SERVICE_NAME = "plugin"


def add_health(server: grpc.Server) -> health.HealthServicer:
    """Registers grpc.health.v1.Health with "plugin" (and the server as a whole) SERVING."""
    servicer = health.HealthServicer(experimental_non_blocking=True)
    servicer.set(HEALTH_SERVICE_NAME, health_pb2.HealthCheckResponse.SERVING)
    servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    return servicer


class ControllerServicer(grpc_controller_pb2_grpc.GRPCControllerServicer):
    """Shutdown asks the main loop to stop the server and exit (go-plugin's grpc_controller.go)."""

    def __init__(self, shutdown: threading.Event, logger: logging.Logger) -> None:
        self._shutdown = shutdown
        self._logger = logger

    def Shutdown(self, request: grpc_controller_pb2.Empty, context: grpc.ServicerContext):
        self._logger.debug("shutdown requested by the host")
        self._shutdown.set()
        return grpc_controller_pb2.Empty()


class BrokerServicer(grpc_broker_pb2_grpc.GRPCBrokerServicer):
    """Keeps the host's StartStream open; this plugin brokers no extra connections itself."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def StartStream(self, request_iterator, context: grpc.ServicerContext):
        # Read ConnInfos until the host closes the stream; send nothing.
        for info in request_iterator:
            self._logger.debug("broker connection info received and ignored",
                               extra={"fields": {"service_id": info.service_id}})
        return
        yield  # Makes this a (never-yielding) response stream generator.
