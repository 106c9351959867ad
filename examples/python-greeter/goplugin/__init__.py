"""A small go-plugin server for Python: serve gRPC services to a go-plugin host.

It speaks HashiCorp go-plugin's protocol (cookie check, version negotiation,
handshake line, Health, GRPCController, GRPCStdio, GRPCBroker, AutoMTLS, hclog
logs), so Go hosts and this project's Node host can launch Python plugins.
"""
import os
import sys

# The generated modules import each other as top-level names ("plugin.grpc_stdio_pb2").
_GENERATED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "generated")
if _GENERATED not in sys.path:
    sys.path.insert(0, _GENERATED)

from .handshake import HandshakeConfig  # noqa: E402
from .server import serve  # noqa: E402

__all__ = ["HandshakeConfig", "serve"]
