"""Shared pieces of the Python end-to-end tests (tests/e2e/*_e2e_test.py).

Starts the real `stockpile serve` binary on 127.0.0.1 with a private data
dir, mints tokens with `stockpile token`, and speaks HTTP/1.1 to it with
http.client. Standard library only; nothing leaves the loopback interface.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Failure(Exception):
    """A broken guarantee: the test prints it and exits non-zero."""


def report_failure(failure, server):
    """Prints a broken guarantee with the server's last log lines; 1."""
    print("FAIL: %s" % failure, file=sys.stderr)
    print("server log tail:\n%s" % server.log_tail(), file=sys.stderr)
    return 1


def check(cond, what):
    if not cond:
        raise Failure(what)


class Server:
    """One `stockpile serve` process; restartable on the same data dir."""

    def __init__(self, binary, store="sqlite", env=None, args=None,
                 name="serve"):
        self.binary = binary
        self.store = store
        self.args = list(args or [])  # e.g. --services, --transport
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="stockpile-e2e-")
        self.port = free_port()
        self.proc = None
        self.env = dict(os.environ, **(env or {}))
        self.starts = 0

    def start(self, timeout=60.0):
        self.starts += 1
        log = open(os.path.join(self.dir, "serve-%d.log" % self.starts), "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--http", "127.0.0.1:%d" % self.port,
             "--data-dir", self.dir, "--store", self.store,
             "--log-level", "warn"] + self.args,
            stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure("serve exited with %s during start-up:\n%s" %
                              (self.proc.returncode, self.log_tail()))
            try:
                status, _, _ = request(self.port, "GET", "/health", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure("serve did not answer /health within %.0f s:\n%s" %
                      (timeout, self.log_tail()))

    def kill(self):
        """SIGKILL: no shutdown code runs; what was acknowledged must stay."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def stop(self):
        """SIGTERM, then a clean exit is expected."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "hung after SIGTERM"
        self.proc = None
        return rc

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=40):
        path = os.path.join(self.dir, "serve-%d.log" % self.starts)
        try:
            with open(path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return ""

    def token(self, tenant, role, ttl=None, sub=None):
        cmd = [self.binary, "token", "--tenant", tenant, "--role", role,
               "--data-dir", self.dir]
        if ttl is not None:
            cmd += ["--ttl", str(ttl)]
        if sub is not None:
            cmd += ["--sub", sub]
        return subprocess.check_output(cmd, env=self.env).decode().strip()

    def secret(self):
        with open(os.path.join(self.dir, "jwt-secret"), "rb") as f:
            return f.read().rstrip(b"\r\n")  # as serve reads it

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def request(port, method, path, body=None, token=None, headers=None,
            timeout=30):
    """One request on a fresh connection: (status, headers dict, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else \
                json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        resp = conn.getresponse()
        payload = resp.read()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, headers, payload
    finally:
        conn.close()


class Client:
    """A keep-alive connection; reconnects after any transport error."""

    def __init__(self, port, token, timeout=30):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        """(status, json-or-None). Raises OSError/HTTPException when the
        server is unreachable or the connection breaks mid-request."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                   timeout=self.timeout)
        h = {"Authorization": "Bearer " + self.token}
        h.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        reused = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=data, headers=h)
            resp = self.conn.getresponse()
            payload = resp.read()
        except (OSError, http.client.HTTPException):
            self.close()
            # A keep-alive connection the server closed while idle (its
            # header timeout): a GET is safe to send once more.
            if reused and method == "GET":
                return self.call(method, path, body, headers)
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = None
        return resp.status, parsed

    def get(self, path):
        status, body = self.call("GET", path)
        check(status == 200, "GET %s answered %s: %s" % (path, status, body))
        return body

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def seed_products(client, products, quantity, price=2, extra=None):
    """Creates each product (id = sku lower case = name, `price`, plus
    extra(p) when given) and receives `quantity` of it at the default
    location; fails the test on any refusal."""
    for p in products:
        product = {"id": p, "sku": p.upper(), "name": p, "price": price}
        if extra:
            product.update(extra(p))
        status, body = client.call("POST", "/api/v1/products", product)
        check(status == 201, "create %s: %s %s" % (p, status, body))
        status, body = client.call("POST", "/api/v1/inventory/receipts", {
            "productId": p, "quantity": quantity})
        check(200 <= status < 300, "receipt %s: %s" % (p, body))


def read_log(client, after=0):
    """Every event of the caller's tenant after `after`, in order."""
    events = []
    while True:
        page = client.get("/api/v1/events?after=%d&limit=1000" % after)
        events.extend(page["items"])
        if not page["items"] or page.get("next") is None:
            return events
        after = page["next"]


def list_all(client, path, cursor_param, cursor_field=None):
    """Every item of a paged list (`{items, next}`)."""
    items, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        url = path if cursor is None else "%s%s%s=%s" % (path, sep,
                                                         cursor_param, cursor)
        page = client.get(url)
        items.extend(page["items"])
        cursor = page.get("next")
        if cursor is None or not page["items"]:
            return items


def wait_until(pred, timeout, what, interval=0.1):
    """Polls pred() until it returns a true value; fails after `timeout` s
    (a generous bound for a loaded machine, not a pass criterion)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = pred()
        if last:
            return last
        time.sleep(interval)
    raise Failure("%s: not reached within %.0f s" % (what, timeout))
