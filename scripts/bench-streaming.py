#!/usr/bin/env python3
"""Streamed against buffered responses: request to last byte, warm.

Plays the Lambda Runtime API on a local port as Lambda does for a warm
function: one process, invocations handed out one after another through
`GET /2018-06-01/runtime/invocation/next`, each answer read from
`POST .../response` -- buffered (a JSON body with Content-Length) or
streamed (`Lambda-Runtime-Function-Response-Mode: streaming`, chunked: the
metadata prelude, eight NUL bytes, the body, then the terminating zero-size
chunk, possibly with the `Lambda-Runtime-Function-Error-Type`/`-Body`
trailers). Times each invocation from writing the event to reading the
response's last byte (the chunked terminator when streamed), and prints the
median and p90 of:

  chat, SSE         POST /chat, Accept: text/event-stream (an offline turn):
                    the events streamed as the turn emits them
  chat, JSON        the same turn, Accept: application/json: the chat
                    function runs in streaming mode, so this too is streamed,
                    as the prelude and one body chunk
  search, cached    GET /search, the same query again (a cache hit): buffered
  search, health    GET /health: buffered

For chat it also prints when the last data chunk arrived, so a gap between
it and the terminator would show.

The Runtime API side adds no delay of its own: keep-alive HTTP/1.1, TCP_NODELAY
on every accepted socket, each answer written in one call.

Usage: python3 scripts/bench-streaming.py [TARGET_DIR] [RUNS]
       (default: target/debug, 50 timed runs after 5 warm-up runs per row;
        build with cargo build -p chat -p search)
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target/debug"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 50
WARMUP = 5
JWT_SECRET = "bench-streaming-secret-of-thirty-two-bytes"
MESSAGE = "quero ir de São Paulo para Lisboa em 10 de março"
future = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 60 * 86400))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token():
    """An HS256 access token as the auth function issues it, for a new user
    each time (a chat turn counts against its user's rate limit)."""
    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "role": "authenticated", "aud": "authenticated",
              "exp": now + 600, "iat": now, "email": "bench@example.com",
              "session_id": str(uuid.uuid4()), "fam": str(uuid.uuid4())}
    signing = b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + b64url(json.dumps(claims).encode())
    mac = hmac.new(JWT_SECRET.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64url(mac)


def http_event(method, path, query=None, headers=None, body=None):
    """A Function URL / HTTP API event (payload format 2.0)."""
    query = query or {}
    return {
        "version": "2.0", "routeKey": "$default", "rawPath": path,
        "rawQueryString": "&".join(f"{k}={v}" for k, v in query.items()),
        "queryStringParameters": query or None,
        "headers": {"host": "abc.lambda-url.sa-east-1.on.aws", "x-forwarded-proto": "https",
                    "x-forwarded-for": "203.0.113.7", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012", "apiId": "abc", "domainName": "abc.lambda-url.sa-east-1.on.aws",
            "domainPrefix": "abc", "requestId": str(uuid.uuid4()), "routeKey": "$default",
            "stage": "$default", "time": "30/Nov/2026:12:00:00 +0000", "timeEpoch": 1795982400000,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.7", "userAgent": "bench"},
        },
        "body": body, "isBase64Encoded": False,
    }


def chat_event(accept):
    return http_event("POST", "/chat", headers={
        "accept": accept, "content-type": "application/json",
        "authorization": "Bearer " + access_token(),
    }, body=json.dumps({"message": MESSAGE, "locale": "pt-BR"}))


def search_event():
    return http_event("GET", "/search", {"origin": "SAO", "destination": "LIS", "departure": future})


class Invocation:
    """One event handed out and what came back."""

    def __init__(self, event):
        self.id = str(uuid.uuid4())
        self.event = json.dumps(event).encode()
        self.sent = self.last_data = self.end = None
        self.streamed = False
        self.body = b""
        self.trailers = {}
        self.error = None
        self.done = threading.Event()


class Runtime(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real Runtime API
    disable_nagle_algorithm = True  # TCP_NODELAY on every accepted socket

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        """The whole answer in one write: no delay of ours on the wire."""
        head = [f"HTTP/1.1 {status} {self.responses[status][0]}", f"Content-Length: {len(body)}",
                "Content-Type: application/json", *headers]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        self.wfile.flush()

    def do_GET(self):
        if not self.path.endswith("/runtime/invocation/next"):
            self.answer(404, b"{}")
            return
        inv = self.server.pending.get()  # the long poll
        self.server.running[inv.id] = inv
        deadline = int(time.time() * 1000) + 30000
        inv.sent = time.perf_counter()
        self.answer(200, inv.event, [
            f"Lambda-Runtime-Aws-Request-Id: {inv.id}",
            f"Lambda-Runtime-Deadline-Ms: {deadline}",
            "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:sa-east-1:123456789012:function:bench",
            "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000"])

    def do_POST(self):
        request_id = self.path.split("/invocation/")[-1].rsplit("/", 1)[0]
        inv = self.server.running.pop(request_id, None)
        if inv is None:  # /init/error, or an unknown id
            self.read_body(Invocation({}))
            self.answer(202, b'{"status":"OK"}')
            return
        self.read_body(inv)
        inv.end = time.perf_counter()
        if self.path.endswith("/error"):
            inv.error = inv.body.decode(errors="replace")
        self.answer(202, b'{"status":"OK"}')
        inv.done.set()

    def read_body(self, inv):
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            inv.body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            inv.last_data = time.perf_counter()
            return
        inv.streamed = self.headers.get("Lambda-Runtime-Function-Response-Mode") == "streaming"
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                break
            parts.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after the chunk
            inv.last_data = time.perf_counter()
        while (line := self.rfile.readline().strip()):  # trailers, then the blank line
            name, _, value = line.decode().partition(":")
            inv.trailers[name.strip().lower()] = value.strip()
        inv.body = b"".join(parts)


def check(inv, sse):
    """The answer a user would get: a 200 with the turn's `done` event, or a
    200 JSON body. The chat function runs in streaming mode, so its JSON
    answer is streamed too (one body chunk); `search` answers buffered."""
    if inv.error:
        raise SystemExit(f"the function reported an error: {inv.error}")
    if inv.trailers or b"Lambda-Runtime-Function-Error-Type" in inv.body:
        raise SystemExit(f"the stream ended with an error: {inv.trailers or inv.body[-300:]}")
    if inv.streamed:
        prelude, _, body = inv.body.partition(b"\0" * 8)
        status = json.loads(prelude).get("statusCode")
    else:
        answer = json.loads(inv.body)
        status, body = answer.get("statusCode"), answer.get("body", "").encode()
    done = b"event: done" in body if sse else body.startswith(b"{")
    if status != 200 or not done:
        raise SystemExit(f"answer {status}: {body[:300]!r}")


class Server(http.server.ThreadingHTTPServer):
    """One Runtime API per process: a killed process's pending long poll
    cannot take the next process's event."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Runtime)
        self.pending = queue.Queue()
        self.running = {}
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def handle_error(self, request, client_address):
        pass  # the killed function's connections break; expected


def start(binary, port, log):
    env = {
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": binary.name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_GROUP_NAME": "bench", "AWS_REGION": "sa-east-1",
        "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
        "STORE": "memory", "CACHE": "memory", "FARE_PROVIDERS": "demo",
        "JWT_SECRET": JWT_SECRET, "LOG_FORMAT": "json", "RUST_LOG": "warn",
    }
    if "LD_PRELOAD" in os.environ:  # to try a socket option without rebuilding
        env["LD_PRELOAD"] = os.environ["LD_PRELOAD"]
    return subprocess.Popen([str(binary)], env=env, stdout=log, stderr=log)


def measure(binary, make_event, sse):
    """Request-to-last-byte and request-to-last-data of RUNS warm invocations, in ms."""
    server = Server()
    log = tempfile.TemporaryFile()
    proc = start(binary, server.server_address[1], log)
    totals, data = [], []
    try:
        for i in range(WARMUP + RUNS):
            inv = Invocation(make_event())
            server.pending.put(inv)
            if not inv.done.wait(20):
                log.seek(0)
                raise SystemExit(f"{binary.name} did not answer within 20 s; its log:\n"
                                 f"{log.read().decode(errors='replace')[-3000:]}")
            check(inv, sse)
            if i >= WARMUP:
                totals.append((inv.end - inv.sent) * 1000)
                data.append((inv.last_data - inv.sent) * 1000)
    finally:
        proc.kill()
        proc.wait()
        server.shutdown()
        server.server_close()
    return totals, data


def summary(values):
    values = sorted(values)
    return statistics.median(values), values[max(0, int(len(values) * 0.9) - 1)]


def main():
    rows = [
        ("chat, SSE", TARGET / "chat", lambda: chat_event("text/event-stream"), True),
        ("chat, JSON", TARGET / "chat", lambda: chat_event("application/json"), False),
        ("search, cached", TARGET / "search", search_event, False),
        ("search, health", TARGET / "search", lambda: http_event("GET", "/health"), False),
    ]
    print(f"{TARGET}: request to last byte, {RUNS} warm invocations per row "
          f"(after {WARMUP} warm-up), one process per row")
    print(f"{'':16} {'median':>9} {'p90':>9}   last data chunk (median)")
    for name, binary, make_event, sse in rows:
        totals, data = measure(binary, make_event, sse)
        median, p90 = summary(totals)
        extra = f"   {statistics.median(data):.2f} ms" if binary.name == "chat" else ""
        print(f"{name:16} {median:6.2f} ms {p90:6.2f} ms{extra}", flush=True)


if __name__ == "__main__":
    main()
