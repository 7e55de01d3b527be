#!/usr/bin/env python3
"""An HTTP/3 target for hit's tests and benchmarks: hypercorn + aioquic (PyPI), serving over QUIC
on a UDP port and over TLS (HTTP/1.1 and HTTP/2, with an Alt-Svc for h3) on the TCP port of the
same number, with hit-target's routes:

  /              "Hello, hit\\n"
  /status/N      an empty response with status N
  /delay/MS      "Hello, hit\\n" after MS milliseconds
  /bytes/N       N bytes of 'x'
  /echo          the request as JSON: method, path, query, headers, body

With --log FILE it writes one line per request as it arrives, the server's own record of what
came: CLOCK_MONOTONIC seconds, the HTTP version ("3", "2", "1.1"), the client's address and port
(a QUIC connection's UDP source port names the connection), the method and the path.

Run it with the interpreter of the virtual environment scripts/setup makes (scripts/setup hypercorn):
  ~/.cache/hit-tools/h3/bin/python scripts/h3-target.py --port 8443 --cert C --key K [--tcp-only] [--log F]
It prints "listening on PORT" once both sockets are bound (a port taken fails before that), and serves until SIGTERM or SIGINT.
"""
import argparse
import asyncio
import json
import signal
import socket
import time

from hypercorn.asyncio import serve
from hypercorn.config import Config

log = None


async def body_of(receive):
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def respond(send, status, body=b"", content_type=b"text/plain"):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    path = scope["path"]
    if log is not None:
        client = scope.get("client") or ("-", 0)
        log.write(f"{time.clock_gettime(time.CLOCK_MONOTONIC):.6f} {scope.get('http_version', '?')} "
                  f"{client[0]}:{client[1]} {scope['method']} {path}\n")
    body = await body_of(receive)
    parts = path.strip("/").split("/")
    if parts[0] == "status" and len(parts) == 2 and parts[1].isdigit():
        return await respond(send, int(parts[1]))
    if parts[0] == "delay" and len(parts) == 2 and parts[1].isdigit():
        await asyncio.sleep(int(parts[1]) / 1000)
        return await respond(send, 200, b"Hello, hit\n")
    if parts[0] == "bytes" and len(parts) == 2 and parts[1].isdigit():
        return await respond(send, 200, b"x" * int(parts[1]))
    if path == "/echo":
        echo = {"method": scope["method"], "path": path, "query": scope["query_string"].decode("latin-1"),
                "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
                "body": body.decode("utf-8", "replace")}
        return await respond(send, 200, json.dumps(echo).encode(), b"application/json")
    return await respond(send, 200, b"Hello, hit\n")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--tcp-only", action="store_true", help="no QUIC: HTTPS over TCP only")
    parser.add_argument("--log", help="append a line per request to this file")
    arguments = parser.parse_args()
    global log
    if arguments.log:
        log = open(arguments.log, "a", buffering=1)
    # The sockets are bound here, so that a port taken fails at once, before "listening".
    family = socket.AF_INET6 if ":" in arguments.host else socket.AF_INET
    tcp = socket.socket(family, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((arguments.host, arguments.port))
    tcp.listen(1024)
    config = Config()
    config.bind = [f"fd://{tcp.fileno()}"]
    if not arguments.tcp_only:
        udp = socket.socket(family, socket.SOCK_DGRAM)
        udp.bind((arguments.host, arguments.port))
        config.quic_bind = [f"fd://{udp.fileno()}"]
    config.certfile, config.keyfile = arguments.cert, arguments.key
    config.accesslog = None
    config.errorlog = None
    config.keep_alive_timeout = 60
    config.keep_alive_max_requests = 1 << 30  # hypercorn closes a connection after 1,000 by default
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)

    print(f"listening on {arguments.port}", flush=True)
    await serve(app, config, shutdown_trigger=stop.wait)


if __name__ == "__main__":
    asyncio.run(main())
