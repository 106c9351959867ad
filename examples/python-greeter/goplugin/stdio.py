"""GRPCStdio: after the handshake, stdout writes travel to the host over StreamStdio.

Like a Go plugin, we swap what stdout points at once the handshake line is out: fd 1
becomes a pipe that a reader thread drains in chunks of at most 1 KiB (go-plugin's
grpcStdioBuffer). This catches print(), C extensions and child processes alike.
Logs keep going to the real stderr (fd 2), which the host parses as log lines.
"""
import logging
import os
import queue
import sys
import threading
from typing import Iterator, Optional

import grpc
from google.protobuf import empty_pb2

from plugin import grpc_stdio_pb2, grpc_stdio_pb2_grpc

CHUNK_SIZE = 1024
# Chunks kept while no host is streaming; older output is dropped beyond that.
MAX_PENDING_CHUNKS = 1024
_END = None
# How long close() waits for the pump (a child process may still hold the pipe).
DRAIN_SECONDS = 1.0


class StdoutCapture:
    """Owns the redirected fd 1 and the queue of chunks waiting for StreamStdio."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._chunks: "queue.Queue[Optional[bytes]]" = queue.Queue(MAX_PENDING_CHUNKS)
        self._closed = threading.Event()
        self._dropped = False
        self._original_fd: Optional[int] = None
        self._pump_thread: Optional[threading.Thread] = None

    def start(self) -> None:
        """Points fd 1 at a pipe; the host's original pipe stays open (Go keeps it, too)."""
        sys.stdout.flush()
        read_fd, write_fd = os.pipe()
        self._original_fd = os.dup(1)
        os.dup2(write_fd, 1)
        os.close(write_fd)
        # Each print() reaches the host promptly instead of waiting for a full buffer.
        sys.stdout.reconfigure(line_buffering=True, write_through=True)
        self._pump_thread = threading.Thread(target=self._pump, args=(read_fd,), name="stdout-pump", daemon=True)
        self._pump_thread.start()

    def _pump(self, read_fd: int) -> None:
        while True:
            chunk = os.read(read_fd, CHUNK_SIZE)
            if not chunk:
                break
            self._enqueue(chunk)
        self._enqueue(_END)

    def _enqueue(self, chunk: Optional[bytes]) -> None:
        try:
            self._chunks.put_nowait(chunk)
        except queue.Full:
            if not self._dropped:
                self._dropped = True
                self._logger.warning("stdout is not being read by the host; dropping output")

    def close(self) -> None:
        """Sends what was written so far, then ends open StreamStdio calls."""
        sys.stdout.flush()
        if self._original_fd is not None:
            # Closing our write end lets the pump drain the pipe and reach EOF.
            os.dup2(self._original_fd, 1)
            self._pump_thread.join(DRAIN_SECONDS)
        self._closed.set()

    def chunks(self, context: grpc.ServicerContext) -> Iterator[bytes]:
        """Queued chunks until the call ends or the plugin shuts down."""
        while context.is_active():
            try:
                chunk = self._chunks.get(timeout=0.5)
            except queue.Empty:
                if self._closed.is_set():
                    return
                continue
            if chunk is _END:
                return
            yield chunk


class StdioServicer(grpc_stdio_pb2_grpc.GRPCStdioServicer):
    """Streams captured stdout to the host; the host calls it once, right after connecting."""

    def __init__(self, capture: StdoutCapture) -> None:
        self._capture = capture

    def StreamStdio(self, request: empty_pb2.Empty, context: grpc.ServicerContext):
        for chunk in self._capture.chunks(context):
            yield grpc_stdio_pb2.StdioData(channel=grpc_stdio_pb2.StdioData.STDOUT, data=chunk)
