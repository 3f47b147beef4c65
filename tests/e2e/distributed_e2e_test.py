#!/usr/bin/env python3
"""Distributed mode end to end (DESIGN.md §6, issue 7): three `stockpile
serve` processes, each on its own PostgreSQL database, talking only through
RabbitMQ (a fresh vhost per run), exactly as docs/deployment.md lays out:

  front    orders,billing,notifications,users,tenant,integrations
  stock    inventory,catalog,purchasing
  figures  forecasting,analytics

Flows checked:
  - order: POST /orders on front -> order.created crosses to stock ->
    reserved there -> inventory.stock.reserved crosses back -> confirmed;
    an order for more than is left is rejected; ship commits on stock;
  - low stock: stock falls under a rule's reorder point -> a purchase order
    on stock, and the low-stock alert on front;
  - figures: the analytics process counts the orders.
Faults, each in the middle of a load of --orders orders:
  - SIGKILL the stock (inventory) process and restart it;
  - stop RabbitMQ's app for --broker-pause seconds and start it again;
  - restart PostgreSQL (every process's database lives on it): a fast
    shutdown terminates every session, the server stays down --pg-pause
    seconds and comes back on the same port.
After each: every acknowledged order settles (confirmed or rejected), stock
is conserved (reserved on stock = the quantities of confirmed orders on
front; onHand = received - shipped), and no effect happens twice (one
reservation outcome per order in stock's log, one order.created per order).

Needs STOCKPILE_TEST_PG_URL, STOCKPILE_TEST_AMQP_URL and
STOCKPILE_TEST_RABBITMQCTL, STOCKPILE_TEST_PG_CTL (scripts/services env); fails, naming them, when
they are missing. Usage: distributed_e2e_test.py STOCKPILE_BIN [--orders 500]
"""

import argparse
import collections
import http.client
import os
import random
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse

import e2e_lib
from e2e_lib import Client, Failure, Server, check, seed_products

TENANT = "dist"
PRODUCTS = ["d-%d" % i for i in range(5)]
STOCK = 2000  # units received per product: enough for every round's orders
TRANSPORT = (OSError, http.client.HTTPException)


def need(name):
    value = os.environ.get(name)
    if not value:
        raise Failure("%s is not set: run scripts/test, or scripts/services "
                      "up postgres rabbitmq && eval \"$(scripts/services "
                      "env)\"" % name)
    return value


def bring_back(start, what):
    """Runs `start` until it succeeds (5 tries): starting a server can time
    out on a loaded machine, and a server left down would be reported as
    some other, confusing failure."""
    last = None
    for _ in range(5):
        try:
            start()
            return
        except (subprocess.SubprocessError, OSError) as e:
            last = e
            time.sleep(2)
    raise Failure("%s failed 5 times: %r" % (what, last))


class Cluster:
    """The broker vhost, three databases and the three processes."""

    def __init__(self, binary, broker, kafka_mock):
        self.run = "e2e%s" % secrets.token_hex(4)
        self.broker = broker
        self.pg = need("STOCKPILE_TEST_PG_URL")
        self.pg_ctl = need("STOCKPILE_TEST_PG_CTL")
        self.mock = None
        self.servers = {}
        if broker == "rabbitmq":
            amqp = urllib.parse.urlsplit(need("STOCKPILE_TEST_AMQP_URL"))
            self.ctl = need("STOCKPILE_TEST_RABBITMQCTL")
            self.rabbitmqctl("add_vhost", self.run)
            self.rabbitmqctl("set_permissions", "-p", self.run, "guest",
                             ".*", ".*", ".*")
            self.transport = "amqp://%s/%s" % (amqp.netloc, self.run)
        else:
            check(kafka_mock, "--broker kafka needs --kafka-mock BINARY")
            self.mock = subprocess.Popen(
                [kafka_mock], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True)
            self.transport = self.mock.stdout.readline().strip()
            check(self.transport.startswith("kafka://"),
                  "kafka_mock_broker printed %r" % self.transport)
        env = {"STOCKPILE_JWT_SECRET": secrets.token_hex(32)}
        for name, services in (
                ("front", "orders,billing,notifications,users,tenant,"
                          "integrations"),
                ("stock", "inventory,catalog,purchasing"),
                ("figures", "forecasting,analytics")):
            db = "%s_%s" % (self.run, name)
            self.psql("CREATE DATABASE %s" % db)
            url = urllib.parse.urlsplit(self.pg)._replace(path="/" + db)
            self.servers[name] = Server(
                binary, store=urllib.parse.urlunsplit(url), env=env,
                args=["--services", services, "--transport", self.transport],
                name=name)

    def rabbitmqctl(self, *args):
        subprocess.run([self.ctl, "-q"] + list(args), check=True,
                       stdout=subprocess.DEVNULL, timeout=120)

    def pause_broker(self, seconds):
        """The broker away for `seconds`: RabbitMQ's app stopped, or the
        Kafka mock broker refusing connections."""
        if self.broker == "rabbitmq":
            self.rabbitmqctl("stop_app")
            time.sleep(seconds)
            bring_back(lambda: self.rabbitmqctl("start_app"),
                       "rabbitmqctl start_app")
        else:
            for command in ("down", "up"):
                self.mock.stdin.write(command + "\n")
                self.mock.stdin.flush()
                reply = self.mock.stdout.readline().strip()
                check(reply == "ok", "kafka mock %s: %s" % (command, reply))
                if command == "down":
                    time.sleep(seconds)

    def restart_postgres(self, seconds):
        """PostgreSQL stopped (fast: sessions terminated), away for
        `seconds`, started again on the same port and data."""
        subprocess.run([self.pg_ctl, "stop", "-m", "fast"], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)
        time.sleep(seconds)
        bring_back(lambda: subprocess.run(
            [self.pg_ctl, "start"], check=True, stdout=subprocess.DEVNULL,
            timeout=120), "pg_ctl start")

    def psql(self, sql):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.pg, "-c",
                        sql], check=True, stdout=subprocess.DEVNULL,
                       timeout=60)

    def __getitem__(self, name):
        return self.servers[name]

    def logs(self):
        return "\n".join("--- %s:\n%s" % (n, s.log_tail(15))
                         for n, s in self.servers.items())

    def cleanup(self):
        for s in self.servers.values():
            s.cleanup()
        for name in self.servers:
            try:
                self.psql("DROP DATABASE IF EXISTS %s_%s" % (self.run, name))
            except (subprocess.SubprocessError, OSError):
                pass
        if self.mock is not None:
            self.mock.stdin.close()
            self.mock.wait(timeout=30)
            return
        try:
            self.rabbitmqctl("delete_vhost", self.run)
        except (subprocess.SubprocessError, OSError):
            pass


def place_orders(front_port, token, count, seed, during=None,
                 products=PRODUCTS):
    """Places `count` orders (1-2 lines of 1-3 units) from 4 threads;
    `during()` runs once a third of them are in. Returns {id: items}.
    A request the server did not answer (it was the one being killed) is
    retried with the same Idempotency-Key."""
    orders, lock, errors = {}, threading.Lock(), []
    placed = [0]
    fired = threading.Event()
    fault = []

    def run_fault():
        try:
            during()
        except Exception as e:  # reported with the others below
            with lock:
                errors.append("the fault itself failed: %r" % e)

    def worker(n):
        rng = random.Random(seed * 100 + n)
        c = Client(front_port, token, timeout=60)
        try:
            for i in range(n, count, 4):
                lines = rng.sample(products, rng.choice((1, 1, 2)))
                body = {"customerId": "c%d" % n, "currency": "USD", "items": [
                    {"productId": p, "quantity": rng.randint(1, 3),
                     "unitPrice": 2} for p in lines]}
                key = "%d-%d" % (seed, i)
                for _ in range(100):
                    try:
                        status, order = c.call("POST", "/api/v1/orders", body,
                                               {"Idempotency-Key": key})
                    except TRANSPORT:
                        time.sleep(0.1)
                        continue
                    if status not in (409, 503):
                        break
                    time.sleep(0.2)  # 503: the store is away (a fault)
                check(status == 201, "POST /orders: %s %s" % (status, order))
                with lock:
                    orders[order["id"]] = body["items"]
                    placed[0] += 1
                    if during and placed[0] >= count // 3 and \
                            not fired.is_set():
                        fired.set()
                        fault.append(threading.Thread(target=run_fault))
                        fault[0].start()
        except (Failure, TRANSPORT) as e:
            with lock:
                errors.append("client %d: %r" % (n, e))
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in fault:  # started by a worker: it has ended before anything is read
        t.join()
    check(not errors, "\n  ".join(errors[:5]))
    return orders


# Event type prefixes the front process appends itself (its services).
FRONT_OWNS = ("order.", "payment.", "bill.", "notification.", "user.",
              "tenant.", "integration.", "sales.")


def absorbed(front):
    """Deliveries front imported that added nothing to its log — the same
    event routed to several of its queues, published again by a restarted
    relay, or redelivered — each absorbed by the idempotent append:
    deliveries imported minus the foreign events in its log."""
    status, health = front.call("GET", "/health/services")
    check(status in (200, 503), "health: %s %s" % (status, health))
    delivered = sum(c.get("imported", 0)
                    for name, c in health["components"].items()
                    if name.startswith("import:"))
    foreign = sum(1 for e in e2e_lib.read_log(front)
                  if not e["eventType"].startswith(FRONT_OWNS))
    check(delivered >= foreign, "front imported %d deliveries but holds %d "
          "foreign events" % (delivered, foreign))
    return delivered - foreign


def settle_and_check(front, stock, orders, what):
    """Every order settled; stock conserved; nothing twice."""
    def statuses():
        out = {}
        for oid in orders:
            out[oid] = front.get("/api/v1/orders/" + oid)["status"]
        return out

    def settled():
        s = statuses()
        return s if all(v != "pending" for v in s.values()) else None
    final = e2e_lib.wait_until(settled, 180, "%s: every order settled" % what,
                               0.5)
    counts = collections.Counter(final.values())
    check(set(counts) <= {"confirmed", "rejected", "paid", "shipped"},
          "%s: statuses %s" % (what, counts))
    held = collections.Counter()
    gone = collections.Counter()
    for oid, items in orders.items():
        for line in items:
            if final[oid] in ("confirmed", "paid"):
                held[line["productId"]] += line["quantity"]
            elif final[oid] == "shipped":
                gone[line["productId"]] += line["quantity"]

    def conserved():
        for p in PRODUCTS:
            inv = stock.get("/api/v1/products/%s/inventory" % p)
            if inv["reserved"] != held[p] or \
                    inv["onHand"] != STOCK - gone[p] or \
                    inv["available"] != inv["onHand"] - inv["reserved"]:
                return None
        return True
    try:
        e2e_lib.wait_until(conserved, 180, "%s: stock conserved" % what, 0.5)
    except Failure:
        detail = [(p, stock.get("/api/v1/products/%s/inventory" % p),
                   held[p], gone[p]) for p in PRODUCTS]
        raise Failure("%s: stock not conserved (product, inventory, held by "
                      "confirmed, shipped): %s" % (what, detail))

    # Nothing twice: one reservation outcome per order in stock's log, one
    # order.created per order in front's.
    outcomes = collections.Counter()
    for e in e2e_lib.read_log(stock):
        if e["eventType"] in ("inventory.stock.reserved",
                              "inventory.stock.reservation_failed"):
            outcomes[e["payload"]["orderId"]] += 1
    created = collections.Counter(
        e["payload"]["orderId"] for e in e2e_lib.read_log(front)
        if e["eventType"] == "order.created")
    twice = [o for o in orders if outcomes[o] != 1 or created[o] != 1]
    check(not twice, "%s: orders reserved or created other than once: %s" % (
        what, [(o, outcomes[o], created[o]) for o in twice[:5]]))
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--orders", type=int, default=500)
    ap.add_argument("--broker-pause", type=float, default=10.0)
    ap.add_argument("--pg-pause", type=float, default=3.0)
    ap.add_argument("--broker", choices=("rabbitmq", "kafka"),
                    default="rabbitmq")
    ap.add_argument("--kafka-mock", help="the kafka_mock_broker binary")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    cluster = None
    try:
        cluster = Cluster(args.binary, args.broker, args.kafka_mock)
        print("distributed: 3 processes on PostgreSQL over %s (%s)" % (
            args.broker, "librdkafka mock cluster" if args.broker == "kafka"
            else "vhost " + cluster.run))
        front, stock, figures = cluster["front"], cluster["stock"], \
            cluster["figures"]
        for s in (stock, front, figures):
            s.start()
        admin_token = front.token(TENANT, "admin")
        fa, sa, ga = (Client(s.port, admin_token) for s in
                      (front, stock, figures))

        # The catalog and stock live on `stock`.
        seed_products(sa, PRODUCTS, STOCK, extra=lambda p: {
            "reorderPoint": 350 if p == "d-0" else 0})
        status, body = sa.call("POST", "/api/v1/suppliers", {
            "id": "sup-1", "name": "Supplier", "leadTimeDays": 2,
            "prices": {"d-0": 1}})
        check(status == 201, "supplier: %s %s" % (status, body))
        status, body = sa.call("PUT", "/api/v1/replenishment-rules/d-0", {
            "reorderPoint": 350, "reorderQuantity": 100,
            "supplierId": "sup-1", "autoApproveLimit": 1000})
        check(200 <= status < 300, "rule: %s %s" % (status, body))
        # Front does not serve the catalog: products are not its routes.
        status, _ = fa.call("GET", "/api/v1/products")
        check(status == 404, "front serves /products: %s" % status)

        def front_knows_products():
            known = {e["payload"]["productId"] for e in e2e_lib.read_log(fa)
                     if e["eventType"] == "catalog.product.created"}
            return known >= set(PRODUCTS)
        e2e_lib.wait_until(front_knows_products, 60,
                           "the products reach front through the broker")

        # Flow 1: the order flow across processes, and a rejection.
        clerk = front.token(TENANT, "clerk")
        t0 = time.monotonic()
        orders = place_orders(front.port, clerk, 60, args.seed)
        counts = settle_and_check(fa, sa, orders, "order flow")
        # Stock is plentiful, so every order is confirmed — unless the
        # machine is so loaded that the orders' 30 s reservation timeout
        # rejects some first (their holds are then released: checked above).
        check(counts["confirmed"] > 0 and
              counts["confirmed"] + counts["rejected"] == len(orders),
              "orders not confirmed across processes: %s" % counts)
        status, big = fa.call("POST", "/api/v1/orders", {
            "customerId": "greedy", "items": [
                {"productId": "d-4", "quantity": 10000, "unitPrice": 2}]})
        check(status == 201, "big order: %s %s" % (status, big))
        e2e_lib.wait_until(
            lambda: fa.get("/api/v1/orders/" + big["id"])["status"] ==
            "rejected", 60, "the order for more than is left is rejected")
        # Payment (billing, on front) -> paid; ship -> inventory commits.
        ship = next(o for o in orders
                    if fa.get("/api/v1/orders/" + o)["status"] == "confirmed")
        amount = sum(l["quantity"] * l["unitPrice"] for l in orders[ship])
        e2e_lib.wait_until(
            lambda: fa.call("POST", "/api/v1/payments", {
                "orderId": ship, "amount": amount,
                "status": "succeeded"})[0] in (200, 201), 30,
            "payment accepted (the bill exists)", 0.2)
        e2e_lib.wait_until(
            lambda: fa.get("/api/v1/orders/" + ship)["status"] == "paid",
            30, "order paid")
        status, body = fa.call("POST", "/api/v1/orders/%s/ship" % ship)
        check(status == 200, "ship: %s %s" % (status, body))
        e2e_lib.wait_until(
            lambda: fa.get("/api/v1/orders/" + ship)["status"] == "shipped",
            10, "shipped")
        orders[big["id"]] = []  # holds nothing
        settle_and_check(fa, sa, orders, "after a shipment")
        print("distributed: order flow: %d orders confirmed across "
              "processes in %.1f s; one rejected; one paid and shipped" %
              (len(orders) - 1, time.monotonic() - t0))

        # Flow 2: an order takes d-0 below its rule's reorder point (350):
        # inventory.stock.low -> a purchase order on stock, and the
        # low-stock alert on front.
        d0 = sa.get("/api/v1/products/d-0/inventory")
        take = d0["available"] - 340
        status, low = fa.call("POST", "/api/v1/orders", {
            "customerId": "bulk", "items": [
                {"productId": "d-0", "quantity": take, "unitPrice": 2}]})
        check(status == 201, "bulk order: %s %s" % (status, low))
        orders[low["id"]] = [{"productId": "d-0", "quantity": take}]
        settle_and_check(fa, sa, orders, "below the reorder point")

        def po_raised():
            return [po for po in sa.get("/api/v1/purchase-orders")["items"]
                    if any(l["productId"] == "d-0" for l in po["lines"])]
        pos = e2e_lib.wait_until(po_raised, 60, "purchase order for d-0")
        alerts = e2e_lib.wait_until(
            lambda: [a for a in fa.get("/api/v1/alerts")["items"]
                     if a["productId"] == "d-0"], 60,
            "low-stock alert for d-0 on front")
        print("distributed: low stock -> purchase order %s on stock, alert "
              "'%s' on front" % (pos[0]["poNumber"], alerts[0]["alertType"]))

        # Figures: the analytics process counted the orders.
        def analytics_counted():
            items = ga.get("/api/v1/analytics/events")["items"]
            n = sum(i["count"] for i in items
                    if i["eventType"] == "order.created")
            return n if n >= len(orders) else None
        n = e2e_lib.wait_until(analytics_counted, 60,
                               "analytics counts the orders")
        print("distributed: analytics on figures counted %d order.created" %
              n)

        def fault_round(what, fault, seed):
            """--orders orders with `fault` a third of the way in; then
            every check, and the figures."""
            t0 = time.monotonic()
            # Not d-0, which the low-stock flow left short: with stock to
            # spare, every order of a round should be confirmed, so a
            # rejection shows a fault leaking into business outcomes.
            more = place_orders(front.port, clerk, args.orders, seed,
                                during=fault, products=PRODUCTS[1:])
            orders.update(more)
            settle_and_check(fa, sa, orders, what)
            mine = collections.Counter(
                fa.get("/api/v1/orders/" + o)["status"] for o in more)
            print("distributed: %s mid-load: %d orders sent, %d "
                  "acknowledged, all settled (%s) in %.1f s; stock "
                  "conserved; no reservation twice; front absorbed %d "
                  "duplicate deliveries" % (
                      what, args.orders, len(more), dict(mine),
                      time.monotonic() - t0, absorbed(fa)))

        # Fault 1: SIGKILL the inventory process mid-load, restart it.
        def kill_stock():
            stock.kill()
            time.sleep(1.0)
            stock.start()
        fault_round("SIGKILL of stock", kill_stock, args.seed + 1)

        # Fault 2: the broker away for --broker-pause seconds mid-load.
        fault_round("%s stopped %.0f s" % (args.broker, args.broker_pause),
                    lambda: cluster.pause_broker(args.broker_pause),
                    args.seed + 2)

        # Fault 3: PostgreSQL (all three databases) restarted mid-load.
        fault_round("PostgreSQL restarted (down %.0f s)" % args.pg_pause,
                    lambda: cluster.restart_postgres(args.pg_pause),
                    args.seed + 3)
        # The read models and figures kept following their logs through
        # the faults: analytics counted every order, and a product created
        # now shows in stock's product list.
        n = e2e_lib.wait_until(analytics_counted, 60,
                               "analytics counts the orders after the faults")
        status, body = sa.call("POST", "/api/v1/products", {
            "id": "d-late", "sku": "D-LATE", "name": "late", "price": 2})
        check(status == 201, "create d-late: %s %s" % (status, body))
        e2e_lib.wait_until(
            lambda: any(p["id"] == "d-late" for p in e2e_lib.list_all(
                sa, "/api/v1/products", "after")), 30,
            "a product created after the faults is listed")
        print("distributed: after the faults analytics counted %d "
              "order.created; stock's product list is live" % n)
        for s in (front, stock, figures):
            check(s.alive(), "%s died:\n%s" % (s.name, s.log_tail()))
            rc = s.stop()
            check(rc == 0, "%s exited %s after SIGTERM" % (s.name, rc))
        print("distributed: %d orders in all, 3 processes, 0 lost, "
              "0 doubled" % len(orders))
        return 0
    except Failure as f:
        print("FAIL: %s" % f, file=sys.stderr)
        if cluster is not None:
            print(cluster.logs(), file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.cleanup()


if __name__ == "__main__":
    sys.exit(main())
