#!/usr/bin/env python3
"""Cross-process order latency (issue 7): POST /orders on the front process
-> order.created crosses to the stock process over RabbitMQ -> reserved ->
inventory.stock.reserved crosses back -> order.confirmed on front.

Starts the three processes of tests/e2e/distributed_e2e_test.py (front /
stock / figures, a PostgreSQL database each, a fresh RabbitMQ vhost), sends
orders open-loop at --rate per second for --seconds (loopback only) and
times each from the moment its POST was sent to the moment front's SSE
stream (/api/v1/events/stream?type=order.confirmed) delivered its
order.confirmed. Prints one line per run and the medians of --runs runs.

Needs STOCKPILE_TEST_PG_URL, STOCKPILE_TEST_AMQP_URL, STOCKPILE_TEST_RABBITMQCTL
(bench/run-distributed starts the servers and sets them).
Usage: distributed_latency.py STOCKPILE_BIN [--rate 1000] [--seconds 20]
       [--runs 3] [--drain 120]
Orders not confirmed within --drain seconds after the last POST are counted
as unconfirmed and left out of the percentiles (the line says how many).
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "e2e"))
import e2e_lib  # noqa: E402
from distributed_e2e_test import Cluster  # noqa: E402
from e2e_lib import Client, check, seed_products  # noqa: E402

TENANT = "bench"
PRODUCTS = ["b-%d" % i for i in range(20)]


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, int(round(p / 100.0 *
                                              (len(sorted_values) - 1))))
    return sorted_values[k]


class ConfirmedStream:
    """Front's SSE stream of order.confirmed: orderId -> arrival time."""

    def __init__(self, port, token):
        self.seen = {}
        self.lock = threading.Lock()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.conn.request("GET", "/api/v1/events/stream?type=order.confirmed",
                          headers={"Authorization": "Bearer " + token,
                                   "Accept": "text/event-stream"})
        self.sock = self.conn.sock  # the response takes it over
        self.resp = self.conn.getresponse()
        check(self.resp.status == 200, "SSE: %s" % self.resp.status)
        self.resp.readline()  # the stream's opening comment
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        try:
            for raw in self.resp:
                if not raw.startswith(b"data: "):
                    continue
                now = time.monotonic()
                event = json.loads(raw[6:])
                order = event["payload"].get("orderId") or event["aggregateId"]
                with self.lock:
                    self.seen.setdefault(order, now)
        except (OSError, ValueError, http.client.HTTPException):
            pass  # closed at the end of the run

    def arrivals(self):
        with self.lock:
            return dict(self.seen)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(timeout=10)
        self.conn.close()


def send(port, token, rate, seconds, threads):
    """Open loop: order k is due at start + k/rate; a thread that falls
    behind sends at once (the achieved rate shows it). Returns
    ({orderId: sent_at}, errors, elapsed)."""
    total = int(rate * seconds)
    sent, errors, lock = {}, [0], threading.Lock()
    start = time.monotonic() + 0.2

    def worker(n):
        rng = random.Random(n)
        c = Client(port, token, timeout=30)
        for k in range(n, total, threads):
            due = start + k / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = {"customerId": "c%d" % n, "currency": "USD", "items": [
                {"productId": rng.choice(PRODUCTS), "quantity": 1,
                 "unitPrice": 2}]}
            t = time.monotonic()
            try:
                status, order = c.call("POST", "/api/v1/orders", body)
            except (OSError, http.client.HTTPException):
                status, order = None, None
            if status != 201:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                sent[order["id"]] = t
        c.close()

    ts = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sent, errors[0], time.monotonic() - start


def one_run(args, index):
    cluster = Cluster(args.binary, "rabbitmq", None)
    try:
        front, stock, figures = (cluster[n] for n in ("front", "stock",
                                                      "figures"))
        for s in (stock, front, figures):
            s.start()
        admin = front.token(TENANT, "admin")
        sa = Client(stock.port, admin)
        seed_products(sa, PRODUCTS, 10000000)
        fa = Client(front.port, admin)

        def front_knows_products():
            known = {e["payload"]["productId"] for e in e2e_lib.read_log(fa)
                     if e["eventType"] == "catalog.product.created"}
            return known >= set(PRODUCTS)
        e2e_lib.wait_until(front_knows_products, 60, "products reach front")
        clerk = front.token(TENANT, "clerk")
        stream = ConfirmedStream(front.port, clerk)
        load = open("/proc/loadavg").read().split()[:3]
        sent, errors, elapsed = send(front.port, clerk, args.rate,
                                     args.seconds, args.threads)
        deadline = time.monotonic() + args.drain
        while time.monotonic() < deadline:
            if len(set(sent) - set(stream.arrivals())) == 0:
                break
            time.sleep(0.2)
        arrived = stream.arrivals()
        stream.close()
        lat = sorted((arrived[o] - t) * 1000 for o, t in sent.items()
                     if o in arrived)
        result = {
            "run": index, "sent": len(sent) + errors, "acknowledged": len(sent),
            "errors": errors, "confirmed": len(lat),
            "achieved_per_s": len(sent) / elapsed,
            "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99),
            "max_ms": lat[-1] if lat else float("nan"),
            "load_before": " ".join(load),
            "load_after": " ".join(open("/proc/loadavg").read().split()[:3]),
        }
        for s in (front, stock, figures):
            s.stop()
        return result
    finally:
        cluster.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--drain", type=float, default=120,
                    help="seconds to wait for the last confirmations")
    args = ap.parse_args()
    results = []
    for i in range(1, args.runs + 1):
        r = one_run(args, i)
        results.append(r)
        print("run %d: %d sent at %.0f/s target, %.0f/s achieved, %d "
              "acknowledged, %d confirmed, %d errors; POST->confirmed p50 "
              "%.1f ms, p99 %.1f ms, max %.1f ms; load %s -> %s" % (
                  i, r["sent"], args.rate, r["achieved_per_s"],
                  r["acknowledged"], r["confirmed"], r["errors"], r["p50_ms"],
                  r["p99_ms"], r["max_ms"], r["load_before"],
                  r["load_after"]), flush=True)
    med = {k: statistics.median(r[k] for r in results)
           for k in ("achieved_per_s", "p50_ms", "p99_ms", "confirmed")}
    print("median of %d runs: achieved %.0f orders/s (target %.0f), p50 "
          "%.1f ms, p99 %.1f ms" % (len(results), med["achieved_per_s"],
                                    args.rate, med["p50_ms"], med["p99_ms"]))
    return 0 if all(r["confirmed"] == r["acknowledged"] for r in results) \
        else 1


if __name__ == "__main__":
    sys.exit(main())
