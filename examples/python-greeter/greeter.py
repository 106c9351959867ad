#!/usr/bin/env python3
"""The tutorial's greeter plugin in Python: Greet(Person{name}) returns "hello <name>".

Launched by a go-plugin host (Go's hashicorp/go-plugin or this project's Node host)
with BASIC_PLUGIN=hello; run by hand it prints go-plugin's "This binary is a plugin"
message and exits 1. Dependencies: requirements.txt.
"""
import logging

import goplugin
import greeter_pb2
import greeter_pb2_grpc

# The tutorial's handshake (shared/interface.go); plugin-map key "greet" is host-side only.
HANDSHAKE = goplugin.HandshakeConfig(
    magic_cookie_key="BASIC_PLUGIN",
    magic_cookie_value="hello",
    protocol_versions=[1],
)

log = logging.getLogger("greeter")


class Greeter(greeter_pb2_grpc.GreeterServicer):
    """tutorial.Greeter: answers exactly as the Go tutorial plugin does."""

    def Greet(self, request: greeter_pb2.Person, context) -> greeter_pb2.Greeting:
        log.debug("greet called", extra={"fields": {"name": request.name}})
        # Plain stdout reaches the host through GRPCStdio (shown in the plugin's output).
        print(f"greeting {request.name}")
        return greeter_pb2.Greeting(message=f"hello {request.name}")


def main() -> None:
    goplugin.serve(HANDSHAKE, lambda server: greeter_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server),
                   name="greeter")


if __name__ == "__main__":
    main()
