#!/usr/bin/env python3
# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmarks of stock_serial_tracking against native Odoo 18.

Run through ``bench/run.sh`` (it prepares the databases and the PostgreSQL
environment); see the README, section "Benchmarks".

Every measurement runs in its own process (so that peak memory is that of one
case). The benchmark databases are never changed by a case: the cases that
stand for the user's requests (REQUEST_CASES) commit each step, as a request
of the UI does, on a disposable copy of the database; the others run in one
transaction, rolled back at the end. Three paths are compared where they
apply:

- ``native``: what a user does in stock, on a database WITHOUT this add-on
  (the template copy ``sst_bench_native``);
- ``native+addon``: the same native flow on the database WITH this add-on
  (``sst_bench``): what the add-on costs on Odoo's own screens;
- ``addon``: this add-on's flow (entry wizard, ...) on ``sst_bench``.

Times are wall-clock seconds of the measured steps, including the final flush
to the database; "cpu" is the CPU time of the Odoo process in them (PostgreSQL's
own work not included), less sensitive to the other load of a shared machine.
"Peak MB" is the growth of the process's resident memory during the measured
steps: VmHWM (peak RSS, reset just before the steps via /proc/self/clear_refs)
minus VmRSS before them.
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
RESULT_TAG = "BENCH_RESULT "

# case -> (paths, default sizes, database kind)
CASES = {
    "receipt": (("native", "native+addon", "addon"), (1000, 5000), "small"),
    "delivery": (("native", "native+addon", "addon"), (1000, 5000), "small"),
    "mo": (("native", "native+addon"), (1000, 5000), "small"),
    # picking chosen serials: "native+addon" selects them in the wizard (the
    # delivery case's path), "addon" pastes their names
    "pick": (("native+addon", "addon"), (5000,), "small"),
    "paste": (("addon",), (100000,), "big"),
    # "designed": the wizard printing a user-made sheet format (its own grid,
    # a Data Matrix and four text elements)
    "labels": (("native+addon", "addon", "designed"), (1000,), "small"),
    "backfill": (("addon",), (100000,), "small"),
    "search": (("native+addon", "addon"), (1000000,), "big"),
    # changing the serial settings of N products: "native+addon" writes each
    # product (the product form, one by one), "addon" writes their category
    "category": (("native+addon", "addon"), (2000,), "small"),
    # a serial count of n serials: add-scans timed in "check", apply measured
    "count": (("addon",), (50000,), "small"),
}
# Cases whose steps are the user's requests, each committed (see Measure): they
# run on a disposable copy of their database, made before and dropped after.
REQUEST_CASES = ("receipt", "delivery", "pick", "mo")
TARGETS = {
    "receipt": "5000: >= 5x faster than native",
    "delivery": "5000: >= 5x faster than native",
    "pick": "paste <= 1.5x the time of selecting (ratio >= 0.67)",
    "paste": "<= 10 s",
    "labels": "<= 5 s",
    "backfill": "<= 60 s",
    "search": "<= 100 ms each",
    "category": "2000: one category write <= 2 s",
    "count": "apply <= 30 s",
}


# ----------------------------------------------------------------------------
# memory
# ----------------------------------------------------------------------------
def _status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class MemoryTrace:
    """Where the memory grows: a thread reads the process's resident size
    every 50 ms and, at each new high (by 4 MB or more), writes it with the
    main thread's stack (the bench's frames and the innermost ones) to
    ``path``."""

    def __init__(self, path):
        self.path = path
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        return False

    def _sample(self):
        main = threading.main_thread().ident
        t0 = time.perf_counter()
        high = 0
        with open(self.path, "w") as out:
            while not self.stop.wait(0.05):
                rss = _status_kb("VmRSS")
                if rss < high + 4096:
                    continue
                high = rss
                frame = sys._current_frames().get(main)
                stack = traceback.extract_stack(frame) if frame else []
                # the bench's own frames (which step) and the innermost ones
                stack = [e for e in stack[:-10] if e.filename == __file__] + [
                    e for e in stack[-10:] if "decorator-gen" not in e.filename
                ]
                out.write(f"{time.perf_counter() - t0:8.2f} s {rss / 1024:8.1f} MB\n")
                for entry in stack:
                    where = "/".join(entry.filename.split("/")[-3:])
                    out.write(f"      {where}:{entry.lineno} {entry.name}\n")


class Measure:
    """Time, peak memory and query count of the steps run inside it.

    In the cases that run on a disposable copy of the database (REQUEST_CASES)
    the steps are the user's requests: what the case prepared is committed
    before the first (the receipt was confirmed in an earlier request), and
    each step ends as an Odoo request does, flushed and committed, and the
    next starts with an empty cache (``request()``, and the end of the
    block). Elsewhere everything is one transaction, rolled back by the
    child."""

    commit = False  # set by the child for REQUEST_CASES

    def __init__(self, env):
        self.env = env
        self.seconds = 0.0
        self.cpu = 0.0
        self.peak_mb = 0.0
        self.queries = 0

    def request(self):
        """The end of one request of the UI (a button): flush, commit; the
        next request starts with an empty cache, as a new one does."""
        self.env.flush_all()
        if self.commit:
            self.env.cr.commit()
            self.env.invalidate_all()

    def __enter__(self):
        self.env.flush_all()
        if self.commit:
            self.env.cr.commit()
        self.env.invalidate_all()
        self.rss0 = _status_kb("VmRSS")
        _reset_peak()
        self.q0 = self.env.cr.sql_log_count
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.request()
        self.seconds += time.perf_counter() - self.t0
        self.cpu += time.process_time() - self.c0
        self.queries += self.env.cr.sql_log_count - self.q0
        self.peak_mb = max(self.peak_mb, (_status_kb("VmHWM") - self.rss0) / 1024)
        return False


# ----------------------------------------------------------------------------
# helpers run inside Odoo
# ----------------------------------------------------------------------------
def _has_addon(env):
    return "stock.serial.entry" in env


def _serial_product(env, name):
    vals = {
        "name": name,
        "is_storable": True,
        "tracking": "serial",
        "standard_price": 10.0,
    }
    if "serial_required_receipt" in env["product.template"]._fields:
        vals["serial_required_receipt"] = True
    return env["product.product"].create(vals)


def _picking(env, picking_type, source, dest, product, qty, partner=None):
    from odoo import Command

    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "partner_id": partner.id if partner else False,
            "location_id": source.id,
            "location_dest_id": dest.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "product_uom": product.uom_id.id,
                        "location_id": source.id,
                        "location_dest_id": dest.id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    return picking


def _warehouse(env):
    return env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)


def _names(prefix, n):
    return [f"{prefix}{i:07d}" for i in range(1, n + 1)]


def _entry(env, move, **vals):
    action = move.action_open_serial_entry()
    return env["stock.serial.entry"].with_context(**action["context"]).create(vals)


def _fingerprint(env, product):
    """What the operation left, to check paths agree (counts and sums)."""
    env.flush_all()
    cr = env.cr
    out = {}
    cr.execute("SELECT COUNT(*) FROM stock_lot WHERE product_id = %s", [product.id])
    out["lots"] = cr.fetchone()[0]
    cr.execute(
        """SELECT COUNT(*), COALESCE(SUM(quantity), 0)::float,
                  COALESCE(SUM(reserved_quantity), 0)::float
             FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
            WHERE q.product_id = %s AND l.usage = 'internal' AND q.quantity <> 0""",
        [product.id],
    )
    out["internal_quants"], out["internal_qty"], out["reserved"] = cr.fetchone()
    cr.execute(
        "SELECT COUNT(*) FROM stock_move_line WHERE product_id = %s AND state = 'done'",
        [product.id],
    )
    out["done_lines"] = cr.fetchone()[0]
    cr.execute("SELECT to_regclass('stock_valuation_layer') IS NOT NULL")
    if cr.fetchone()[0]:
        cr.execute(
            """SELECT COUNT(*), COALESCE(SUM(quantity), 0)::float,
                      COALESCE(SUM(value), 0)::float
                 FROM stock_valuation_layer WHERE product_id = %s""",
            [product.id],
        )
        out["svl"] = list(cr.fetchone())
    if _has_addon(env):
        cr.execute(
            """SELECT serial_status, COUNT(*) FROM stock_lot WHERE product_id = %s
                GROUP BY 1 ORDER BY 1""",
            [product.id],
        )
        out["status"] = dict(cr.fetchall())
    return out


def _insert_quants(env, product, lots, location):
    """Put one unit of each lot in ``location`` (setup, set-based)."""
    env.flush_all()
    env.cr.execute(
        """INSERT INTO stock_quant (product_id, company_id, location_id, lot_id,
                   quantity, reserved_quantity, in_date, create_uid, create_date,
                   write_uid, write_date)
           SELECT %s, %s, %s, lot_id, 1, 0, now() at time zone 'utc', 1,
                  now() at time zone 'utc', 1, now() at time zone 'utc'
             FROM unnest(%s::int[]) AS lot_id""",
        [product.id, env.company.id, location.id, lots.ids],
    )
    env.invalidate_all()
    if _has_addon(env):
        lots._serial_recompute_status()


# ----------------------------------------------------------------------------
# cases: each returns a dict of results
# ----------------------------------------------------------------------------
def case_receipt(env, path, n):
    wh = _warehouse(env)
    product = _serial_product(env, f"Bench Receipt {n}")
    vendor = env["res.partner"].create({"name": "Bench Vendor"})
    supplier = env.ref("stock.stock_location_suppliers")
    picking = _picking(
        env, wh.in_type_id, supplier, wh.lot_stock_id, product, n, vendor
    )
    move = picking.move_ids
    names = _names("BR", n)
    with Measure(env) as m:
        if path == "addon":
            _entry(env, move, serial_text="\n".join(names)).action_apply()
        else:
            # "Generate Serials" of the detailed operations
            move._generate_serial_numbers(names[0], n)
        m.request()
        result = picking.button_validate()
    assert result is True and picking.state == "done", (result, picking.state)
    return {"measure": m, "check": _fingerprint(env, product)}


def _delivery_from_stock(env, product, names, n):
    """``names`` serials of ``product`` in stock and a confirmed delivery of
    ``n`` of them to a customer, not reserved yet; the serials and the
    delivery."""
    wh = _warehouse(env)
    customer = env["res.partner"].create({"name": "Bench Customer"})
    lots = env["stock.lot"].create(
        [
            {"name": name, "product_id": product.id, "company_id": env.company.id}
            for name in names
        ]
    )
    _insert_quants(env, product, lots, wh.lot_stock_id)
    # reserve in the measured steps, not when the picking is confirmed
    wh.out_type_id.reservation_method = "manual"
    picking = _picking(
        env,
        wh.out_type_id,
        wh.lot_stock_id,
        env.ref("stock.stock_location_customers"),
        product,
        n,
        customer,
    )
    return lots, picking


def case_delivery(env, path, n):
    product = _serial_product(env, f"Bench Delivery {n}")
    lots, picking = _delivery_from_stock(env, product, _names("BD", n), n)
    with Measure(env) as m:
        picking.action_assign()
        m.request()
        if path == "addon":
            wizard = _entry(env, picking.move_ids)
            wizard.lot_ids = lots
            wizard.action_apply()
            m.request()
        result = picking.button_validate()
    assert result is True and picking.state == "done", (result, picking.state)
    return {"measure": m, "check": _fingerprint(env, product)}


def case_pick(env, path, n):
    """Deliver n chosen serials out of 2n in stock: Odoo reserves the first n,
    the operator picks the other n, by selecting them or pasting their names."""
    product = _serial_product(env, f"Bench Pick {n}")
    names = _names("BK", 2 * n)
    lots, picking = _delivery_from_stock(env, product, names, n)
    chosen = lots[n:]
    with Measure(env) as m:
        picking.action_assign()
        m.request()
        wizard = _entry(env, picking.move_ids)
        if path == "addon":
            wizard.serial_text = "\n".join(names[n:])
        else:
            wizard.lot_ids = chosen
        wizard.action_apply()
        m.request()
        result = picking.button_validate()
    assert result is True and picking.state == "done", (result, picking.state)
    assert picking.move_line_ids.lot_id == chosen
    return {"measure": m, "check": _fingerprint(env, product)}


def case_mo(env, path, n):
    product = _serial_product(env, f"Bench Built {n}")
    component = env["product.product"].create(
        {"name": "Bench Screw", "is_storable": False}
    )
    bom = env["mrp.bom"].create(
        {
            "product_tmpl_id": product.product_tmpl_id.id,
            "product_qty": 1,
            "bom_line_ids": [(0, 0, {"product_id": component.id, "product_qty": 2})],
        }
    )
    production = env["mrp.production"].create(
        {"product_id": product.id, "product_qty": n, "bom_id": bom.id}
    )
    production.action_confirm()
    with Measure(env) as m:
        # Manufacturing order > "Mass Produce": one serial per line, produce all
        wizard = env["mrp.batch.produce"].create({"production_id": production.id})
        wizard.lot_name = "BM0000001"
        wizard.lot_qty = n
        wizard.action_generate_production_text()
        m.request()
        wizard.action_done()
    return {"measure": m, "check": _fingerprint(env, product)}


def case_paste(env, path, n):
    """Paste n serials (some repeated, some already in the database)."""
    product = env["product.product"].search(
        [("default_code", "=", "BENCH-BIG")], limit=1
    )
    assert product, "the big database has no BENCH-BIG product"
    names = _names("BP", n - 20)
    names += names[:10]  # repeated in the input
    names += [f"BIG{i:07d}" for i in range(1, 11)]  # already in the database
    text = "\n".join(names)
    wizard = env["stock.serial.entry"].create(
        {"target": "initial", "product_id": product.id, "company_id": env.company.id}
    )
    with Measure(env) as m:
        wizard.serial_text = text
        wizard.action_add()
    accepted = len(wizard._names())
    # the 10 repeated names are dropped; of the 10 existing serials only
    # BIG0000008 (planned, not in stock) may be added again
    assert accepted == n - 19, accepted
    return {"measure": m, "check": {"pasted": len(names), "accepted": accepted}}


def _designed_label_format(env):
    """A user-made A4 sheet: 3 x 9 labels 63.5 x 29.6 mm with gaps."""

    def text(field, x, y, width, height, **extra):
        return (0, 0, {"kind": "text", "field": field, "x_mm": x, "y_mm": y,
                       "width_mm": width, "height_mm": height, **extra})  # fmt: skip

    return env["stock.serial.label.format"].create(
        {
            "name": "Bench sheet 3 x 9",
            "page_type": "sheet",
            "paper": "a4",
            "page_width_mm": 210,
            "page_height_mm": 297,
            "label_width_mm": 63.5,
            "label_height_mm": 29.6,
            "columns": 3,
            "rows": 9,
            "margin_left_mm": 7.2,
            "margin_top_mm": 15.1,
            "pitch_x_mm": 66.0,
            "pitch_y_mm": 29.6,
            "element_ids": [
                (0, 0, {"kind": "barcode", "barcode_type": "datamatrix",
                        "x_mm": 1.5, "y_mm": 2, "width_mm": 20, "height_mm": 20}),
                text("serial", 23, 2, 39, 5, font_pt=9, bold=True),
                text("product_full", 23, 8, 39, 7, font_pt=7),
                text("company", 23, 16, 39, 4, font_pt=6),
                text("fixed", 1.5, 24, 60, 4, font_pt=6, text="Made in Testland"),
            ],
        }
    )  # fmt: skip


def case_labels(env, path, n):
    product = _serial_product(env, "Bench Label Product")
    lots = env["stock.lot"].create(
        [
            {"name": name, "product_id": product.id, "company_id": env.company.id}
            for name in _names("BL", n)
        ]
    )
    Report = env["ir.actions.report"]
    wizard_vals = {"lot_ids": [(6, 0, lots.ids)]}
    if path == "designed":
        wizard_vals["format_id"] = _designed_label_format(env).id
    with Measure(env) as m:
        if path in ("addon", "designed"):
            wizard = env["stock.serial.label.wizard"].create(wizard_vals)
            action = wizard.action_print()
            pdf, _fmt = Report.with_context(**action["context"])._render_qweb_pdf(
                action["report_name"], lots.ids, data=action.get("data")
            )
        else:
            pdf, _fmt = Report._render_qweb_pdf(
                "stock.action_report_lot_label", lots.ids
            )
    return {"measure": m, "check": {"pdf_bytes": len(pdf)}}


BACKFILL_SQL = """
WITH lots AS (
    INSERT INTO stock_lot (name, product_id, company_id, create_uid, create_date,
                           write_uid, write_date)
    SELECT 'BF' || lpad(i::text, 7, '0'), %(product)s, %(company)s, 1, now(), 1, now()
      FROM generate_series(1, %(n)s) i
    RETURNING id
)
SELECT array_agg(id ORDER BY id) FROM lots
"""


def case_category(env, path, n):
    """A category's warranty and format changed for its n products (one in
    ten overriding the warranty), against the same change product by product."""
    categ = env["product.category"].create({"name": "Bench Serial Category"})
    templates = env["product.template"].create(
        [
            {
                "name": f"Bench Category Product {i:05d}",
                "default_code": f"BC{i:05d}",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": categ.id,
            }
            for i in range(n)
        ]
    )
    overriding = templates[::10]
    overriding.write({"serial_warranty_months": 3})
    fmt = "[[CODE]]-[[YEAR]]-[[INCNUM,YEARLY,5,1]]"
    with Measure(env) as m:
        if path == "addon":
            categ.write({"serial_warranty_months": 24, "serial_format": fmt})
        else:
            for template in templates - overriding:
                template.write({"serial_warranty_months": 24, "serial_format": fmt})
    env.invalidate_all()
    return {
        "measure": m,
        "check": {
            "warranty_24": len(
                templates.filtered(lambda t: t.serial_warranty_months == 24)
            ),
            "overrides_kept": len(
                overriding.filtered(lambda t: t.serial_warranty_months == 3)
            ),
            "with_format": len(templates.filtered(lambda t: t.serial_format == fmt)),
        },
    }


COUNT_LOTS_SQL = """
INSERT INTO stock_lot (name, product_id, company_id, create_uid, create_date,
                       write_uid, write_date)
SELECT %(prefix)s || lpad(i::text, 7, '0'), %(product)s, %(company)s, 1, now(), 1, now()
  FROM generate_series(1, %(n)s) i
RETURNING id
"""


def case_count(env, path, n):
    """A serial count of a shelf: n scanned or expected serials of two
    products, 70 % found, 10 % missing (half written off, half moved to the
    missing location), 10 % booked elsewhere (moved here), 10 % unknown (half
    added). Add Scans of the whole paste is timed in "check"; Apply is the
    measure."""
    wh = _warehouse(env)
    products = [_serial_product(env, f"Bench Count {i}") for i in (1, 2)]
    shelf = env["stock.location"].create(
        {"name": "Bench Count Shelf", "location_id": wh.lot_stock_id.id}
    )
    lost = env["stock.location"].create(
        {"name": "Bench Count Missing", "location_id": wh.lot_stock_id.id}
    )
    found_n, missing_n, elsewhere_n = n * 7 // 10, n // 10, n // 10
    unknown_n = n - found_n - missing_n - elsewhere_n
    env.flush_all()
    lots = {}
    for key, size in (("H", found_n + missing_n), ("E", elsewhere_n)):
        ids = []
        for index, product in enumerate(products):
            part = size // 2 if index == 0 else size - size // 2
            env.cr.execute(
                COUNT_LOTS_SQL,
                {
                    "prefix": f"BC{key}{index}-",
                    "product": product.id,
                    "company": env.company.id,
                    "n": part,
                },
            )
            ids += [row[0] for row in env.cr.fetchall()]
        lots[key] = env["stock.lot"].browse(ids)
    env.invalidate_all()
    for key, location in (("H", shelf), ("E", wh.lot_stock_id)):
        for product in products:
            part = lots[key].filtered(lambda lot, p=product: lot.product_id == p)
            _insert_quants(env, product, part, location)
    here = lots["H"].mapped("name")
    scanned = (
        here[missing_n:]
        + lots["E"].mapped("name")
        + [f"BCU-{i:07d}" for i in range(unknown_n)]
    )
    count = env["stock.serial.count"].create(
        {"location_id": shelf.id, "missing_location_id": lost.id}
    )
    env.flush_all()
    env.invalidate_all()
    t0 = time.perf_counter()
    q0 = env.cr.sql_log_count
    count.serial_text = "\n".join(scanned)
    count.action_add_scans()
    env.flush_all()
    add_seconds = time.perf_counter() - t0
    add_queries = env.cr.sql_log_count - q0
    results = dict.fromkeys(("found", "missing", "elsewhere", "unknown"), 0)
    for line in count.line_ids:
        results[line.result] += 1
    env.cr.execute(
        """UPDATE stock_serial_count_line
              SET action = CASE WHEN id %% 2 = 0 THEN 'write_off'
                                ELSE 'move_missing' END
            WHERE count_id = %(count)s AND result = 'missing';
           UPDATE stock_serial_count_line
              SET action = 'add', product_id = %(product)s
            WHERE count_id = %(count)s AND result = 'unknown' AND id %% 2 = 0""",
        {"count": count.id, "product": products[0].id},
    )
    env.invalidate_all()

    with Measure(env) as m:
        count.action_apply()
    env.invalidate_all()
    env.cr.execute(
        """SELECT l.location_id, COUNT(*) FROM stock_quant l
            WHERE l.location_id IN %s AND l.quantity > 0 GROUP BY 1""",
        [(shelf.id, lost.id)],
    )
    where = dict(env.cr.fetchall())
    return {
        "measure": m,
        "check": {
            "add_scans_s": round(add_seconds, 2),
            "add_scans_q": add_queries,
            "scanned": len(scanned),
            "results": results,
            "state": count.state,
            "on_shelf": where.get(shelf.id, 0),
            "in_missing_location": where.get(lost.id, 0),
        },
    }


def case_backfill(env, path, n):
    """Status backfill at install of n existing serials, each received, a
    third of them delivered since (set-based data, then the install hook)."""
    from odoo.addons.stock_serial_tracking import hooks

    wh = _warehouse(env)
    product = _serial_product(env, "Bench Backfill")
    vendor = env["res.partner"].create({"name": "Bench Backfill Vendor"})
    customer = env["res.partner"].create({"name": "Bench Backfill Customer"})
    supplier = env.ref("stock.stock_location_suppliers")
    customers = env.ref("stock.stock_location_customers")
    receipt = _picking(
        env, wh.in_type_id, supplier, wh.lot_stock_id, product, 1, vendor
    )
    delivery = _picking(
        env, wh.out_type_id, wh.lot_stock_id, customers, product, 1, customer
    )
    env.flush_all()
    cr = env.cr
    cr.execute(BACKFILL_SQL, {"product": product.id, "company": env.company.id, "n": n})
    lot_ids = cr.fetchone()[0]
    for picking, src, dst, step in (
        (receipt, supplier, wh.lot_stock_id, 1),
        (delivery, wh.lot_stock_id, customers, 3),
    ):
        move = picking.move_ids
        cr.execute(
            "UPDATE stock_move SET state = 'done', product_uom_qty = %s, "
            "quantity = %s WHERE id = %s",
            [len(lot_ids[::step]), len(lot_ids[::step]), move.id],
        )
        cr.execute(
            "UPDATE stock_picking SET state = 'done' WHERE id = %s", [picking.id]
        )
        cr.execute("DELETE FROM stock_move_line WHERE move_id = %s", [move.id])
        cr.execute(
            """INSERT INTO stock_move_line (move_id, picking_id, product_id, company_id,
                       product_uom_id, location_id, location_dest_id, lot_id, quantity,
                       quantity_product_uom, state, picked, date, reference,
                       create_uid, create_date, write_uid, write_date)
               SELECT %s, %s, %s, %s, %s, %s, %s, lot_id, 1, 1, 'done', TRUE,
                      now() at time zone 'utc' + (%s || ' seconds')::interval,
                      %s, 1, now(), 1, now()
                 FROM unnest(%s::int[]) lot_id""",
            [
                move.id,
                picking.id,
                product.id,
                env.company.id,
                product.uom_id.id,
                src.id,
                dst.id,
                step,
                picking.name,
                lot_ids[::step],
            ],
        )
    in_stock = sorted(set(lot_ids) - set(lot_ids[::3]))
    cr.execute(
        """INSERT INTO stock_quant (product_id, company_id, location_id, lot_id,
                   quantity, reserved_quantity, in_date)
           SELECT %s, %s, %s, lot_id, 1, 0, now() FROM unnest(%s::int[]) lot_id""",
        [product.id, env.company.id, wh.lot_stock_id.id, in_stock],
    )
    cr.execute(
        """UPDATE stock_lot SET serial_status = NULL, supplier_id = NULL,
                  customer_id = NULL, received_date = NULL, shipped_date = NULL,
                  serial_company_id = NULL"""
    )
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE stock_move_line")
    cr.execute("ANALYZE stock_quant")
    env.invalidate_all()
    with Measure(env) as m:
        hooks.post_init_hook(env)
    return {"measure": m, "check": _fingerprint(env, product)}


def case_search(env, path, n):
    """Searches over the big database, as the serial list view does them."""
    Lot = env["stock.lot"]
    product = Lot.env["product.product"].search(
        [("default_code", "=", "BENCH-BIG")], limit=1
    )
    assert product, "the big database has no BENCH-BIG product"
    total = Lot.search_count([])
    searches = {
        "name = (exact)": [("name", "=", "BIG0543210")],
        "name ilike (list search)": [("name", "ilike", "0543")],
        "count: name ilike": ("count", [("name", "ilike", "0543")]),
    }
    if path == "addon":
        searches.update(
            {
                "status = shipped": [("serial_status", "=", "shipped")],
                "status = received, product": [
                    ("serial_status", "=", "received"),
                    ("product_id", "=", product.id),
                ],
                "status = rejected (rare)": [("serial_status", "=", "rejected")],
                "count: status = shipped": (
                    "count",
                    [("serial_status", "=", "shipped")],
                ),
            }
        )
    timings = {}
    worst = Measure(env)
    for label, domain in searches.items():
        runs = []
        for _i in range(5):
            with Measure(env) as m:
                if isinstance(domain, tuple):  # the list view's record count
                    Lot.search_count(domain[1])
                else:  # one page of the list view
                    Lot.search(domain, limit=80)
            runs.append(m.seconds)
            worst.peak_mb = max(worst.peak_mb, m.peak_mb)
            worst.queries = max(worst.queries, m.queries)
        timings[label] = round(statistics.median(runs[1:]) * 1000, 1)
    worst.seconds = max(timings.values()) / 1000
    return {
        "measure": worst,
        "check": {"serials": total, "ms (median of 4 warm runs)": timings},
    }


BIG_SQL = [
    """INSERT INTO stock_lot (name, product_id, company_id, serial_company_id,
              serial_status, create_uid, create_date, write_uid, write_date)
       SELECT 'BIG' || lpad(i::text, 7, '0'), %(product)s, %(company)s, %(company)s,
              (ARRAY['received', 'received', 'received', 'received', 'shipped',
                     'shipped', 'shipped', 'consumed', 'planned', 'returned'])
                  [1 + i %% 10],
              1, now(), 1, now()
         FROM generate_series(1, %(n)s) i""",
    "UPDATE stock_lot SET serial_status = 'rejected' "
    "WHERE product_id = %(product)s AND id %% 1000 = 7",
    """INSERT INTO stock_quant (product_id, company_id, location_id, lot_id,
              quantity, reserved_quantity, in_date)
       SELECT product_id, company_id, %(location)s, id, 1, 0, now()
         FROM stock_lot
        WHERE product_id = %(product)s AND serial_status IN ('received', 'returned')""",
]


def build_big(env, n):
    """Fill the big database once: n serials of one product (set-based SQL)."""
    product = env["product.product"].search(
        [("default_code", "=", "BENCH-BIG")], limit=1
    )
    if product:
        print("big database already filled", flush=True)
        return
    product = _serial_product(env, "Bench Big Serial")
    product.default_code = "BENCH-BIG"
    env.flush_all()
    params = {
        "product": product.id,
        "company": env.company.id,
        "n": n,
        "location": _warehouse(env).lot_stock_id.id,
    }
    for sql in BIG_SQL:
        t0 = time.perf_counter()
        env.cr.execute(sql, params)
        print(f"{env.cr.rowcount} rows in {time.perf_counter() - t0:.1f}s", flush=True)
    env.cr.commit()


# ----------------------------------------------------------------------------
# child process: one case, one path, one size
# ----------------------------------------------------------------------------
def child(args):
    import odoo
    from odoo.tools import config

    config.parse_config(
        [
            "-c",
            args.config,
            f"--addons-path={args.addons_path}",
            f"--data-dir={args.data_dir}",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if args.build_big:
            build_big(env, args.n)
            return
        Measure.commit = args.case in REQUEST_CASES
        admin = env.ref("base.user_admin")
        context = {"serial_no_fast_path": True} if args.no_fast else {}
        env = env(user=admin.id, context=context)
        if args.memory:
            os.makedirs(args.memory, exist_ok=True)
        trace = (
            MemoryTrace(f"{args.memory}/{args.case}-{args.path}-{args.n}.txt")
            if args.memory
            else contextlib.nullcontext()
        )
        try:
            with trace:
                out = globals()[f"case_{args.case}"](env, args.path, args.n)
        finally:
            cr.rollback()
    m = out["measure"]
    result = {
        "case": args.case,
        "path": args.path,
        "n": args.n,
        "db": args.db,
        "seconds": round(m.seconds, 3),
        "cpu": round(m.cpu, 3),
        "peak_mb": round(m.peak_mb, 1),
        "queries": m.queries,
        "check": out.get("check"),
    }
    print(RESULT_TAG + json.dumps(result), flush=True)


# ----------------------------------------------------------------------------
# parent: run the children, print the table
# ----------------------------------------------------------------------------
def run_one(args, case, path, n, db):
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        "--case",
        case,
        "--path",
        path,
        "--n",
        str(n),
        "--db",
        db,
        "--config",
        args.config,
        "--addons-path",
        args.addons_path,
        "--data-dir",
        args.data_dir,
        *(["--no-fast"] if args.no_fast else []),
        *(["--memory", args.memory] if args.memory else []),
    ]
    if args.profile:  # collapsed stacks, for flame graphs or bench/profile.py
        out = f"{args.profile}/{case}-{path}-{n}.txt"
        cmd = ["py-spy", "record", "-r", "50", "-f", "raw", "-o", out, "--", *cmd]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG) :])
    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
    return {
        "case": case,
        "path": path,
        "n": n,
        "db": db,
        "error": (proc.stderr.strip().splitlines() or ["?"])[-1][:200],
        "wall": round(time.perf_counter() - t0, 1),
    }


def fmt_row(case, n, by_path):
    native = by_path.get("native") or by_path.get("native+addon")
    cells = []
    for path in ("native", "native+addon", "addon"):
        r = by_path.get(path)
        if not r:
            cells.append("–")
        elif "error" in r:
            cells.append("ERROR")
        elif case == "search":
            cells.append(f"{r['seconds'] * 1000:.1f} ms (slowest)")
        else:
            cpu = f" (cpu {r['cpu']:.1f})" if r.get("cpu") is not None else ""
            runs = ""
            if r.get("runs"):
                runs = " (median of " + ", ".join(f"{t:.1f}" for t in r["runs"]) + ")"
            cells.append(
                f"{r['seconds']:.2f} s{cpu} / {r['peak_mb']:.0f} MB / {r['queries']} q"
                + runs
            )
    for path, r in by_path.items():
        # further paths of a case (labels: "designed") beside the add-on's
        if path not in ("native", "native+addon", "addon") and "error" not in r:
            runs = ""
            if r.get("runs"):
                runs = " (median of " + ", ".join(f"{t:.1f}" for t in r["runs"]) + ")"
            cells[2] += f"; {path}: {r['seconds']:.2f} s{runs}"
    ratio = "–"
    if native and "error" not in native and by_path.get("addon") and case != "search":
        ours = by_path["addon"]
        if "error" not in ours and ours["seconds"] and native is not ours:
            ratio = f"{native['seconds'] / ours['seconds']:.1f}x"
    return (
        f"| {case} | {n:,} | "
        + " | ".join(cells)
        + f" | {ratio} | {TARGETS.get(case, '')} |"
    )


def median_run(runs):
    """The run of median wall time (the slower middle one for an even count);
    a failed run wins, so that errors are never hidden."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    ranked = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ranked[len(ranked) // 2])
    if len(runs) > 1:
        chosen["runs"] = [r["seconds"] for r in runs]
    return chosen


def vacuum(db):
    """VACUUM ANALYZE the database before a case. Every case rolls back what
    it wrote: without this, the dead rows of the cases before it and the
    statistics of empty tables would weigh on the next one, more or less
    depending on whether autovacuum happened to pass in between (seen here:
    the same statement took 0.5 s or 1.8 s). Both paths get the same."""
    import psycopg2  # the connection comes from PGHOST/PGPORT/PGUSER (run.sh)

    conn = psycopg2.connect(dbname=db)
    try:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
    finally:
        conn.close()


@contextlib.contextmanager
def disposable_copy(db, data_dir):
    """A copy of ``db`` for one run of a case that commits (REQUEST_CASES),
    dropped after it with the filestore folder Odoo made for it: a copy of
    these small databases takes under a second."""
    import psycopg2

    copy = f"{db}_run"

    def execute(sql):
        conn = psycopg2.connect(dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(sql)
        finally:
            conn.close()

    execute(f'DROP DATABASE IF EXISTS "{copy}"')
    execute(f'CREATE DATABASE "{copy}" TEMPLATE "{db}"')
    try:
        yield copy
    finally:
        execute(f'DROP DATABASE IF EXISTS "{copy}"')
        shutil.rmtree(os.path.join(data_dir, "filestore", copy), ignore_errors=True)


def growth_table(results):
    """Per case and path measured at several sizes: seconds per 1,000
    serials at each N, the last size's per-serial time against the first's,
    and peak memory growth."""
    by_key = {}
    for r in results:
        if "error" in r or r["case"] not in ("receipt", "delivery"):
            continue
        by_key.setdefault((r["case"], r["path"]), []).append(r)
    rows = []
    for (case, path), runs in sorted(by_key.items()):
        runs.sort(key=lambda r: r["n"])
        if len(runs) < 2:
            continue
        first, last = runs[0], runs[-1]
        per = [r["seconds"] / r["n"] * 1000 for r in runs]
        rows.append(
            f"| {case} | {path} | "
            + ", ".join(
                f"{r['n']:,}: {p:.2f} s" for r, p in zip(runs, per, strict=True)
            )
            + f" | {per[-1] / per[0]:.2f}x | "
            + ", ".join(f"{r['n']:,}: {r['peak_mb']:.0f} MB" for r in runs)
            + f" | {last['peak_mb'] - first['peak_mb']:+.0f} MB |"
        )
    if not rows:
        return ""
    return "\n".join(
        [
            "| case | path | seconds per 1,000 serials | last / first per serial "
            "| peak memory | growth |",
            "|---|---|---|---:|---|---:|",
            *rows,
        ]
    )


def plot_growth(results, filename):
    """N against seconds, one line per case and path (matplotlib, a
    development requirement), written to ``filename``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    series = {}
    for r in results:
        if "error" not in r and r["case"] in ("receipt", "delivery"):
            series.setdefault(f"{r['case']} ({r['path']})", []).append(
                (r["n"], r["seconds"])
            )
    figure, axes = pyplot.subplots(figsize=(7, 4.2), dpi=110)
    for label, points in sorted(series.items()):
        points.sort()
        axes.plot(*zip(*points, strict=True), marker="o", label=label)
    axes.set_xlabel("serials (N)")
    axes.set_ylabel("seconds")
    axes.set_title("Receipt and delivery time against the number of serials")
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(filename)
    print(f"plot written to {filename}", file=sys.stderr)


def parent(args):
    cases = [c for c in args.cases.split(",") if c]
    rows = []
    results = []
    for case in cases:
        paths, sizes, kind = CASES[case]
        if args.paths:
            paths = [p for p in paths if p in args.paths.split(",")]
        sizes = (
            [int(s) for s in args.n.split(",")] if args.n and kind == "small" else sizes
        )
        if case == "mo" and args.mo_n:
            sizes = [int(s) for s in args.mo_n.split(",")]
        if case == "paste" and args.paste_n:
            sizes = [args.paste_n]
        for n in sizes:
            by_path = {}
            for path in paths:
                if path == "native" and n > args.native_max:
                    # Odoo alone takes minutes there: the curve is the add-on's
                    continue
                if kind == "big":
                    db = args.big_db
                else:
                    db = args.native_db if path == "native" else args.db
                runs = []
                for _i in range(args.repeat if kind == "small" else 1):
                    print(
                        f"... {case} n={n} {path} on {db}", file=sys.stderr, flush=True
                    )
                    if kind == "small":
                        vacuum(db)
                    if case in REQUEST_CASES:
                        with disposable_copy(db, args.data_dir) as copy:
                            r = run_one(args, case, path, n, copy)
                        r["db"] = db
                    else:
                        r = run_one(args, case, path, n, db)
                    print("    " + json.dumps(r), file=sys.stderr, flush=True)
                    runs.append(r)
                r = median_run(runs)
                results.append(r)
                by_path[path] = r
            rows.append(fmt_row(case, n, by_path))
    growth = growth_table(results)
    if growth:
        print(growth)
    if args.plot:
        plot_growth(results, args.plot)
    header = [
        "| case | N | native (no add-on) | native flow + add-on | add-on path "
        "| speed-up vs native | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    table = "\n".join(header + rows)
    print(table)
    details = [
        f"- {r['case']} {r['n']:,} {r['path']}: "
        + json.dumps(r.get("check") or r.get("error"))
        for r in results
    ]
    print("\n".join(details))
    if args.output:
        with open(args.output, "a") as f:
            f.write(
                table + "\n\nChecks (what each path left):\n\n" + "\n".join(details)
            )
            f.write("\n\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cases", default="receipt,delivery,pick,mo,paste,labels,backfill,search"
    )
    parser.add_argument("--n", default="", help="sizes of receipt/delivery (1000,5000)")
    parser.add_argument("--mo-n", default="", help="sizes of the MO case")
    parser.add_argument("--paste-n", type=int, default=0)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each receipt/delivery/mo/labels/backfill path this many times "
        "and report the run of median wall time (all times are printed)",
    )
    parser.add_argument("--paths", default="", help="only these paths")
    parser.add_argument(
        "--native-max",
        type=int,
        default=5000,
        help="largest N the native path (no add-on) runs at: beyond, it takes "
        "minutes and the curve is the add-on's",
    )
    parser.add_argument(
        "--plot", default="", help="PNG of N against seconds (receipt, delivery)"
    )
    parser.add_argument("--db", default="sst_bench")
    parser.add_argument("--native-db", default="sst_bench_native")
    parser.add_argument("--big-db", default="sst_bench_big")
    parser.add_argument("--config", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--output", default="")
    parser.add_argument("--profile", default="", help="py-spy flame graphs to this dir")
    parser.add_argument(
        "--memory",
        default="",
        help="resident size and stack at each new high of memory, to this dir",
    )
    parser.add_argument(
        "--no-fast",
        action="store_true",
        help="run with the add-on's fast paths off (context serial_no_fast_path)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build-big", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.build_big:
        args.n = int(args.n)
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
