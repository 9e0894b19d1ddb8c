#!/usr/bin/env python3
"""A stand-in OTLP/HTTP receiver for the tracing benchmark (docs/benchmarks.md "Tracing off and on").

Answers every POST to /v1/traces, /v1/metrics and /v1/logs with 200 and an empty export response (an empty protobuf
message is zero bytes), like a collector that accepts everything, and counts what it got. It decodes nothing, so it
costs the machine little next to the hub. On exit (Ctrl-C, SIGTERM) it prints requests and bytes per path.

usage: scripts/otlp-sink.py [port]          (default 4318, on 127.0.0.1)
then:  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 BASELINE=false scripts/bench-voice.sh 500 30 60
"""
import signal
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

requests = Counter()
received = Counter()
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the exporter's HTTP client expects

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        with lock:
            requests[self.path] += 1
            received[self.path] += length
        known = self.path in ("/v1/traces", "/v1/metrics", "/v1/logs")
        self.send_response(200 if known else 404)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass  # one line per export would be the sink's main cost


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 4318
    server = ThreadingHTTPServer(("127.0.0.1", port), Sink)
    server.daemon_threads = True

    def stop(*_):
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"OTLP/HTTP sink on http://127.0.0.1:{port} (POST /v1/traces answers 200)", flush=True)
    server.serve_forever()
    for path in sorted(requests):
        print(f"{path}: {requests[path]} requests, {received[path]} bytes", flush=True)


if __name__ == "__main__":
    main()
