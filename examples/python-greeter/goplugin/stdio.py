"""GRPCStdio: after the handshake, stdout writes travel to the host over StreamStdio.

Like a Go plugin, we swap what stdout points at once the handshake line is out: fd 1
becomes a pipe that a reader thread drains in chunks of at most 1 KiB (go-plugin's
grpcStdioBuffer). This catches print(), C extensions and child processes alike. The
thread (not the event loop) reads the pipe, so a handler that prints a lot while the
loop is busy never deadlocks. Logs keep going to the real stderr (fd 2).
"""
import asyncio
import logging
import os
import sys
import threading
from typing import Optional

from grpclib.server import Stream

from plugin import grpc_stdio_grpc, grpc_stdio_pb2

CHUNK_SIZE = 1024
# Chunks kept while no host is streaming; later output is dropped beyond that.
MAX_PENDING_CHUNKS = 1024
_END = None
# How long close() waits for the pump (a child process may still hold the pipe), and
# for open StreamStdio calls to send what is left.
DRAIN_SECONDS = 1.0


class StdoutCapture:
    """Owns the redirected fd 1 and the queue of chunks waiting for StreamStdio."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._loop = asyncio.get_running_loop()
        self._chunks: "asyncio.Queue[Optional[bytes]]" = asyncio.Queue(MAX_PENDING_CHUNKS)
        self._dropped = False
        self._original_fd: Optional[int] = None
        self._pump_thread: Optional[threading.Thread] = None
        self._streams_done = asyncio.Event()
        self._streams_done.set()
        self._open_streams = 0

    def start(self) -> None:
        """Points fd 1 at a pipe; the host's original pipe stays open (Go keeps it, too)."""
        sys.stdout.flush()
        read_fd, write_fd = os.pipe()
        self._original_fd = os.dup(1)
        os.dup2(write_fd, 1)
        os.close(write_fd)
        # Each printed line reaches the host at once, as one chunk.
        sys.stdout.reconfigure(line_buffering=True)
        self._pump_thread = threading.Thread(target=self._pump, args=(read_fd,), name="stdout-pump", daemon=True)
        self._pump_thread.start()

    def _pump(self, read_fd: int) -> None:
        while chunk := os.read(read_fd, CHUNK_SIZE):
            self._loop.call_soon_threadsafe(self._enqueue, chunk)
        os.close(read_fd)

    def _enqueue(self, chunk: Optional[bytes]) -> None:
        try:
            self._chunks.put_nowait(chunk)
        except asyncio.QueueFull:
            if not self._dropped:
                self._dropped = True
                self._logger.warning("stdout is not being read by the host; dropping output")

    def _put_end(self) -> None:
        """Queues the end marker, making room for it if the queue is full."""
        if self._chunks.full():
            self._chunks.get_nowait()
        self._chunks.put_nowait(_END)

    async def close(self) -> None:
        """Sends what was written so far through open StreamStdio calls, then ends them."""
        sys.stdout.flush()
        if self._original_fd is not None:
            # Closing our write end lets the pump drain the pipe and reach EOF.
            os.dup2(self._original_fd, 1)
            await asyncio.to_thread(self._pump_thread.join, DRAIN_SECONDS)
        # After the pump's last chunks (callbacks run in order).
        self._loop.call_soon(self._put_end)
        try:
            await asyncio.wait_for(self._streams_done.wait(), DRAIN_SECONDS)
        except asyncio.TimeoutError:
            self._logger.warning("the host did not take the last stdout output in time")

    async def stream_to(self, stream: Stream) -> None:
        """Sends queued chunks on one StreamStdio call until close()."""
        self._open_streams += 1
        self._streams_done.clear()
        try:
            while (chunk := await self._chunks.get()) is not _END:
                await stream.send_message(
                    grpc_stdio_pb2.StdioData(channel=grpc_stdio_pb2.StdioData.STDOUT, data=chunk))
            # Let any other open call see the end too.
            self._put_end()
        finally:
            self._open_streams -= 1
            if not self._open_streams:
                self._streams_done.set()


class Stdio(grpc_stdio_grpc.GRPCStdioBase):
    """Streams captured stdout to the host; the host calls it once, right after connecting."""

    def __init__(self, capture: StdoutCapture) -> None:
        self._capture = capture

    async def StreamStdio(self, stream: Stream) -> None:
        await stream.recv_message()
        await self._capture.stream_to(stream)
