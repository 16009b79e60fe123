#!/usr/bin/env python3
"""Cold start of a function binary: process start to first handled request.

Plays the Lambda Runtime API (the four documented endpoints) on a local port,
starts the binary as Lambda would, hands it one event, and times spawn -> the
function POSTing its response. Repeats, then prints the median and the
spread, plus the peak resident memory (VmHWM).

The event follows the binary's name: `search` gets GET /search (SAO-LIS),
`watches` GET /watches and `history` GET /conversations with a signed
access token, `auth` POST /auth/refresh with an unknown token (401, no hash),
`chat` a streamed POST /chat turn (offline assistant), `fare-refresh` a
scheduler event (a tick over an empty store: claims nothing, sends nothing),
`refresh-worker` an SQS event with one refresh message (a search and its
price point). Variables such as PRICE_HISTORY, EMAIL, CACHE or
FARE_PROVIDERS pass through, to measure an adapter's cold cost.

Usage: python3 scripts/bench-startup.py [BINARY] [RUNS]
       (default: target/release/search, 30 runs; build it with
        cargo build --release -p search)
"""
import base64
import hashlib
import hmac
import uuid
import http.server
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/search")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 30
FUNCTION = BINARY.parent.name if BINARY.name == "bootstrap" else BINARY.name
# A date always in the future, so the request succeeds whatever today is.
future = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 60 * 86400))
JWT_SECRET = "bench-startup-secret-of-thirty-two-bytes"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token():
    """An HS256 access token as the auth function issues it."""
    now = int(time.time())
    claims = {"sub": str(uuid.uuid4()), "role": "authenticated", "aud": "authenticated",
              "exp": now + 600, "iat": now, "email": "bench@example.com",
              "session_id": str(uuid.uuid4()), "fam": str(uuid.uuid4())}
    signing = b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + b64url(json.dumps(claims).encode())
    mac = hmac.new(JWT_SECRET.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64url(mac)


def http_event(path, query):
    event = json.loads((ROOT / "shared/tests/fixtures/apigw-v2-get-search.json").read_text())
    event["rawPath"] = path
    event["requestContext"]["http"]["path"] = path
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    event["queryStringParameters"] = query or None
    return event


def refresh_message():
    query = {"legs": [{"origin": "GRU", "destination": "LIS", "date": future}],
             "passengers": {"adults": 1, "children": 0, "infants": 0}, "cabin": "economy",
             "max_stops": None, "currency": "BRL", "sort": "best",
             "filters": {"carriers": [], "max_price": None, "depart_after": None,
                         "depart_before": None}, "limit": 20}
    return {"query_key": f"GRU-LIS-{future}", "query": query, "departure_to": future,
            "watches": []}


if FUNCTION == "watches":
    EVENT = http_event("/watches", {})
    EVENT["headers"]["authorization"] = "Bearer " + access_token()
elif FUNCTION == "fare-refresh":
    EVENT = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
             "source": "aws.scheduler", "account": "123456789012", "time": "2026-11-30T12:00:00Z",
             "region": "sa-east-1", "resources": [], "detail": {}}
elif FUNCTION == "refresh-worker":
    EVENT = {"Records": [{"messageId": "bench-1", "receiptHandle": "r", "body": json.dumps(refresh_message()),
                          "attributes": {}, "messageAttributes": {}, "md5OfBody": "",
                          "eventSource": "aws:sqs",
                          "eventSourceARN": "arn:aws:sqs:sa-east-1:123456789012:refresh",
                          "awsRegion": "sa-east-1"}]}
elif FUNCTION == "history":
    EVENT = http_event("/conversations", {})
    EVENT["headers"]["authorization"] = "Bearer " + access_token()
elif FUNCTION == "auth":
    # A refresh with an unknown token: one store lookup, 401, no password hash.
    EVENT = http_event("/auth/refresh", {})
    EVENT["requestContext"]["http"]["method"] = "POST"
    EVENT["headers"]["content-type"] = "application/json"
    EVENT["body"] = json.dumps({"refresh_token": "unknown-refresh-token"})
    EVENT["isBase64Encoded"] = False
elif FUNCTION == "chat":
    EVENT = http_event("/chat", {})
    EVENT["requestContext"]["http"]["method"] = "POST"
    EVENT["headers"]["authorization"] = "Bearer " + access_token()
    EVENT["headers"]["content-type"] = "application/json"
    EVENT["headers"]["accept"] = "application/json"
    EVENT["body"] = json.dumps({"message": f"de Recife para Lisboa em {future}"})
    EVENT["isBase64Encoded"] = False
else:
    EVENT = http_event("/search", {"origin": "SAO", "destination": "LIS", "departure": future})


class Runtime(http.server.BaseHTTPRequestHandler):
    done = threading.Event()
    served = False
    status = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.endswith("/runtime/invocation/next"):
            self.send_error(404)
            return
        if Runtime.served:
            # A real runtime long-polls here; the run is over, so just hold.
            time.sleep(5)
            self.send_error(500)
            return
        Runtime.served = True
        body = json.dumps(EVENT).encode()
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:sa-east-1:123456789012:function:search")
        self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            payload = self.read_chunked()
        else:
            payload = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if "/response" in self.path:
            # A streamed response (chat) starts with its JSON prelude and
            # eight NUL bytes; the status is in the prelude.
            Runtime.status = handled(json.loads(payload.split(b"\0" * 8)[0]))
        self.send_response(202)
        self.end_headers()
        Runtime.done.set()


def read_chunked(self):
    body = b""
    while True:
        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
        if size == 0:
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return body
        body += self.rfile.read(size)
        self.rfile.readline()


Runtime.read_chunked = read_chunked


def handled(answer):
    """200 for a request the function handled as it should, else what it said."""
    if FUNCTION == "fare-refresh":
        return 200 if "claimed" in answer else answer
    if FUNCTION == "refresh-worker":
        return 200 if answer.get("batchItemFailures") == [] else answer
    if FUNCTION == "auth":
        return 200 if answer.get("statusCode") == 401 else answer
    return answer.get("statusCode")


def one_run(port):
    Runtime.done.clear()
    Runtime.served = False
    Runtime.status = None
    env = {
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_GROUP_NAME": "bench",
        "RUST_LOG": "warn",
        "JWT_SECRET": JWT_SECRET,
        # The SDK clients' settings, as Lambda sets them; nothing is called
        # unless a test variable below points an adapter at a server.
        "AWS_REGION": "sa-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "REFRESH_QUEUE_URL": "https://sqs.sa-east-1.amazonaws.com/123456789012/refresh",
    }
    # Adapter settings pass through, to measure e.g. the Upstash client's TLS set-up.
    for name in ("CACHE", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN", "FARE_PROVIDERS",
                 "PRICE_HISTORY", "DYNAMODB_TABLE", "EMAIL", "EMAIL_FROM", "AWS_ENDPOINT_URL"):
        if name in os.environ:
            env[name] = os.environ[name]
    start = time.perf_counter()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(BINARY)], env=env, stdout=log, stderr=log)
    if not Runtime.done.wait(10):
        proc.kill()
        log.seek(0)
        raise SystemExit(f"the function did not answer within 10 s; its log:\n{log.read().decode(errors='replace')}")
    elapsed = (time.perf_counter() - start) * 1000
    hwm = 0
    try:
        for line in open(f"/proc/{proc.pid}/status"):
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    except OSError:
        pass
    proc.kill()
    proc.wait()
    if Runtime.status != 200:
        raise SystemExit(f"the function answered {Runtime.status}")
    return elapsed, hwm


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the killed function's pending long-poll breaks its pipe; expected


def main():
    times, peaks = [], []
    for _ in range(RUNS):
        # A fresh runtime per run, so a killed process's pending poll cannot
        # take the next run's event.
        server = Server(("127.0.0.1", 0), Runtime)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        t, hwm = one_run(server.server_address[1])
        server.shutdown()
        server.server_close()
        times.append(t)
        peaks.append(hwm)
    times.sort()
    size = BINARY.stat().st_size / 1e6
    print(f"binary {BINARY.relative_to(ROOT) if BINARY.is_relative_to(ROOT) else BINARY}: {size:.2f} MB")
    print(f"start to first handled request over {RUNS} runs: median {statistics.median(times):.2f} ms, "
          f"min {times[0]:.2f} ms, p90 {times[int(len(times) * 0.9) - 1]:.2f} ms")
    print(f"peak resident memory after one request: {max(peaks) / 1024:.1f} MB")


if __name__ == "__main__":
    main()
