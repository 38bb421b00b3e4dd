#!/usr/bin/env python3
# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Load run: concurrent JSON-RPC clients against an Odoo with several workers.

Run through ``bench/load.sh`` (it copies a database, installs the add-on,
starts Odoo with ``--workers=8`` on 127.0.0.1 and stops it afterwards); see
the README, section "Benchmarks".

Each client, in its own thread, repeats a round until it has done ``--rounds``
rounds or ``--seconds`` have passed:

1. a receipt of a product that numbers its serials automatically (all clients
   take numbers from the same counter);
2. a receipt of serials pasted in the entry wizard, one of them a name every
   client pastes in the same round (only one receipt may get it: the others
   must be refused with a clear error naming it);
3. a delivery of two serials in stock, reserved by Odoo (clients compete for
   the same quants);
4. the return of that delivery.

At the end it checks the database: no serial recorded twice, every serial in
stock exactly once or not at all (no lost or double quants), every status as
the done moves say, and every failed request refused with a UserError or
ValidationError (never a server error). It prints requests per second,
latency percentiles and the serialization-failure retries Odoo logged.
"""

import argparse
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import psycopg2

CLEAR_ERRORS = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")


class Client:
    """One user driving Odoo over /jsonrpc; records every request."""

    def __init__(self, url, db, uid, password, log, lock):
        self.url, self.db, self.uid, self.password = url, db, uid, password
        self.log, self.lock = log, lock

    def call(self, model, method, *args, step="", expect_refusal=False, **kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": random.randint(1, 10**9),
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.db, self.uid, self.password, model, method, list(args)]
                + [kwargs],
            },
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        start = time.monotonic()
        status, error = 200, None
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            status, body = exc.code, {"error": {"data": {"name": f"HTTP {exc.code}"}}}
        elapsed = time.monotonic() - start
        if "error" in body:
            data = body["error"].get("data") or {}
            error = (data.get("name") or "unknown", data.get("message") or "")
        with self.lock:
            self.log.append(
                {
                    "step": step or f"{model}.{method}",
                    "seconds": elapsed,
                    "status": status,
                    "error": error,
                    "expected": expect_refusal,
                }
            )
        if error:
            raise RpcError(*error)
        return body["result"]


class RpcError(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


def setup(admin, prefix):
    """Products, partners and operation types the clients use."""
    warehouse = admin.call(
        "stock.warehouse",
        "search_read",
        [],
        ["in_type_id", "out_type_id", "lot_stock_id"],
        limit=1,
    )[0]
    data = admin.call(
        "ir.model.data",
        "search_read",
        [
            ["module", "=", "stock"],
            ["name", "in", ["stock_location_suppliers", "stock_location_customers"]],
        ],
        ["name", "res_id"],
    )
    refs = {row["name"]: row["res_id"] for row in data}
    auto, pasted = admin.call(
        "product.product",
        "create",
        [
            {
                "name": f"Load auto {prefix}",
                "is_storable": True,
                "tracking": "serial",
                "serial_auto_generate": True,
                "serial_format": f"{prefix}A-[[INCNUM,NONE,6,1]]",
            },
            {
                "name": f"Load pasted {prefix}",
                "is_storable": True,
                "tracking": "serial",
            },
        ],
    )
    customer = admin.call("res.partner", "create", {"name": f"Load customer {prefix}"})
    vendor = admin.call("res.partner", "create", {"name": f"Load vendor {prefix}"})
    return {
        "in_type": warehouse["in_type_id"][0],
        "out_type": warehouse["out_type_id"][0],
        "stock": warehouse["lot_stock_id"][0],
        "supplier": refs["stock_location_suppliers"],
        "customer_loc": refs["stock_location_customers"],
        "auto": auto,
        "pasted": pasted,
        "customer": customer,
        "vendor": vendor,
    }


def picking(client, cfg, kind, product, qty, step):
    incoming = kind == "in"
    source = cfg["supplier"] if incoming else cfg["stock"]
    dest = cfg["stock"] if incoming else cfg["customer_loc"]
    picking_id = client.call(
        "stock.picking",
        "create",
        {
            "picking_type_id": cfg["in_type" if incoming else "out_type"],
            "partner_id": cfg["vendor" if incoming else "customer"],
            "location_id": source,
            "location_dest_id": dest,
            "move_ids": [
                [
                    0,
                    0,
                    {
                        "name": "load",
                        "product_id": product,
                        "product_uom_qty": qty,
                        "location_id": source,
                        "location_dest_id": dest,
                    },
                ]
            ],
        },
        step=step + " create",
    )
    client.call("stock.picking", "action_confirm", [picking_id], step=step + " confirm")
    return picking_id


def validate(client, picking_id, step, expect_refusal=False):
    moves = client.call(
        "stock.move", "search", [["picking_id", "=", picking_id]], step=step + " read"
    )
    client.call("stock.move", "write", moves, {"picked": True}, step=step + " pick")
    result = client.call(
        "stock.picking",
        "button_validate",
        [picking_id],
        step=step + " validate",
        expect_refusal=expect_refusal,
    )
    if result is not True:
        raise RpcError("unexpected", f"validation asked for a wizard: {result}")


def run_client(index, client, cfg, args, deadline, collide_prefix):
    for round_no in range(args.rounds):
        if time.monotonic() > deadline:
            return
        # 1. receipt numbered by the product's format
        try:
            pid = picking(client, cfg, "in", cfg["auto"], args.qty, "receipt auto")
            validate(client, pid, "receipt auto")
        except RpcError:
            pass
        # 2. receipt of pasted serials, one colliding with the other clients'
        try:
            pid = picking(client, cfg, "in", cfg["pasted"], args.qty, "receipt pasted")
            move = client.call(
                "stock.move", "search", [["picking_id", "=", pid]], step="receipt read"
            )[0]
            action = client.call(
                "stock.move", "action_open_serial_entry", [move], step="wizard open"
            )
            names = [f"{collide_prefix}C-{round_no:04d}"] + [
                f"{collide_prefix}P-{index:02d}-{round_no:04d}-{n}"
                for n in range(args.qty - 1)
            ]
            wizard = client.call(
                "stock.serial.entry",
                "create",
                {"serial_text": "\n".join(names)},
                context=action["context"],
                step="wizard create",
            )
            client.call(
                "stock.serial.entry",
                "action_apply",
                [wizard],
                context=action["context"],
                step="wizard apply",
                expect_refusal=True,
            )
            validate(client, pid, "receipt pasted", expect_refusal=True)
        except RpcError:
            pass
        # 3. delivery of two serials in stock, 4. its return
        try:
            product = cfg["auto"] if round_no % 2 else cfg["pasted"]
            pid = picking(client, cfg, "out", product, 2, "delivery")
            client.call(
                "stock.picking", "action_assign", [pid], step="delivery reserve"
            )
            state = client.call(
                "stock.picking", "read", [pid], ["state"], step="delivery read"
            )[0]["state"]
            if state != "assigned":
                client.call("stock.picking", "action_cancel", [pid], step="cancel")
                continue
            validate(client, pid, "delivery")
            wizard = client.call(
                "stock.return.picking",
                "create",
                {"picking_id": pid},
                context={"active_id": pid, "active_model": "stock.picking"},
                step="return create",
            )
            action = client.call(
                "stock.return.picking",
                "action_create_returns_all",
                [wizard],
                step="return create",
            )
            validate(client, action["res_id"], "return")
        except RpcError:
            pass


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def check_database(dsn, cfg):
    """Integrity after the run: one row per (dict of check -> offending rows)."""
    products = [cfg["auto"], cfg["pasted"]]
    checks = {
        "duplicate serials": """
            SELECT product_id, name, COUNT(*) FROM stock_lot
             GROUP BY product_id, COALESCE(company_id, 0), name
            HAVING COUNT(*) > 1
        """,
        "serials in stock other than 0 or 1 times": """
            SELECT q.lot_id, SUM(q.quantity) FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
             WHERE l.usage = 'internal' AND q.product_id = ANY(%(p)s)
             GROUP BY q.lot_id HAVING SUM(q.quantity) NOT IN (0, 1)
        """,
        "quants not balanced across locations": """
            SELECT q.lot_id, SUM(q.quantity) FROM stock_quant q
             WHERE q.product_id = ANY(%(p)s)
             GROUP BY q.lot_id HAVING SUM(q.quantity) <> 0
        """,
        "quants without a serial": """
            SELECT id FROM stock_quant
             WHERE product_id = ANY(%(p)s) AND lot_id IS NULL AND quantity <> 0
        """,
        "status not as the done moves say": """
            WITH last AS (
                SELECT DISTINCT ON (ml.lot_id) ml.lot_id, dl.usage
                  FROM stock_move_line ml
                  JOIN stock_location dl ON dl.id = ml.location_dest_id
                 WHERE ml.state = 'done' AND ml.product_id = ANY(%(p)s)
                 ORDER BY ml.lot_id, ml.date DESC, ml.id DESC
            ), stock AS (
                SELECT q.lot_id, SUM(q.quantity) AS qty FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE l.usage = 'internal' GROUP BY q.lot_id
            )
            SELECT lot.name, lot.serial_status, last.usage, stock.qty
              FROM stock_lot lot
              LEFT JOIN last ON last.lot_id = lot.id
              LEFT JOIN stock ON stock.lot_id = lot.id
             WHERE lot.product_id = ANY(%(p)s)
               AND NOT (
                   (lot.serial_status IN ('received', 'returned')
                        AND last.usage = 'internal' AND stock.qty = 1)
                OR (lot.serial_status = 'shipped'
                        AND last.usage = 'customer' AND COALESCE(stock.qty, 0) = 0)
                OR (lot.serial_status = 'planned' AND last.usage IS NULL)
               )
        """,
    }
    result = {}
    with psycopg2.connect(dsn) as conn, conn.cursor() as cr:
        for label, sql in checks.items():
            cr.execute(sql, {"p": products})
            result[label] = cr.fetchall()
        cr.execute(
            "SELECT serial_status, COUNT(*) FROM stock_lot WHERE product_id = ANY(%s)"
            " GROUP BY serial_status ORDER BY 1",
            [products],
        )
        result["_statuses"] = cr.fetchall()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--db", required=True)
    parser.add_argument("--dsn", default="", help="libpq DSN of the database")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=12, help="rounds per client")
    parser.add_argument("--seconds", type=float, default=180, help="time limit")
    parser.add_argument("--qty", type=int, default=3, help="serials per receipt")
    parser.add_argument("--server-log", default="", help="to count Odoo's retries")
    args = parser.parse_args()
    if not re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\])[:/]", args.url):
        sys.exit("load.py only drives an Odoo on the loopback interface")
    url = args.url.rstrip("/") + "/jsonrpc"
    log, lock = [], threading.Lock()
    common = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "service": "common",
            "method": "login",
            "args": [args.db, args.login, args.password],
        },
    }
    request = urllib.request.Request(
        url, json.dumps(common).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        uid = json.loads(response.read())["result"]
    if not uid:
        sys.exit(f"cannot log in as {args.login}")
    prefix = f"L{int(time.time()) % 100000}"
    admin = Client(url, args.db, uid, args.password, [], threading.Lock())
    cfg = setup(admin, prefix)
    retries_before = count_retries(args.server_log)
    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=run_client,
            args=(
                index,
                Client(url, args.db, uid, args.password, log, lock),
                cfg,
                args,
                deadline,
                prefix,
            ),
        )
        for index in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    retries = count_retries(args.server_log) - retries_before
    report(args, log, elapsed, retries, check_database(args.dsn, cfg))


def count_retries(path):
    if not path:
        return 0
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return sum("tries left, try again" in line for line in handle)
    except FileNotFoundError:
        return 0


def report(args, log, elapsed, retries, checks):
    seconds = [entry["seconds"] for entry in log]
    failed = [entry for entry in log if entry["error"]]
    unclear = [
        entry
        for entry in failed
        if entry["error"][0] not in CLEAR_ERRORS or entry["status"] != 200
    ]
    refused = Counter(
        (entry["step"], entry["error"][0].rsplit(".", 1)[-1]) for entry in failed
    )
    print(f"clients {args.clients}, {len(log)} requests in {elapsed:.1f} s")
    print(f"requests/s {len(log) / elapsed:.1f}")
    if seconds:
        median = statistics.median(seconds)
        p95 = percentile(seconds, 0.95)
        print(f"latency s: median {median:.3f}, p95 {p95:.3f}, max {max(seconds):.3f}")
    print(f"serialization-failure retries logged by Odoo: {retries}")
    print(f"refused requests: {len(failed)} ({len(unclear)} without a clear error)")
    for (step, name), count in sorted(refused.items()):
        print(f"  {step}: {count} x {name}")
    for entry in unclear[:10]:
        print(
            f"  UNCLEAR {entry['step']}: {entry['error'][0]}: {entry['error'][1][:300]}"
        )
    examples = [e for e in failed if e not in unclear][:3]
    for entry in examples:
        print(f"  e.g. {entry['step']}: {entry['error'][1][:200]!r}")
    print(
        "serial statuses: " + ", ".join(f"{s} {n}" for s, n in checks.pop("_statuses"))
    )
    ok = not unclear
    for label, rows in checks.items():
        print(f"{label}: {len(rows)}" + (f"  e.g. {rows[:5]}" if rows else ""))
        ok = ok and not rows
    print("LOAD RESULT: " + ("OK" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
