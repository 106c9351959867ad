"""The go-plugin services every plugin serves besides its own: Health, Controller, Broker."""
import asyncio
import logging

from google.protobuf import empty_pb2  # noqa: F401  (registers the Empty type the stubs use)
from grpclib.const import Status
from grpclib.exceptions import GRPCError
from grpclib.health.v1.health_grpc import HealthBase
from grpclib.health.v1.health_pb2 import HealthCheckResponse
from grpclib.server import Stream

from plugin import grpc_broker_grpc, grpc_controller_grpc, grpc_controller_pb2

# go-plugin's GRPCServiceName: hosts ping Check({service: "plugin"}); "" is the server as a whole.
SERVING_NAMES = ("plugin", "")


class Health(HealthBase):
    """grpc.health.v1.Health: "plugin" and the server are SERVING for as long as it runs."""

    async def Check(self, stream: Stream) -> None:
        request = await stream.recv_message()
        if request.service not in SERVING_NAMES:
            raise GRPCError(Status.NOT_FOUND, f"unknown service {request.service!r}")
        await stream.send_message(HealthCheckResponse(status=HealthCheckResponse.SERVING))

    async def Watch(self, stream: Stream) -> None:
        request = await stream.recv_message()
        status = HealthCheckResponse.SERVING if request.service in SERVING_NAMES else HealthCheckResponse.SERVICE_UNKNOWN
        await stream.send_message(HealthCheckResponse(status=status))
        # The status never changes while we serve; the call ends when the host or the plugin stops.
        await asyncio.Event().wait()


class Controller(grpc_controller_grpc.GRPCControllerBase):
    """Shutdown asks the main loop to stop the server and exit (go-plugin's grpc_controller.go)."""

    def __init__(self, shutdown: asyncio.Event, logger: logging.Logger) -> None:
        self._shutdown = shutdown
        self._logger = logger

    async def Shutdown(self, stream: Stream) -> None:
        await stream.recv_message()
        self._logger.debug("shutdown requested by the host")
        await stream.send_message(grpc_controller_pb2.Empty())
        self._shutdown.set()


class Broker(grpc_broker_grpc.GRPCBrokerBase):
    """Keeps the host's StartStream open; this plugin brokers no extra connections itself."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    async def StartStream(self, stream: Stream) -> None:
        # Read ConnInfos until the host closes the stream; send nothing.
        async for info in stream:
            self._logger.debug("broker connection info received and ignored",
                               extra={"fields": {"service_id": info.service_id}})
