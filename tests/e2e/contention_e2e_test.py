#!/usr/bin/env python3
"""Contention (DESIGN.md §4.1, §5, docs/reliability.md): --clients threads
(64) order from 5 products with little stock (--stock units each) against
the real `stockpile serve` for --duration seconds. Some clients cancel their
confirmed orders, so stock keeps coming back and the race never ends.

Checked:
  - every order answered 201 settles: confirmed, rejected or cancelled;
  - no oversell, now and at every point in history: folding the event log
    in order, the reserved quantity of each product never exceeds what was
    received, and at the end the quantities of confirmed orders <= stock;
  - reserved = sum of confirmed quantities, available = onHand - reserved;
  - no inventory read during the run shows a negative figure;
  - each order id has one order.created (the Idempotency-Key keeps retries
    from doubling it).

Usage: contention_e2e_test.py STOCKPILE_BIN [--duration 15] [--clients 64]
       [--stock 20] [--seed N]
CI runs --duration 15 (tests/CMakeLists.txt); issue 9 asks for 30 s, which is
`--duration 30`. Prints orders placed, confirmed, rejected and reads checked.
"""

import argparse
import collections
import http.client
import random
import sys
import threading
import time

import e2e_lib
from e2e_lib import Client, Failure, Server, check, seed_products

TENANT = "contention"
PRODUCTS = ["hot-%d" % i for i in range(5)]
TRANSPORT = (OSError, http.client.HTTPException)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--duration", type=float, default=15.0)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--stock", type=int, default=20)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    print("contention: seed %d, %d clients, %d products x %d units, %.0f s" %
          (args.seed, args.clients, len(PRODUCTS), args.stock, args.duration))
    server = Server(args.binary)
    lock = threading.Lock()
    orders = {}  # id -> items
    errors = []
    counts = collections.Counter()
    try:
        server.start()
        token = server.token(TENANT, "clerk")
        admin = Client(server.port, server.token(TENANT, "admin"))
        seed_products(admin, PRODUCTS, args.stock)
        end = time.monotonic() + args.duration

        def client(n, seed):
            rng = random.Random(seed)
            c = Client(server.port, token, timeout=60)
            mine, seq = [], 0
            try:
                while time.monotonic() < end:
                    r = rng.random()
                    if r < 0.6:
                        seq += 1
                        lines = rng.sample(PRODUCTS, rng.choice((1, 1, 2)))
                        body = {"customerId": "c%d" % n, "items": [
                            {"productId": p, "quantity": rng.randint(1, 3),
                             "unitPrice": 2} for p in lines]}
                        key = "c%d-%d" % (n, seq)
                        for _ in range(20):  # 409: the same key in flight
                            status, order = c.call(
                                "POST", "/api/v1/orders", body,
                                {"Idempotency-Key": key})
                            if status != 409:
                                break
                            time.sleep(0.05)
                        check(status == 201, "POST /orders: %s %s" %
                              (status, order))
                        with lock:
                            orders[order["id"]] = body["items"]
                            counts["placed"] += 1
                        mine.append(order["id"])
                    elif r < 0.75 and mine:
                        oid = mine.pop(rng.randrange(len(mine)))
                        status, _ = c.call("POST",
                                           "/api/v1/orders/%s/cancel" % oid)
                        check(status in (200, 409), "cancel: %s" % status)
                        with lock:
                            counts["cancels" if status == 200 else
                                   "cancel conflicts"] += 1
                    else:
                        p = rng.choice(PRODUCTS)
                        inv = c.get("/api/v1/products/%s/inventory" % p)
                        for f in ("onHand", "reserved", "available"):
                            check(inv[f] >= 0, "negative %s: %s" % (f, inv))
                        check(inv["onHand"] <= args.stock,
                              "onHand grew: %s" % inv)
                        with lock:
                            counts["reads"] += 1
            except (Failure, TRANSPORT) as e:
                with lock:
                    errors.append("client %d: %r" % (n, e))
            finally:
                c.close()

        rng = random.Random(args.seed)
        threads = [threading.Thread(target=client, args=(i, rng.random()))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(not errors, "\n  ".join(errors[:10]))
        check(server.alive(), "serve died:\n" + server.log_tail())

        def settled():
            pending = [o for o in e2e_lib.list_all(
                admin, "/api/v1/orders?status=pending&limit=500", "before")]
            return not pending
        e2e_lib.wait_until(settled, 120, "every order settled", 0.5)

        final = {}
        for oid in orders:
            final[oid] = admin.get("/api/v1/orders/" + oid)["status"]
        statuses = collections.Counter(final.values())
        check(set(statuses) <= {"confirmed", "rejected", "cancelled"},
              "unsettled statuses: %s" % statuses)
        confirmed = collections.Counter()
        for oid, items in orders.items():
            if final[oid] == "confirmed":
                for line in items:
                    confirmed[line["productId"]] += line["quantity"]
        for p in PRODUCTS:
            inv = admin.get("/api/v1/products/%s/inventory" % p)
            check(confirmed[p] <= args.stock,
                  "%s oversold: %d confirmed, %d in stock" % (
                      p, confirmed[p], args.stock))
            check(inv["reserved"] == confirmed[p],
                  "%s reserved %d, confirmed orders hold %d" % (
                      p, inv["reserved"], confirmed[p]))
            check(inv["onHand"] == args.stock and
                  inv["available"] == args.stock - confirmed[p],
                  "%s: %s" % (p, inv))

        # History: fold the log in order; reserved never above stock.
        held = collections.Counter()
        peak = collections.Counter()
        created = collections.Counter()
        events = e2e_lib.read_log(admin)
        for e in events:
            t, pl = e["eventType"], e["payload"]
            if t == "order.created":
                created[pl["orderId"]] += 1
            # The per-product position stream is where the stock is
            # guarded (optimistic concurrency on its version).
            if t in ("inventory.position.reserved",
                     "inventory.position.released"):
                sign = 1 if t == "inventory.position.reserved" else -1
                p = pl["productId"]
                held[p] += sign * sum(a["quantity"] for a in pl["allocations"])
                check(0 <= held[p] <= args.stock,
                      "at position %d %s holds %d of %d" % (
                          e["position"], p, held[p], args.stock))
                peak[p] = max(peak[p], held[p])
        check(set(created) == set(orders) and
              all(n == 1 for n in created.values()),
              "order.created per order: %s" % [
                  (o, n) for o, n in created.items() if n != 1][:5])
        rc = server.stop()
        check(rc == 0, "serve exited %s after SIGTERM" % rc)
        print("contention: %d orders placed by %d clients in %.0f s: %s; "
              "%d cancels (%d conflicts), %d inventory reads, none negative; "
              "peak reserved per product %s of %d; %d events folded; "
              "no oversell" % (
                  counts["placed"], args.clients, args.duration,
                  dict(statuses), counts["cancels"],
                  counts["cancel conflicts"], counts["reads"],
                  [peak[p] for p in PRODUCTS], args.stock, len(events)))
        return 0
    except Failure as f:
        return e2e_lib.report_failure(f, server)
    finally:
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
