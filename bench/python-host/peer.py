"""The benchmark's third side: a host built on the PyPI package python-plugin (module
pyplugin, asyncio + grpclib) performing the measurements of bench/ours-peer.ts and
bench/go-host, so bench/run.ts can interleave all three.

    peer.py                                   serve: one JSON request per stdin line,
                                              one JSON answer per stdout line
    peer.py once --plugin PATH [--automtls] NAME   a whole host process: start, greet, stop

Requests and answers are described in bench/protocol.ts. Every plugin a request starts
is stopped before its answer is written. Runs in bench/.venv (made by bench/build.ts).
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpclib.client import UnaryUnaryMethod

import pyplugin

# The call deadline every side sets on each Greet (bench/protocol.ts CALL_TIMEOUT_MS).
CALL_TIMEOUT_S = 10.0
START_TIMEOUT_S = 20.0
HANDSHAKE = pyplugin.HandshakeConfig(protocol_version=1, magic_cookie_key="BASIC_PLUGIN", magic_cookie_value="hello")


def _greeter_messages():
    """tutorial.Person and tutorial.Greeting (proto/greeter.proto), built at run time:
    two one-field messages do not need a protoc step."""
    fdp = descriptor_pb2.FileDescriptorProto(name="bench_greeter.proto", package="tutorial", syntax="proto3")
    for msg, field in (("Person", "name"), ("Greeting", "message")):
        m = fdp.message_type.add(name=msg)
        m.field.add(name=field, number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                    label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return (message_factory.GetMessageClass(pool.FindMessageTypeByName("tutorial.Person")),
            message_factory.GetMessageClass(pool.FindMessageTypeByName("tutorial.Greeting")))


Person, Greeting = _greeter_messages()


class GreeterPlugin(pyplugin.Plugin):
    """Host side of the tutorial's "greeter" plugin: a grpclib unary method."""

    def servicers(self, broker):
        raise NotImplementedError("host side only")

    def stub(self, broker, channel):
        return UnaryUnaryMethod(channel, "/tutorial.Greeter/Greet", Person, Greeting)


class _CountingHandler(logging.Handler):
    """Stands in for a host's log sink: takes the plugin's forwarded stderr lines and only counts them."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = 0

    def emit(self, record):
        self.records += 1


_sink = _CountingHandler()
_logger = logging.getLogger("bench.python-peer")
_logger.addHandler(_sink)
_logger.setLevel(logging.INFO)
_logger.propagate = False


def _ms_since(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _new_client(plugin: str, auto_mtls: bool, env=None) -> pyplugin.Client:
    return pyplugin.Client(pyplugin.ClientConfig(
        handshake_config=HANDSHAKE, plugins={"greeter": GreeterPlugin()}, cmd=[plugin],
        auto_mtls=auto_mtls, start_timeout=START_TIMEOUT_S, logger=_logger, env=env))


async def _greet(greeter, name: str = "Alice") -> str:
    reply = await greeter(Person(name=name), timeout=CALL_TIMEOUT_S)
    if reply.message != "hello " + name:
        raise RuntimeError(f'Greet answered "{reply.message}", want "hello {name}"')
    return reply.message


async def start_greeter(plugin: str, auto_mtls: bool, env=None):
    """Launch, handshake, connect + health check, first Greet; phase times in ms.
    Client.start() is exactly _spawn_and_handshake() then _dial(); they are called
    apart only to time the handshake line separately, as the other sides do."""
    t0 = time.perf_counter()
    client = _new_client(plugin, auto_mtls, env)
    try:
        await client._spawn_and_handshake()
        handshake_ms = _ms_since(t0)
        await client._dial()
        connected_ms = _ms_since(t0)
        greeter = client.dispense("greeter")
        await _greet(greeter)
    except BaseException:
        await client.kill()
        raise
    return client, greeter, {"handshakeMs": handshake_ms, "connectedMs": connected_ms, "firstGreetMs": _ms_since(t0)}


async def _stop_timed(client) -> float:
    t0 = time.perf_counter()
    await client.kill()
    return _ms_since(t0)


async def measure_cold(req):
    client, _, phases = await start_greeter(req["plugin"], req["autoMTLS"])
    return {**phases, "stopMs": await _stop_timed(client)}


async def measure_floor(req):
    """Exec to the handshake line with no host library (subprocess, as pyplugin spawns)."""
    with tempfile.TemporaryDirectory(prefix="plugin-dir") as d:
        env = {**os.environ, "BASIC_PLUGIN": "hello", "PLUGIN_PROTOCOL_VERSIONS": "1", "PLUGIN_MIN_PORT": "10000",
               "PLUGIN_MAX_PORT": "25000", "PLUGIN_UNIX_SOCKET_DIR": d}
        if req.get("clientCertPem"):
            env["PLUGIN_CLIENT_CERT"] = req["clientCertPem"]
        t0 = time.perf_counter()
        proc = subprocess.Popen([req["plugin"]], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, bufsize=0)
        line = await asyncio.get_running_loop().run_in_executor(None, proc.stdout.readline)
        elapsed = _ms_since(t0)
        proc.kill()
        proc.wait()
        proc.stdout.close()
        if not line:
            raise RuntimeError(f"{req['plugin']} exited before its handshake line")
        return {"handshakeMs": elapsed}


async def measure_warm(req):
    client, greeter, _ = await start_greeter(req["plugin"], req["autoMTLS"])
    try:
        for _ in range(req["warmup"]):
            await _greet(greeter)
        latencies = []
        cpu0 = time.process_time()
        for _ in range(req["calls"]):
            t0 = time.perf_counter()
            await _greet(greeter)
            latencies.append((time.perf_counter() - t0) * 1e6)
        return {"latenciesUs": latencies, "cpuPerCallUs": (time.process_time() - cpu0) * 1e6 / req["calls"]}
    finally:
        await client.kill()


async def _greet_loop(greeter, in_flight: int, duration_ms: float) -> int:
    end = time.perf_counter() + duration_ms / 1000
    calls = 0

    async def caller():
        nonlocal calls
        while time.perf_counter() < end:
            await _greet(greeter)
            calls += 1

    await asyncio.gather(*(caller() for _ in range(in_flight)))
    return calls


async def measure_throughput(req):
    client, greeter, _ = await start_greeter(req["plugin"], req["autoMTLS"])
    try:
        await _greet_loop(greeter, req["inFlight"], req["durationMs"] / 4)
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        calls = await _greet_loop(greeter, req["inFlight"], req["durationMs"])
        elapsed = time.perf_counter() - t0
        return {"calls": calls, "elapsedMs": elapsed * 1000, "perSecond": calls / elapsed,
                "cpuPerCallUs": (time.process_time() - cpu0) * 1e6 / calls}
    finally:
        await client.kill()


async def measure_stop(req):
    client, _, _ = await start_greeter(req["plugin"], req["autoMTLS"], req.get("env"))
    return {"stopMs": await _stop_timed(client)}


def _resident_bytes() -> int:
    """Resident set after full collections, so garbage does not count."""
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def measure_scale(req):
    count = req["count"]
    before = _resident_bytes()
    t0 = time.perf_counter()
    results = await asyncio.gather(*(start_greeter(req["plugin"], req["autoMTLS"]) for _ in range(count)),
                                   return_exceptions=True)
    all_answered = _ms_since(t0)
    after = _resident_bytes()
    started = [r for r in results if not isinstance(r, BaseException)]
    t1 = time.perf_counter()
    await asyncio.gather(*(client.kill() for client, _, _ in started))
    stop_all = _ms_since(t1)
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise failed[0]
    return {"allAnsweredMs": all_answered, "rssBeforeBytes": before, "rssAfterBytes": after,
            "perPluginBytes": (after - before) / count, "stopAllMs": stop_all}


OPS = {"cold": measure_cold, "floor": measure_floor, "warm": measure_warm, "throughput": measure_throughput,
       "stop": measure_stop, "scale": measure_scale}


def _use_large_thread_pool() -> None:
    """pyplugin reads each plugin's handshake line and its stderr with blocking readline()
    calls in the loop's default executor, one thread per running plugin for as long as it
    runs. The default pool (min(32, cores + 4) = 6 threads here) would stall the 7th
    concurrent start, so a host running many plugins needs a larger pool."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=256))


async def serve() -> None:
    _use_large_thread_pool()
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        req = json.loads(line)
        if req["op"] == "quit":
            print(json.dumps({"ok": True}), flush=True)
            return
        try:
            if req["op"] == "memory":
                answer = {"rssBytes": _resident_bytes()}
            elif req["op"] in OPS:
                answer = await OPS[req["op"]](req)
            else:
                raise ValueError(f'unknown op "{req["op"]}"')
            answer["ok"] = True
        except Exception as e:  # noqa: BLE001 - every failure becomes the answer's error text
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


async def once(argv) -> int:
    """The whole-process comparison for our CLI: start, one Greet, stop, exit."""
    p = argparse.ArgumentParser(prog="peer.py once", description="start a plugin, greet once, stop it")
    p.add_argument("--plugin", required=True, help="plugin executable")
    p.add_argument("--automtls", action="store_true", help="use AutoMTLS")
    p.add_argument("name")
    args = p.parse_args(argv)
    client = _new_client(args.plugin, args.automtls)
    try:
        await client.start()
        print(await _greet(client.dispense("greeter"), args.name), flush=True)
    finally:
        await client.kill()
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "once":
        return asyncio.run(once(sys.argv[2:]))
    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
