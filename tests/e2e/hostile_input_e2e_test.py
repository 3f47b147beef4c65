#!/usr/bin/env python3
"""Hostile input (DESIGN.md §5, §7; docs/reliability.md) against the real
`stockpile serve` on 127.0.0.1.

Every input below must get a clear answer — a 4xx with an
application/problem+json body, or (for strings that are merely odd data) a
2xx that stores the string verbatim — or have its connection closed. Never
a 5xx, a hang, a crash, a leaked header or another tenant's data. A probe
thread GETs /health and an authenticated list all through the run; every
probe must succeed, so the server keeps serving others.

Groups: SQL-injection strings in every string field of the product,
supplier, location, receipt, adjustment, transfer and order bodies; CRLF
header injection (in paths, header values and ids echoed into Location);
path traversal on /assets (plain and encoded); JSON nested 10,000 deep;
numbers beyond 2^63; invalid UTF-8; a 5 MB body (Content-Length and
chunked); slowloris connections; a thousand idle connections; tokens that
are missing, garbled, signed with the wrong key, alg none, expired, not yet
valid, or tampered; role escalation; another tenant's ids in paths, query
strings and bodies.

Usage: hostile_input_e2e_test.py STOCKPILE_BIN [--slowloris 40] [--idle 1000]
Prints the number of inputs tried per group.
"""

import argparse
import base64
import collections
import hashlib
import hmac
import http.client
import json
import resource
import socket
import sys
import threading
import time
import urllib.parse

import e2e_lib
from e2e_lib import Client, Failure, Server, check

A, B = "tenant-a", "tenant-b"
TRANSPORT = (OSError, http.client.HTTPException)

SQL = [
    "' OR '1'='1", "'; DROP TABLE events; --", "\" OR \"\"=\"",
    "1; SELECT * FROM sqlite_master", "x' UNION SELECT payload FROM events--",
    "'); DELETE FROM events WHERE ('1'='1", "%' OR 1=1 --", "\\'; --",
    "admin'--", "1' AND SLEEP(5)#", "' || (SELECT tenant FROM events) || '",
    "\x00' OR 1=1", "$1", "?", "'; ATTACH DATABASE '/tmp/x' AS x; --",
]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.inputs = collections.Counter()
        self.answers = collections.defaultdict(collections.Counter)
        self.findings = []

    def tried(self, group, n=1):
        with self.lock:
            self.inputs[group] += n

    def finding(self, what):
        with self.lock:
            self.findings.append(what)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(secret, claims, alg="HS256", header=None):
    head = b64(json.dumps(header or {"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signing = ("%s.%s" % (head, body)).encode()
    if alg == "none":
        return "%s.%s." % (head, body)
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}[alg]
    return "%s.%s.%s" % (head, body,
                         b64(hmac.new(secret, signing, digest).digest()))


def raw(port, data, timeout=30):
    """Sends raw bytes; (status, headers, body) or None when closed with no
    answer."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                c = s.recv(65536)
            except ConnectionResetError:
                break
            if not c:
                break
            chunks.append(c)
    finally:
        s.close()
    reply = b"".join(chunks)
    if not reply:
        return None
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    check(len(parts) >= 2 and parts[0].startswith(b"HTTP/1."),
          "not an HTTP answer to %r: %r" % (data[:80], reply[:200]))
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.strip().lower().decode("latin-1")] = v.strip().decode(
            "latin-1")
    return int(parts[1]), headers, body


def expect_refused(tally, group, what, status, headers, body,
                   allowed=range(400, 500)):
    """A 4xx with problem+json (or an allowed status)."""
    tally.tried(group)
    with tally.lock:
        tally.answers[group][status] += 1
    if status not in allowed:
        tally.finding("%s: %s answered %s: %r" % (group, what, status,
                                                  body[:300]))
        return
    if status >= 400 and body:
        ctype = headers.get("content-type", "")
        if ctype != "application/problem+json":
            tally.finding("%s: %s answered %s with content type %r" % (
                group, what, status, ctype))
    if "set-cookie" in headers or "x-injected" in headers:
        tally.finding("%s: %s injected a header: %s" % (group, what,
                                                        headers))


def call(port, method, path, body=None, token=None, headers=None):
    data = body
    if body is not None and not isinstance(body, bytes):
        data = json.dumps(body).encode()
    return e2e_lib.request(port, method, path, data, token, headers)


class Probe(threading.Thread):
    """Keeps asking; every answer must be a 200."""

    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.stop = False
        self.ok = 0
        self.failed = []

    def run(self):
        while not self.stop:
            for path, tok in (("/health", None),
                              ("/api/v1/products?limit=5", self.token)):
                try:
                    status, _, body = e2e_lib.request(self.port, "GET", path,
                                                      token=tok, timeout=30)
                    if status == 200:
                        self.ok += 1
                    else:
                        self.failed.append("%s -> %s %r" % (path, status,
                                                            body[:100]))
                except TRANSPORT as e:
                    self.failed.append("%s -> %r" % (path, e))
            time.sleep(0.1)


# ---------------------------------------------------------------- groups


def sql_injection(port, tok, tally):
    """Every string field of the POST bodies; 2xx must store verbatim."""
    bodies = [
        ("/api/v1/products", {"sku": "S", "name": "n", "currency": "USD",
                              "unit": "pcs"}, ["id", "sku", "name",
                                               "currency", "unit"]),
        ("/api/v1/suppliers", {"name": "n", "email": "a@b.c"},
         ["id", "name", "email"]),
        ("/api/v1/locations", {"id": "loc", "name": "n"}, ["id", "name"]),
        ("/api/v1/inventory/receipts", {"productId": "pa1", "quantity": 1,
                                        "lotNumber": "l"},
         ["productId", "locationId", "lotNumber", "expiryDate"]),
        ("/api/v1/inventory/adjustments", {"productId": "pa1", "delta": 1,
                                           "reason": "found"},
         ["productId", "locationId", "reason"]),
        ("/api/v1/inventory/transfers", {"productId": "pa1", "quantity": 1,
                                         "fromLocationId": "main",
                                         "toLocationId": "main"},
         ["productId", "fromLocationId", "toLocationId"]),
        ("/api/v1/orders", {"customerId": "c", "items": [
            {"productId": "pa1", "quantity": 1, "unitPrice": 1}]},
         ["id", "customerId", "currency", "items.productId",
          "items.locationId"]),
    ]
    n = 0
    for path, base, fields in bodies:
        for field in fields:
            for s in SQL:
                n += 1
                body = json.loads(json.dumps(base))
                if field.startswith("items."):
                    body["items"][0][field[6:]] = s
                elif field in ("sku", "id") and path.endswith("products"):
                    body[field] = "%s-%d" % (s, n)
                else:
                    body[field] = s
                status, h, reply = call(port, "POST", path, body, tok)
                expect_refused(tally, "sql injection", "%s %s=%r" % (
                    path, field, s), status, h, reply,
                    allowed=list(range(200, 202)) + list(range(400, 500)))
                if status in (200, 201) and field in ("name", "id") and \
                        path.endswith("products"):
                    stored = json.loads(reply)
                    got = stored.get(field)
                    if got != body[field]:
                        tally.finding("sql injection: %s stored %r as %r" % (
                            path, body[field], got))
                    st, _, back = call(port, "GET", "/api/v1/products/" +
                                       urllib.parse.quote(stored["id"],
                                                          safe=""), None, tok)
                    if st != 200 or json.loads(back).get(field) != \
                            body[field]:
                        tally.finding("sql injection: product %r read back "
                                      "%s %r" % (stored["id"], st, back[:200]))
    # In query strings too.
    for s in SQL:
        for q in ("/api/v1/products?q=", "/api/v1/orders?status=",
                  "/api/v1/events?type=", "/api/v1/events?stream=",
                  "/api/v1/bills?orderId=", "/api/v1/products?after="):
            status, h, reply = call(port, "GET", q + urllib.parse.quote(s),
                                    None, tok)
            expect_refused(tally, "sql injection", q + s, status, h, reply,
                           allowed=[200] + list(range(400, 500)))


def crlf(port, tok, tally):
    auth = ("Authorization: Bearer %s\r\n" % tok).encode()
    cases = [
        b"GET /api/v1/products/x%0d%0aSet-Cookie:%20a=b HTTP/1.1\r\n"
        b"Host: x\r\n" + auth + b"\r\n",
        b"GET /api/v1/products/x%0d%0aX-Injected:%201 HTTP/1.1\r\n"
        b"Host: x\r\n" + auth + b"\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: a\rX-Injected:"
        b" 1\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: a\nX-Injected:"
        b" 1\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Correlation-Id: a%0d%0aX-Inj"
        b"ected: 1\r\n\r\n",
        b"GET /health\r\nX-Injected: 1 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /he\ralth HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\x00b\r\n\r\n",
    ]
    for c in cases:
        tally.tried("crlf injection")
        r = raw(port, c)
        if r is None:
            continue
        status, h, body = r
        if "x-injected" in h or "set-cookie" in h:
            tally.finding("crlf injection: %r leaked a header: %s" % (c, h))
        if status >= 500:
            tally.finding("crlf injection: %r answered %s" % (c, status))
        cid = h.get("x-correlation-id", "")
        if "\r" in cid or "\n" in cid:
            tally.finding("crlf injection: correlation id %r" % cid)
    # Ids that end up in a Location header.
    for bad in ("x\r\nX-Injected: 1", "x\nX-Injected: 1", "x\rX-Injected: 1",
                "x%0d%0aX-Injected: 1", "x\u2028y"):
        for path, body in (
                ("/api/v1/orders", {"id": bad, "customerId": "c", "items": [
                    {"productId": "pa1", "quantity": 1, "unitPrice": 1}]}),
                ("/api/v1/products", {"id": bad, "sku": bad + "s",
                                      "name": "n"}),
                ("/api/v1/orders", {"customerId": bad, "items": [
                    {"productId": "pa1", "quantity": 1, "unitPrice": 1}]})):
            try:
                status, h, reply = call(port, "POST", path, body, tok)
            except http.client.HTTPException as e:
                tally.tried("crlf injection")
                tally.finding("crlf injection: %s id %r: unparseable answer "
                              "%r" % (path, bad, e))
                continue
            expect_refused(tally, "crlf injection", "%s id %r" % (path, bad),
                           status, h, reply,
                           allowed=[200, 201] + list(range(400, 500)))
            loc = h.get("location", "")
            if "\r" in loc or "\n" in loc:
                tally.finding("crlf injection: Location %r" % loc)


def traversal(port, tally):
    paths = [
        "/assets/../../etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
        "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fetc"
        "%2fpasswd", "/assets/..%252f..%252fetc%252fpasswd",
        "/assets/....//....//etc/passwd", "/assets/..\\..\\etc\\passwd",
        "/assets/..%5c..%5cetc%5cpasswd", "/assets//etc/passwd",
        "/assets/%2fetc%2fpasswd", "/assets/..%c0%af..%c0%afetc/passwd",
        "/assets/app.js%00.html", "/assets/.", "/assets/..", "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd", "/assets/../../../../../../proc/self/"
        "environ", "/assets/..;/..;/etc/passwd", "/assets/%u002e%u002e/x",
        "/assets/" + "../" * 50 + "etc/passwd", "/assets/" + "a" * 5000,
    ]
    for p in paths:
        tally.tried("path traversal")
        r = raw(port, ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "\r\n" % p).encode())
        if r is None:
            continue
        status, h, body = r
        if status < 400 or status >= 500 or b"root:" in body or \
                b"STOCKPILE" in body:
            tally.finding("path traversal: %s answered %s %r" % (
                p, status, body[:120]))


def deep_json(port, tok, tally):
    for body in (b"[" * 10000 + b"]" * 10000,
                 b'{"a":' * 10000 + b"1" + b"}" * 10000,
                 b'{"sku":"x","name":' + b"[" * 10000 + b"]" * 10000 + b"}",
                 b'{"items":[' + b'{"a":' * 10000 + b"}" * 10000 + b"]}",
                 b"[" * 100000):
        for path in ("/api/v1/products", "/api/v1/orders",
                     "/api/v1/integrations/events"):
            status, h, reply = call(port, "POST", path, body, tok)
            expect_refused(tally, "deep json", "%s %d bytes" % (
                path, len(body)), status, h, reply)


def big_numbers(port, tok, tally):
    values = ["9223372036854775808", "-9223372036854775809",
              "18446744073709551616", "1e400", "-1e400", "1e19", "1.5",
              "99999999999999999999999999999999999999", "0x10", "NaN",
              "Infinity", "1e-400", "-0", "9223372036854775807"]
    for v in values:
        for path, tmpl in (
                ("/api/v1/inventory/receipts",
                 '{"productId":"pa1","quantity":%s}'),
                ("/api/v1/inventory/adjustments",
                 '{"productId":"pa1","delta":%s,"reason":"found"}'),
                ("/api/v1/orders", '{"customerId":"c","items":[{"productId":'
                 '"pa1","quantity":%s,"unitPrice":1}]}'),
                ("/api/v1/orders", '{"customerId":"c","totalAmount":%s,'
                 '"items":[{"productId":"pa1","quantity":1,"unitPrice":%s}]}'),
                ("/api/v1/products", '{"sku":"big","name":"n","price":%s}')):
            body = (tmpl % ((v,) * tmpl.count("%s"))).encode()
            status, h, reply = call(port, "POST", path, body, tok)
            money = "price" in tmpl.lower() and "quantity\":%s" not in tmpl
            # Valid money: 1.5 and -0 are amounts; 1e-400 underflows to 0
            # in the JSON parser (src/core/exact_double.cc) and is taken as
            # 0 — noted in docs/reliability.md, not an error.
            ok = [201] if money and v in ("1.5", "-0", "1e-400") else []
            expect_refused(tally, "numbers beyond 2^63", "%s %s" % (path, v),
                           status, h, reply, allowed=ok +
                           list(range(400, 500)))
        for q in ("/api/v1/events?after=", "/api/v1/events?limit=",
                  "/api/v1/orders?before=", "/api/v1/orders?limit="):
            status, h, reply = call(port, "GET", q + urllib.parse.quote(v),
                                    None, tok)
            expect_refused(tally, "numbers beyond 2^63", q + v, status, h,
                           reply, allowed=[200] + list(range(400, 500)))


def bad_utf8(port, tok, tally):
    strings = [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80",
               b"abc\x80", b"\xe2\x82", b"\\ud800", b"\\udfff\\ud800"]
    for s in strings:
        for path, tmpl in (
                ("/api/v1/products", b'{"sku":"u%d","name":"%s"}'),
                ("/api/v1/orders", b'{"customerId":"%s","items":[{"productId'
                 b'":"pa1","quantity":1,"unitPrice":1}]}'),
                ("/api/v1/suppliers", b'{"name":"%s"}')):
            if b"%d" in tmpl:
                body = tmpl.replace(b"%d", str(len(s)).encode() + s.hex().
                                    encode()).replace(b"%s", s)
            else:
                body = tmpl.replace(b"%s", s)
            status, h, reply = call(port, "POST", path, body, tok)
            expect_refused(tally, "invalid utf-8", "%s %r" % (path, s), status,
                           h, reply, allowed=list(range(400, 500)) +
                           ([201] if s.startswith(b"\\u") else []))
            if status == 201:
                try:
                    reply.decode("utf-8")
                except UnicodeDecodeError:
                    tally.finding("invalid utf-8: %s %r echoed invalid "
                                  "UTF-8: %r" % (path, s, reply[:200]))
    for p in (b"/api/v1/products/\xff\xfe", b"/assets/\xc0\xaf"):
        tally.tried("invalid utf-8")
        r = raw(port, b"GET " + p + b" HTTP/1.1\r\nHost: x\r\nAuthorization: "
                b"Bearer " + tok.encode() + b"\r\nConnection: close\r\n\r\n")
        if r is not None and not 400 <= r[0] < 500:
            tally.finding("invalid utf-8: GET %r answered %s" % (p, r[0]))


def big_body(port, tok, tally):
    big = b'{"sku":"big","name":"' + b"x" * (5 << 20) + b'"}'
    for path in ("/api/v1/products", "/api/v1/orders", "/health"):
        tally.tried("5 MB body")
        try:
            status, h, reply = call(port, "POST", path, big, tok)
            if status != 413:
                tally.finding("5 MB body: %s answered %s" % (path, status))
        except TRANSPORT:
            pass  # closed: allowed
    # Chunked, no Content-Length: the limit is found while reading.
    tally.tried("5 MB body")
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        s.sendall(("POST /api/v1/products HTTP/1.1\r\nHost: x\r\n"
                   "Authorization: Bearer %s\r\nContent-Type: application/json"
                   "\r\nTransfer-Encoding: chunked\r\n\r\n" % tok).encode())
        chunk = b"x" * 65536
        try:
            for _ in range(80):
                s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass
        reply = s.recv(4096)
        if reply and not reply.startswith(b"HTTP/1.1 413"):
            tally.finding("5 MB chunked body answered %r" % reply[:60])
    except OSError:
        pass
    finally:
        s.close()


def slowloris(port, n, tally, results):
    """n connections sending a request head byte by byte; each must be
    closed by the server (header_timeout), not kept forever."""
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10000

    def one(i):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        start = time.monotonic()
        try:
            for b in head:
                s.sendall(bytes([b]))
                time.sleep(0.25)
                if time.monotonic() - start > 90:
                    results.append("open after 90 s")
                    return
            results.append("whole head sent, never closed")
        except OSError:
            results.append("closed")
        finally:
            s.close()
    threads = [threading.Thread(target=one, args=(i,), daemon=True)
               for i in range(n)]
    for t in threads:
        t.start()
    tally.tried("slowloris", n)
    return threads


def idle_connections(port, n, tally):
    socks = []
    for _ in range(n):
        socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    tally.tried("idle connections", n)
    return socks


def auth(port, server, tally):
    secret = server.secret()
    now = int(time.time())
    good = {"sub": "u", "tenant": A, "role": "admin", "exp": now + 600}
    tokens = {
        "missing": None,
        "empty": "",
        "garbled": "not-a-token",
        "three garbled parts": "a.b.c",
        "wrong key": mint(b"not the secret", good),
        "alg none": mint(secret, good, alg="none"),
        "alg none unsigned": mint(secret, good, header={"alg": "none"})[:-1],
        "HS512": mint(secret, good, alg="HS512"),
        "expired": mint(secret, dict(good, exp=now - 60)),
        "not yet valid": mint(secret, dict(good, nbf=now + 600)),
        "no exp": mint(secret, {"sub": "u", "tenant": A, "role": "admin"}),
        "no tenant": mint(secret, {"sub": "u", "role": "admin",
                                   "exp": now + 600}),
        "unknown role": mint(secret, dict(good, role="root")),
        "exp as string": mint(secret, dict(good, exp=str(now + 600))),
        "tampered": (lambda t: t.split(".")[0] + "." + b64(json.dumps(
            dict(good, role="admin", tenant=B)).encode()) + "." +
            t.split(".")[2])(mint(secret, dict(good, role="viewer"))),
        "RS256 header": mint(secret, good, header={"alg": "RS256"}),
        "huge": "a" * 20000,
    }
    for name, t in tokens.items():
        for method, path, body in (("GET", "/api/v1/products", None),
                                   ("POST", "/api/v1/products",
                                    {"sku": "auth", "name": "n"}),
                                   ("GET", "/api/v1/events", None)):
            headers = {}
            if t is not None:
                headers["Authorization"] = "Bearer " + t
            status, h, reply = call(port, method, path, body, None, headers)
            allowed = [401] if name != "huge" else [401, 431]
            expect_refused(tally, "auth", "%s token on %s %s" % (
                name, method, path), status, h, reply, allowed=allowed)
    for scheme in ("Basic dXNlcjpwYXNz", "Bearer", "bearer  x", "Token " +
                   mint(secret, good)):
        status, h, reply = call(port, "GET", "/api/v1/products", None, None,
                                {"Authorization": scheme})
        expect_refused(tally, "auth", "Authorization %r" % scheme[:20],
                       status, h, reply, allowed=[401])
    # The control: the same claims, properly signed, work.
    status, _, _ = call(port, "GET", "/api/v1/products", None,
                        mint(secret, good))
    check(status == 200, "a well-signed token answered %s" % status)


def roles(port, server, tally):
    viewer = server.token(A, "viewer")
    clerk = server.token(A, "clerk")
    manager = server.token(A, "manager")
    order = {"customerId": "c", "items": [{"productId": "pa1", "quantity": 1,
                                           "unitPrice": 1}]}
    cases = [(viewer, "POST", "/api/v1/orders", order),
             (viewer, "POST", "/api/v1/products", {"sku": "v", "name": "v"}),
             (viewer, "POST", "/api/v1/inventory/receipts",
              {"productId": "pa1", "quantity": 1}),
             (viewer, "POST", "/api/v1/inventory/adjustments",
              {"productId": "pa1", "delta": 1, "reason": "found"}),
             (viewer, "DELETE", "/api/v1/products/pa1", None),
             (viewer, "POST", "/api/v1/payments",
              {"orderId": "x", "amount": 1, "status": "succeeded"}),
             (clerk, "POST", "/api/v1/products", {"sku": "c", "name": "c"}),
             (clerk, "DELETE", "/api/v1/products/pa1", None),
             (clerk, "PATCH", "/api/v1/products/pa1", {"name": "c"}),
             (clerk, "POST", "/api/v1/webhooks",
              {"url": "http://127.0.0.1:1/", "events": ["#"], "secret": "s"}),
             (clerk, "POST", "/api/v1/dlq/x/redrive", None),
             (clerk, "POST", "/api/v1/users", {"email": "a@b.c",
                                               "password": "pw-long-enough",
                                               "role": "admin"}),
             (clerk, "POST", "/api/v1/suppliers", {"name": "s"}),
             (manager, "POST", "/api/v1/webhooks",
              {"url": "http://127.0.0.1:1/", "events": ["#"], "secret": "s"}),
             (manager, "POST", "/api/v1/users", {"email": "m@b.c",
                                                 "password": "pw-long-enough",
                                                 "role": "admin"}),
             (manager, "POST", "/api/v1/dlq/x/redrive", None)]
    for tok, method, path, body in cases:
        status, h, reply = call(port, method, path, body, tok)
        if status == 404 and b"no resource at" in reply:
            print("  note: %s %s is not built yet; skipped" % (method, path))
            continue
        expect_refused(tally, "role escalation", "%s by a lower role" % path,
                       status, h, reply, allowed=[403])
    # Still there, unchanged.
    status, _, reply = call(port, "GET", "/api/v1/products/pa1", None, viewer)
    check(status == 200 and json.loads(reply)["name"] == "product a1",
          "pa1 after the escalation attempts: %s %r" % (status, reply))


def tenants(port, server, tally, a_order):
    tb = server.token(B, "admin")
    q = urllib.parse.quote
    not_found = [404]
    cases = [
        ("GET", "/api/v1/products/pa1", None, not_found),
        ("GET", "/api/v1/products/pa1/inventory", None, not_found),
        ("PATCH", "/api/v1/products/pa1", {"name": "stolen"}, not_found),
        ("DELETE", "/api/v1/products/pa1", None, not_found),
        ("GET", "/api/v1/orders/" + a_order, None, not_found),
        ("POST", "/api/v1/orders/%s/cancel" % a_order, None, not_found),
        ("POST", "/api/v1/orders/%s/ship" % a_order, None, not_found),
        ("POST", "/api/v1/orders", {"customerId": "b", "items": [
            {"productId": "pa1", "quantity": 1, "unitPrice": 1}]},
         [404, 422]),
        ("POST", "/api/v1/inventory/receipts", {"productId": "pa1",
                                                "quantity": 5},
         [404, 422]),
        ("POST", "/api/v1/inventory/adjustments",
         {"productId": "pa1", "delta": -1, "reason": "theft"}, [404, 422]),
        ("POST", "/api/v1/payments", {"orderId": a_order, "amount": 1,
                                      "status": "succeeded"}, [404, 422]),
        ("PUT", "/api/v1/replenishment-rules/pa1",
         {"reorderPoint": 1, "reorderQuantity": 1, "supplierId": "s"},
         [404, 422]),
        ("GET", "/api/v1/streams/" + q("order-" + a_order, safe=""), None,
         [200, 404]),
        ("GET", "/api/v1/events?stream=" + q("order-" + a_order), None,
         [200, 400, 404]),
        ("GET", "/api/v1/bills?orderId=" + q(a_order), None, [200, 404]),
        ("GET", "/api/v1/products?q=product", None, [200]),
        ("GET", "/api/v1/orders", None, [200]),
        ("GET", "/api/v1/events", None, [200]),
    ]
    for method, path, body, allowed in cases:
        status, h, reply = call(port, method, path, body, tb)
        # Indistinguishable from an id that exists nowhere is as good as the
        # 404/422 DESIGN.md §7 names: nothing of tenant A shows.
        unknown = json.loads(json.dumps(body).replace(a_order, "ord-none")
                             .replace("pa1", "nothing"))
        status_u, _, reply_u = call(
            port, method, path.replace(a_order, "ord-none").replace(
                "pa1", "nothing"), unknown, tb)
        if status not in allowed and status == status_u and \
                reply.replace(a_order.encode(), b"ord-none").replace(
                    b"pa1", b"nothing") == reply_u:
            allowed = [status]
            print("  note: %s %s answers %s, as for an unknown id: %s" % (
                method, path, status, json.loads(reply).get("detail")))
        expect_refused(tally, "another tenant's ids", "%s %s" % (method, path),
                       status, h, reply, allowed=allowed)
        if status == 200 and (b"pa1" in reply or a_order.encode() in reply or
                              A.encode() in reply):
            tally.finding("another tenant's ids: %s %s leaked %r" % (
                method, path, reply[:300]))
    # Tenant A's product and order unchanged; B's receipt did not land.
    ta = server.token(A, "viewer")
    inv = json.loads(call(port, "GET", "/api/v1/products/pa1/inventory",
                          None, ta)[2])
    check(inv["onHand"] == 10, "pa1 inventory after tenant B: %s" % inv)
    st, _, o = call(port, "GET", "/api/v1/orders/" + a_order, None, ta)
    check(st == 200 and json.loads(o)["status"] != "cancelled",
          "tenant A's order after tenant B: %s %r" % (st, o))
    # A body naming another tenant is ignored: the token decides.
    st, _, reply = call(port, "POST", "/api/v1/products",
                        {"id": "pb-x", "sku": "pbx", "name": "b",
                         "tenantId": A, "tenant": A}, tb)
    tally.tried("another tenant's ids")
    st2, _, _ = call(port, "GET", "/api/v1/products/pb-x", None, ta)
    if st2 != 404:
        tally.finding("a tenantId in the body moved a product to tenant A")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--slowloris", type=int, default=40)
    ap.add_argument("--idle", type=int, default=1000)
    args = ap.parse_args()
    started = time.monotonic()
    # The idle connections need descriptors on both ends; serve inherits
    # the raised limit. Where the hard limit is low, fewer idle connections.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.idle + args.slowloris + 256
    if soft != resource.RLIM_INFINITY and soft < want:
        soft = want if hard == resource.RLIM_INFINITY else min(hard, want)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft != resource.RLIM_INFINITY and soft < want:
        args.idle = max(0, soft - args.slowloris - 256)
        print("  note: descriptor limit %d: %d idle connections" % (
            soft, args.idle))
    server = Server(args.binary)
    tally = Tally()
    probe = None
    idle = []
    try:
        server.start()
        port = server.port
        ta = server.token(A, "admin")
        st, _, _ = call(port, "POST", "/api/v1/products",
                        {"id": "pa1", "sku": "PA1", "name": "product a1",
                         "price": 1}, ta)
        check(st == 201, "create pa1: %s" % st)
        st, _, _ = call(port, "POST", "/api/v1/inventory/receipts",
                        {"productId": "pa1", "quantity": 10}, ta)
        check(200 <= st < 300, "receipt pa1: %s" % st)
        st, _, o = call(port, "POST", "/api/v1/orders",
                        {"customerId": "a", "items": [
                            {"productId": "pa1", "quantity": 1,
                             "unitPrice": 1}]}, ta)
        check(st == 201, "order pa1: %s" % st)
        a_order = json.loads(o)["id"]
        # Tenant isolation and auth first, on a clean tenant B.
        tenants(port, server, tally, a_order)
        auth(port, server, tally)
        roles(port, server, tally)
        probe = Probe(port, server.token("probe", "viewer"))
        probe.start()
        slow_results = []
        slow = slowloris(port, args.slowloris, tally, slow_results)
        idle = idle_connections(port, args.idle, tally)
        # The rest with the slow and idle connections open.
        clerk = server.token(A, "admin")
        for group in (sql_injection, deep_json, big_numbers, bad_utf8,
                      big_body):
            group(port, clerk, tally)
        crlf(port, clerk, tally)
        traversal(port, tally)
        check(server.alive(), "serve died:\n" + server.log_tail())
        # Idle connections: closed by the server after its header timeout.
        closed = 0
        deadline = time.monotonic() + 90
        for s in idle:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                if s.recv(1) == b"":
                    closed += 1
            except ConnectionResetError:
                closed += 1
            except socket.timeout:
                pass
        if closed != len(idle):
            tally.finding("idle connections: %d of %d still open after "
                          "90 s" % (len(idle) - closed, len(idle)))
        for t in slow:
            t.join(120)
        slow_closed = slow_results.count("closed")
        if slow_closed != args.slowloris:
            tally.finding("slowloris: %s" % collections.Counter(slow_results))
        time.sleep(0.5)
        probe.stop = True
        probe.join()
        if probe.failed:
            tally.finding("probe failed %d times: %s" % (
                len(probe.failed), probe.failed[:5]))
        check(probe.ok > 0, "no probe answered")
        rc = server.stop()
        check(rc == 0, "serve exited %s after SIGTERM" % rc)
        total = sum(tally.inputs.values())
        for group, n in sorted(tally.inputs.items()):
            answers = ", ".join("%s: %d" % kv for kv in sorted(
                tally.answers[group].items()))
            print("  %-22s %5d inputs  %s" % (group, n, answers))
        print("hostile input: %d inputs tried, %d findings; %d probes "
              "answered 200 throughout; %d/%d idle and %d/%d slowloris "
              "connections closed by the server; %.1f s" % (
                  total, len(tally.findings), probe.ok, closed, len(idle),
                  slow_closed, args.slowloris, time.monotonic() - started))
        for f in tally.findings:
            print("FINDING: %s" % f, file=sys.stderr)
        return 1 if tally.findings else 0
    except Failure as f:
        print("FAIL: %s" % f, file=sys.stderr)
        for x in tally.findings:
            print("FINDING: %s" % x, file=sys.stderr)
        print("server log tail:\n%s" % server.log_tail(), file=sys.stderr)
        return 1
    finally:
        if probe is not None:
            probe.stop = True
        for s in idle:
            s.close()
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
