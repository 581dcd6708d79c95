"""Test helpers of the case engine that modules' tests use too: a pretend 基层治理四平台 on loopback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class GridDouble:
    """A pretend 四平台: accepts POST /cases (after `fail` refusals) and answers GET /cases/<id>."""

    def __init__(self):
        self.fail = 0
        self.received: list[dict] = []
        self.status: dict[str, str] = {}
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, code, payload):
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if double.fail:
                    double.fail -= 1
                    return self._answer(503, {"error": "busy"})
                double.received.append(data)
                ext = f"SP-{len(double.received):04d}"
                double.status[ext] = "已受理"
                self._answer(201, {"id": ext})

            def do_GET(self):
                ext = self.path.rsplit("/", 1)[-1]
                if ext not in double.status:
                    return self._answer(404, {})
                self._answer(200, {"status": double.status[ext]})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
