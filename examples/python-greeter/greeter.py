#!/usr/bin/env python3
"""The tutorial's greeter plugin in Python: Greet(Person{name}) returns "hello <name>".

Launched by a go-plugin host (Go's hashicorp/go-plugin or this project's Node host)
with BASIC_PLUGIN=hello; run by hand it prints go-plugin's "This binary is a plugin"
message and exits 1. Dependencies: requirements.txt (grpclib).
"""
import logging

import goplugin
import greeter_grpc
import greeter_pb2

# The tutorial's handshake (shared/interface.go); plugin-map key "greet" is host-side only.
HANDSHAKE = goplugin.HandshakeConfig(
    magic_cookie_key="BASIC_PLUGIN",
    magic_cookie_value="hello",
    protocol_versions=[1],
)

log = logging.getLogger("greeter")


class Greeter(greeter_grpc.GreeterBase):
    """tutorial.Greeter: answers exactly as the Go tutorial plugin does."""

    async def Greet(self, stream) -> None:
        request = await stream.recv_message()
        log.debug("greet called", extra={"fields": {"name": request.name}})
        # Plain stdout reaches the host through GRPCStdio (shown in the plugin's output).
        print(f"greeting {request.name}")
        await stream.send_message(greeter_pb2.Greeting(message=f"hello {request.name}"))


if __name__ == "__main__":
    goplugin.serve(HANDSHAKE, lambda: [Greeter()], name="greeter")
