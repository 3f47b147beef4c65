#!/usr/bin/env python3
"""Creates products bp-0 .. bp-(N-1) with stock through the HTTP API, for
bench/run-http. Keep-alive connections on a few threads (each create is a
durable append; parallel requests share the store's group commit).

  load_catalog.py BASE_URL TOKEN [N] [THREADS]
"""
import http.client
import json
import sys
import threading
import urllib.parse

base, token = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 16
url = urllib.parse.urlsplit(base)
headers = {"Authorization": "Bearer " + token,
           "Content-Type": "application/json"}
errors = []


def post(conn, path, body, ok):
    conn.request("POST", path, json.dumps(body), headers)
    r = conn.getresponse()
    data = r.read()
    if r.status not in ok:
        raise RuntimeError(f"POST {path}: {r.status} {data[:200]!r}")


def worker(k):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        for i in range(k, count, threads):
            pid = f"bp-{i}"
            post(conn, "/api/v1/products",
                 {"id": pid, "sku": f"BP-{i}", "name": f"Bench {i}",
                  "price": round(1 + i / 100, 2)}, (201, 409))
            post(conn, "/api/v1/inventory/receipts",
                 {"productId": pid, "quantity": 100000000}, (200, 201))
    except Exception as e:  # noqa: BLE001 - reported below
        errors.append(e)


pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()
if errors:
    sys.exit(f"load_catalog: {errors[0]}")
