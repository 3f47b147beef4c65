#!/usr/bin/env python3
"""Crash recovery (DESIGN.md §5, docs/reliability.md): the real `stockpile
serve` (SQLite, a temp data dir) under a steady load of orders (with
Idempotency-Key), receipts, adjustments, payments, shipments and
cancellations is SIGKILLed at random instants and restarted, --cycles times.

After each restart, with the load paused:
  1. every order that got a 201 exists (GET /api/v1/orders/{id} -> 200)
     before anything else is sent; orders whose answer was lost are retried
     with the same Idempotency-Key and must then be acknowledged;
  2. every order settles (leaves `pending`) and, for every product,
       onHand    = received + adjustments - committed (folded from the log)
       reserved  = sum of quantities of confirmed/paid orders
       committed = sum of quantities of shipped/delivered orders
       available = onHand - reserved, none negative;
  3. every acknowledged receipt (tagged by lotNumber) is in the log exactly
     once, every logged one was sent; acknowledged adjustments <= logged <=
     sent; each order id has one order.created;
  4. the read models agree with the log and with each other: the status of
     every order folded from the log = GET /orders/{id} = GET /orders list;
     GET /products list = GET /products/{id}.
Every inventory read during the load is also checked for negative figures.

Usage: crash_recovery_e2e_test.py STOCKPILE_BIN [--cycles 12] [--seed N]
       [--workers 4] [--store sqlite]   (--store memory must fail)
Prints the cycles survived and the orders acknowledged and checked.
"""

import argparse
import collections
import http.client
import random
import sys
import threading
import time

import e2e_lib
from e2e_lib import Client, Failure, Server, check

TENANT = "crash"
PRODUCTS = ["crash-p%d" % i for i in range(5)]
OPEN = ("confirmed", "paid")
SHIPPED = ("shipped", "delivered")
SETTLE_TIMEOUT = 120.0  # generous: a loaded CI machine, not a criterion
TRANSPORT = (OSError, http.client.HTTPException)


class Ledger:
    """What the clients sent and what the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}          # id -> items (acknowledged with 201)
        self.unacked = {}         # idempotency key -> body (answer lost)
        self.receipts_acked = {}  # lotNumber -> (product, qty)
        self.receipts_maybe = {}  # lotNumber -> (product, qty), answer lost
        self.adj_acked = collections.Counter()  # (product, delta)
        self.adj_maybe = collections.Counter()
        self.negative_reads = []
        self.requests = 0
        self.transport_errors = 0


class Worker(threading.Thread):
    def __init__(self, n, port, token, ledger, rng_seed):
        super().__init__(daemon=True)
        self.n = n
        self.client = Client(port, token, timeout=20)
        self.ledger = ledger
        self.rng = random.Random(rng_seed)
        self.pause = threading.Event()
        self.idle = threading.Event()
        self.stop = False
        self.seq = 0
        self.mine = []  # acknowledged order ids

    def run(self):
        while not self.stop:
            if self.pause.is_set():
                self.client.close()
                self.idle.set()
                time.sleep(0.02)
                continue
            self.idle.clear()
            try:
                self.step()
                time.sleep(0.01)  # a steady load, bounded in count
            except TRANSPORT:
                with self.ledger.lock:
                    self.ledger.transport_errors += 1
                time.sleep(0.05)
            except Failure as f:
                with self.ledger.lock:
                    self.ledger.negative_reads.append(str(f))

    def step(self):
        led = self.ledger
        r = self.rng.random()
        with led.lock:
            led.requests += 1
        if r < 0.45:
            self.seq += 1
            key = "w%d-o%d" % (self.n, self.seq)
            lines = self.rng.sample(PRODUCTS, self.rng.choice((1, 1, 1, 2)))
            body = {"customerId": "c%d" % self.n, "currency": "USD",
                    "items": [{"productId": p,
                               "quantity": self.rng.randint(1, 4),
                               "unitPrice": 1.5} for p in lines]}
            with led.lock:
                led.unacked[key] = body
            self.place(key, body)
        elif r < 0.60:
            self.seq += 1
            tag = "w%d-r%d" % (self.n, self.seq)
            p, q = self.rng.choice(PRODUCTS), self.rng.randint(3, 12)
            with led.lock:
                led.receipts_maybe[tag] = (p, q)
            status, _ = self.client.call(
                "POST", "/api/v1/inventory/receipts",
                {"productId": p, "quantity": q, "lotNumber": tag})
            with led.lock:
                del led.receipts_maybe[tag]
                if 200 <= status < 300:
                    led.receipts_acked[tag] = (p, q)
        elif r < 0.70:
            p = self.rng.choice(PRODUCTS)
            d = self.rng.choice((1, -1))
            reason = "found" if d > 0 else "damage"
            with led.lock:
                led.adj_maybe[(p, d)] += 1
            status, _ = self.client.call(
                "POST", "/api/v1/inventory/adjustments",
                {"productId": p, "delta": d, "reason": reason})
            with led.lock:
                led.adj_maybe[(p, d)] -= 1
                if 200 <= status < 300:
                    led.adj_acked[(p, d)] += 1
        elif r < 0.88 and self.mine:
            self.advance(self.rng.choice(self.mine))
        else:
            p = self.rng.choice(PRODUCTS)
            status, inv = self.client.call(
                "GET", "/api/v1/products/%s/inventory" % p)
            if status == 200:
                for f in ("onHand", "reserved", "available"):
                    check(inv[f] >= 0, "negative %s in a read: %s" % (f, inv))

    def place(self, key, body):
        status, order = self.client.call("POST", "/api/v1/orders", body,
                                         {"Idempotency-Key": key})
        if status == 201:
            with self.ledger.lock:
                self.ledger.unacked.pop(key, None)
                self.ledger.orders[order["id"]] = body["items"]
            self.mine.append(order["id"])
            return True
        check(status in (409, 503), "POST /orders answered %s: %s" %
              (status, order))
        return False

    def advance(self, oid):
        status, order = self.client.call("GET", "/api/v1/orders/" + oid)
        check(status == 200, "acknowledged order %s answered %s" % (oid,
                                                                   status))
        s = order["status"]
        if s == "confirmed":
            if self.rng.random() < 0.25:
                self.client.call("POST", "/api/v1/orders/%s/cancel" % oid)
            else:
                self.client.call("POST", "/api/v1/payments",
                                 {"orderId": oid,
                                  "amount": order["totalAmount"],
                                  "status": "succeeded"})
        elif s == "paid":
            action = "cancel" if self.rng.random() < 0.15 else "ship"
            self.client.call("POST", "/api/v1/orders/%s/%s" % (oid, action))


def fold_log(events):
    """The figures the log implies, per product, and each order's status."""
    received = collections.Counter()
    adjusted = collections.Counter()
    committed = collections.Counter()
    reserved = collections.Counter()
    receipt_tags = collections.Counter()
    adj_counts = collections.Counter()
    created = collections.Counter()
    status = {}
    for e in events:
        t, p = e["eventType"], e["payload"]
        if t == "inventory.stock.received":
            received[p["productId"]] += p["quantity"]
            receipt_tags[p.get("lotNumber", "")] += 1
        elif t == "inventory.stock.adjusted":
            adjusted[p["productId"]] += p["delta"]
            adj_counts[(p["productId"], p["delta"])] += 1
        elif t in ("inventory.stock.reserved", "inventory.stock.released",
                   "inventory.stock.committed"):
            sign = 1 if t == "inventory.stock.reserved" else -1
            for line in p["lines"]:
                reserved[line["productId"]] += sign * line["quantity"]
                if t == "inventory.stock.committed":
                    committed[line["productId"]] += line["quantity"]
        elif t == "order.created":
            created[p["orderId"]] += 1
            status[p["orderId"]] = "pending"
        elif t == "order.updated":
            status[p["orderId"]] = p["status"]
    return dict(received=received, adjusted=adjusted, committed=committed,
                reserved=reserved, receipt_tags=receipt_tags,
                adj_counts=adj_counts, created=created, status=status)


def settled_problems(client, ledger):
    """[] once every guarantee holds; else what does not (yet)."""
    problems = []
    log = fold_log(e2e_lib.read_log(client))
    listed = {o["id"]: o for o in e2e_lib.list_all(
        client, "/api/v1/orders?limit=500", "before")}
    single = {}
    for oid in ledger.orders:
        status, order = client.call("GET", "/api/v1/orders/" + oid)
        if status != 200:
            problems.append("order %s answered %s" % (oid, status))
            continue
        single[oid] = order
        if order["status"] == "pending":
            problems.append("order %s still pending" % oid)
        if log["created"][oid] != 1:
            problems.append("order %s has %d order.created" %
                            (oid, log["created"][oid]))
        if log["status"].get(oid) != order["status"]:
            problems.append("order %s: log says %s, GET says %s" %
                            (oid, log["status"].get(oid), order["status"]))
        if listed.get(oid, {}).get("status") != order["status"]:
            problems.append("order %s: list says %s, GET says %s" % (
                oid, listed.get(oid, {}).get("status"), order["status"]))
    extra = set(log["created"]) - set(ledger.orders)
    if extra:
        problems.append("orders in the log nobody was answered for: %s" %
                        sorted(extra)[:5])
    open_qty, shipped_qty = collections.Counter(), collections.Counter()
    for oid, order in single.items():
        for line in order["items"]:
            if order["status"] in OPEN:
                open_qty[line["productId"]] += line["quantity"]
            elif order["status"] in SHIPPED:
                shipped_qty[line["productId"]] += line["quantity"]
    for p in PRODUCTS:
        inv = client.get("/api/v1/products/%s/inventory" % p)
        want_on_hand = (log["received"][p] + log["adjusted"][p] -
                        log["committed"][p])
        for field, got, want in (
                ("onHand", inv["onHand"], want_on_hand),
                ("reserved", inv["reserved"], open_qty[p]),
                ("reserved (log)", inv["reserved"], log["reserved"][p]),
                ("committed", log["committed"][p], shipped_qty[p]),
                ("available", inv["available"],
                 inv["onHand"] - inv["reserved"])):
            if got != want:
                problems.append("%s %s = %s, expected %s" % (p, field, got,
                                                              want))
        for f in ("onHand", "reserved", "available"):
            if inv[f] < 0:
                problems.append("%s %s negative: %s" % (p, f, inv))
    for tag in ledger.receipts_acked:
        if log["receipt_tags"][tag] != 1:
            problems.append("acknowledged receipt %s logged %d times" %
                            (tag, log["receipt_tags"][tag]))
    for tag, n in log["receipt_tags"].items():
        if tag not in ledger.receipts_acked and \
                tag not in ledger.receipts_maybe:
            problems.append("logged receipt %s was never sent" % tag)
        if n > 1:
            problems.append("receipt %s logged %d times" % (tag, n))
    for key in set(ledger.adj_acked) | set(log["adj_counts"]):
        lo, hi = ledger.adj_acked[key], ledger.adj_acked[key] + \
            ledger.adj_maybe[key]
        if not lo <= log["adj_counts"][key] <= hi:
            problems.append("adjustments %s: %d logged, %d..%d sent" %
                            (key, log["adj_counts"][key], lo, hi))
    listed_products = {p["id"]: p for p in e2e_lib.list_all(
        client, "/api/v1/products?limit=500", "after")}
    for p in PRODUCTS:
        if listed_products.get(p) != client.get("/api/v1/products/" + p):
            problems.append("product %s: list and GET differ" % p)
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--cycles", type=int, default=12)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--store", default="sqlite",
                    help="`memory` must make this test fail (it can fail)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print("crash recovery: seed %d, %d cycles, %d workers" %
          (args.seed, args.cycles, args.workers))
    started = time.monotonic()
    server = Server(args.binary, store=args.store)
    ledger = Ledger()
    workers = []
    try:
        server.start()
        token = server.token(TENANT, "admin")
        admin = Client(server.port, token)
        for p in PRODUCTS:
            status, body = admin.call("POST", "/api/v1/products", {
                "id": p, "sku": p.upper(), "name": p, "price": 1.5})
            check(status == 201, "create %s: %s %s" % (p, status, body))
            status, body = admin.call("POST", "/api/v1/inventory/receipts", {
                "productId": p, "quantity": 60, "lotNumber": "seed-" + p})
            check(status == 201 or status == 200, "seed %s: %s" % (p, body))
            ledger.receipts_acked["seed-" + p] = (p, 60)
        workers = [Worker(i, server.port, token, ledger, rng.random())
                   for i in range(args.workers)]
        for w in workers:
            w.pause.set()
            w.start()
        # Not started: its connection retries lost answers between cycles.
        retrier = Worker(len(workers), server.port, token, ledger, 0)
        survived, checked, retried = 0, 0, 0
        for cycle in range(1, args.cycles + 1):
            for w in workers:
                w.pause.clear()
            time.sleep(rng.uniform(0.3, 1.5))
            server.kill()
            for w in workers:
                w.pause.set()
            for w in workers:
                e2e_lib.wait_until(w.idle.is_set, 60, "worker %d idle" % w.n)
            t_kill = time.monotonic()
            server.start()
            t_up = time.monotonic()
            admin.close()
            retrier.client.close()
            # 1. Durability: every acknowledged order is there, first thing.
            for oid in list(ledger.orders):
                status, body = admin.call("GET", "/api/v1/orders/" + oid)
                check(status == 200, "cycle %d: acknowledged order %s "
                      "answered %s after restart: %s" % (cycle, oid, status,
                                                         body))
            checked += len(ledger.orders)
            # Orders whose answer was lost: the same key, the same order.
            retried += len(ledger.unacked)
            for key, body in list(ledger.unacked.items()):
                def retry():
                    try:
                        return retrier.place(key, body)
                    except TRANSPORT:
                        return False
                e2e_lib.wait_until(retry, 30, "retry of order %s" % key)
            # 2-4. Once settled, the figures agree. (The cheap wait first:
            # no order pending in the list.)
            e2e_lib.wait_until(lambda: not admin.get(
                "/api/v1/orders?status=pending&limit=1")["items"],
                SETTLE_TIMEOUT, "no order pending", interval=0.2)
            last = [None]

            def settled():
                last[0] = settled_problems(admin, ledger)
                return not last[0]
            try:
                e2e_lib.wait_until(settled, SETTLE_TIMEOUT, "settling",
                                   interval=0.5)
            except Failure:
                raise Failure("cycle %d: after restart:\n  %s" % (
                    cycle, "\n  ".join(last[0][:20])))
            check(not ledger.negative_reads, "negative reads: %s" %
                  ledger.negative_reads[:5])
            survived = cycle
            print("cycle %d: killed and restarted (up in %.1f s, checked in "
                  "%.1f s); %d orders acknowledged, all present and settled; "
                  "%d receipts, %d adjustments acknowledged" % (
                      cycle, t_up - t_kill, time.monotonic() - t_up,
                      len(ledger.orders), len(ledger.receipts_acked),
                      sum(ledger.adj_acked.values())))
            sys.stdout.flush()
        for w in workers:
            w.stop = True
        statuses = collections.Counter(
            o["status"] for o in e2e_lib.list_all(
                admin, "/api/v1/orders?limit=500", "before"))
        rc = server.stop()
        check(rc == 0, "serve exited %s after SIGTERM" % rc)
        print("crash recovery: %d cycles survived (SIGKILL + restart), "
              "%d orders acknowledged (%d after a retry with the same key), "
              "%d order checks after restarts, "
              "final statuses %s, %d requests (%d cut by a kill), "
              "nothing lost, %.1f s" % (
                  survived, len(ledger.orders), retried, checked,
                  dict(statuses),
                  ledger.requests, ledger.transport_errors,
                  time.monotonic() - started))
        return 0
    except Failure as f:
        return e2e_lib.report_failure(f, server)
    finally:
        for w in workers:
            w.stop = True
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
