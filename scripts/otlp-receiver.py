#!/usr/bin/env python3
"""An OTLP/HTTP metrics receiver for hit's tests: it decodes every POST to /v1/metrics with the
official protobuf definitions (PyPI's opentelemetry-proto), from protobuf or, when its Content-Type
says application/json, from OTLP's JSON, and appends it, as JSON (protobuf's own JSON mapping),
with the request's headers, to a log: one line per push.

  ~/.cache/hit-tools/otlp/bin/python scripts/otlp-receiver.py --port 4318 --log pushes.jsonl \\
      [--status 503] [--delay 5]

--status answers every push with that status instead of 200; --delay waits that many seconds
before answering. It prints "listening on PORT" once bound, and serves until killed.
"""
import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict, Parse
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0)
    arguments = parser.parse_args()
    log = open(arguments.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            entry = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "bytes": len(body)}
            try:
                request = metrics_service_pb2.ExportMetricsServiceRequest()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    Parse(body.decode("utf-8"), request)  # strict: an unknown field fails
                else:
                    request.ParseFromString(body)
                entry["request"] = MessageToDict(request)
            except Exception as error:  # a push that does not decode is logged as such
                entry["error"] = str(error)
            log.write(json.dumps(entry) + "\n")
            if arguments.delay:
                time.sleep(arguments.delay)
            answer = metrics_service_pb2.ExportMetricsServiceResponse().SerializeToString()
            self.send_response(arguments.status)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)
    print(f"listening on {arguments.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
