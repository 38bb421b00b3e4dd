# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..errors import raise_user_error
from ..fastpath import clone_columns, clone_records, guard
from ..lib import parsing
from ..lib.errors import SerialInputError

COL_ORDER = "Order Reference"
COL_PRODUCT = "Product"
COL_SERIAL = "Serial Number"
COLUMNS = (COL_ORDER, COL_PRODUCT, COL_SERIAL)
TEMPLATE_MAX_ROWS = 5000
REPORT_MAX_ROWS = 1000
# Columns of stock_move_line the split does not copy from the original line.


class StockSerialPurchaseImport(models.TransientModel):
    _name = "stock.serial.purchase.import"
    _inherit = ["stock.serial.input.mixin"]
    _description = "Import Serials of Received Purchase Orders"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("received", "Serials of Received Units"),
            ("expected", "Advance Shipping List"),
        ],
        string="Import",
        default="received",
        required=True,
        help="Serials of units already received without serial number, or the "
        "vendor's list of the serials it ships: pre-assigned on the purchase "
        "lines before the goods arrive, then checked when they are scanned.",
    )
    purchase_order_id = fields.Many2one(
        "purchase.order",
        domain="[('company_id', '=', company_id), "
        "('state', 'in', ('purchase', 'done'))]",
        help="Optional: the template then lists this order's units received "
        "without serial numbers.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("error", "Errors"), ("done", "Imported")],
        default="draft",
        required=True,
    )
    report = fields.Text(readonly=True)
    imported_count = fields.Integer(readonly=True)
    template_file = fields.Binary(attachment=False, readonly=True)
    template_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # Template
    # ------------------------------------------------------------------
    def action_download_template_xlsx(self):
        return self._serial_download_template("xlsx")

    def action_download_template_csv(self):
        return self._serial_download_template("csv")

    def _serial_download_template(self, extension):
        self.ensure_one()
        rows = self._serial_template_rows()
        if extension == "xlsx":
            data = parsing.write_template_xlsx(COLUMNS, rows)
        else:
            data = parsing.write_template_csv(COLUMNS, rows)
        self.write(
            {
                "template_file": base64.b64encode(data),
                "template_filename": f"serial_import_template.{extension}",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}"
            "&field=template_file&filename_field=template_filename&download=true",
            "target": "download",
        }

    def _serial_template_rows(self):
        """One row per unit received without serial number (serial left blank):
        of the chosen order, or of every order of the company. For a shipping
        list: one row per unit of the chosen order still to come and not yet
        announced."""
        if self.kind == "expected":
            rows = []
            for line in self.purchase_order_id.order_line:
                if line.product_id.tracking != "serial" or line._serial_is_received():
                    continue
                product = line.product_id.default_code or line.product_id.name
                free = line._serial_required_count() - len(line.serial_lot_ids)
                rows.extend([(line.order_id.name, product, "")] * max(free, 0))
            return rows[:TEMPLATE_MAX_ROWS]
        move_lines = self._serial_unserialed_lines(self.purchase_order_id)
        rows = []
        for ml in move_lines:
            order = ml.move_id.purchase_line_id.order_id
            product = ml.product_id.default_code or ml.product_id.name
            rows.extend([(order.name, product, "")] * int(ml.quantity_product_uom))
            if len(rows) >= TEMPLATE_MAX_ROWS:
                break
        return rows[:TEMPLATE_MAX_ROWS]

    def _serial_unserialed_lines(self, orders=None, products=None):
        """Done receipt lines of purchase orders that carry no serial: units of
        serial products received without one (serial not required then)."""
        domain = [
            ("state", "=", "done"),
            ("lot_id", "=", False),
            ("quantity_product_uom", ">", 0),
            ("product_id.tracking", "=", "serial"),
            ("location_id.usage", "=", "supplier"),
            ("move_id.purchase_line_id", "!=", False),
            ("move_id.origin_returned_move_id", "=", False),
        ]
        if orders:
            domain.append(("move_id.purchase_line_id.order_id", "in", orders.ids))
        else:
            domain.append(("company_id", "=", self.company_id.id))
        if products:
            domain.append(("product_id", "in", products.ids))
        return self.env["stock.move.line"].search(domain, order="date, id")

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def action_import(self):
        """Check every row of the file; apply them all, or none and list every
        bad row with its number and reason."""
        self.ensure_one()
        if not self.upload_file:
            raise UserError(_("Choose the file to import (.xlsx or .csv)."))
        expected = self.kind == "expected"
        try:
            rows = parsing.read_table(
                self.upload_filename or "",
                base64.b64decode(self.upload_file),
                COLUMNS,
            )
        except SerialInputError as exc:
            raise_user_error(self.env, exc)
        errors, plan = self._serial_check_rows(rows)
        if errors:
            lines = [
                self.env._("Row %(row)s: %(reason)s", row=row, reason=reason)
                for row, reason in sorted(errors)[:REPORT_MAX_ROWS]
            ]
            if len(errors) > REPORT_MAX_ROWS:
                lines.append(
                    _("… and %(count)s more", count=len(errors) - REPORT_MAX_ROWS)
                )
            self.write(
                {
                    "state": "error",
                    "imported_count": 0,
                    "report": _(
                        "Nothing was imported: %(count)s rows are wrong.",
                        count=len({row for row, _reason in errors}),
                    )
                    + "\n"
                    + "\n".join(lines),
                }
            )
            return self._serial_reopen()
        if not plan:
            raise UserError(_("The file has no serial number to import."))
        lots = (
            self._serial_apply_expected(plan) if expected else self._serial_apply(plan)
        )
        orders = lots.purchase_line_id.order_id
        self.write(
            {
                "state": "done",
                "imported_count": len(lots),
                "upload_file": False,
                "report": _(
                    "%(count)s serial numbers imported on %(orders)s.",
                    count=len(lots),
                    orders=", ".join(orders.mapped("name")),
                ),
            }
        )
        return self._serial_reopen()

    def _serial_reopen(self, name=None, target="new"):
        return super()._serial_reopen(name=name or _("Import Serials"), target=target)

    @api.model
    def _serial_match_product(self, order, text):
        """Products of the order's lines whose reference, barcode, name or
        display name is ``text`` (case-insensitive)."""
        key = text.casefold()
        return order.order_line.product_id.filtered(
            lambda p: (
                key
                in {
                    (p.default_code or "").casefold(),
                    (p.barcode or "").casefold(),
                    (p.name or "").casefold(),
                    p.display_name.casefold(),
                }
            )
        )

    def _serial_check_rows(self, rows):
        """Return ``(errors, plan)``: ``errors`` lists ``(row number, reason)``
        for every bad row; ``plan`` maps each receipt line to the serial names
        it gets (only meaningful without errors)."""
        errors = []
        rows = [row for row in rows if row[COL_SERIAL]]
        refs = {row[COL_ORDER] for row in rows if row[COL_ORDER]}
        orders = self.env["purchase.order"].search(
            [("name", "in", list(refs)), ("company_id", "in", self.env.companies.ids)]
        )
        order_by_ref = {order.name: order for order in orders}
        # (order, product) -> [row]
        groups = defaultdict(list)
        for row in rows:
            number, ref, text = row["_row"], row[COL_ORDER], row[COL_PRODUCT]
            if not ref:
                errors.append((number, _("the order reference is empty")))
                continue
            order = order_by_ref.get(ref)
            if not order:
                errors.append(
                    (number, _("unknown purchase order %(order)s", order=ref))
                )
                continue
            if not text:
                errors.append((number, _("the product is empty")))
                continue
            products = self._serial_match_product(order, text)
            if not products:
                errors.append(
                    (
                        number,
                        _(
                            "product %(product)s is not on purchase order %(order)s",
                            product=text,
                            order=ref,
                        ),
                    )
                )
                continue
            if len(products) > 1:
                errors.append(
                    (
                        number,
                        _(
                            "product %(product)s is ambiguous on %(order)s "
                            "(%(names)s): use the internal reference",
                            product=text,
                            order=ref,
                            names=", ".join(products.mapped("display_name")),
                        ),
                    )
                )
                continue
            if products.tracking != "serial":
                errors.append(
                    (
                        number,
                        _(
                            "%(product)s is not tracked by serial number",
                            product=products.display_name,
                        ),
                    )
                )
                continue
            if products.lot_valuated:
                errors.append(
                    (
                        number,
                        _(
                            "%(product)s is valued per serial number: name its "
                            "units with an inventory adjustment instead",
                            product=products.display_name,
                        ),
                    )
                )
                continue
            groups[(order, products)].append(row)
        errors += self._serial_check_names(groups)
        # Units go to the rows that are otherwise right, in file order.
        bad = {number for number, _reason in errors}
        groups = {
            key: [row for row in rows if row["_row"] not in bad]
            for key, rows in groups.items()
        }
        if self.kind == "expected":
            plan, capacity_errors = self._serial_allocate_expected(groups)
        else:
            plan, capacity_errors = self._serial_allocate(groups)
        errors += capacity_errors
        return errors, plan

    def _serial_check_names(self, groups):
        """Format, duplicates in the file, serials that exist already."""
        errors = []
        Lot = self.env["stock.lot"]
        by_company = defaultdict(list)
        for (order, product), rows in groups.items():
            for row in rows:
                by_company[order.company_id].append((product, row))
        for company, entries in by_company.items():
            names = [row[COL_SERIAL] for _product, row in entries]
            invalid = Lot._serial_invalid_names(company, names)
            company_scope = company.serial_unique_scope == "company"
            first_row = {}
            for product, row in entries:
                name, number = row[COL_SERIAL], row["_row"]
                if name in invalid:
                    errors.append((number, f"{name}: {invalid[name]}"))
                    continue
                key = name if company_scope else (product.id, name)
                if key in first_row:
                    errors.append(
                        (
                            number,
                            _(
                                "%(name)s appears more than once in the file "
                                "(first on row %(row)s)",
                                name=name,
                                row=first_row[key],
                            ),
                        )
                    )
                    continue
                first_row[key] = number
            existing = Lot.search(
                [
                    ("name", "in", names),
                    ("company_id", "in", [company.id, False]),
                ]
            )
            existing_by_name = defaultdict(lambda: self.env["stock.lot"])
            for lot in existing:
                existing_by_name[lot.name] |= lot
            orders = self.env["purchase.order"].browse(
                {order.id for order, _product in groups}
            )
            announced = self._serial_announced(existing, orders)
            for product, row in entries:
                name = row[COL_SERIAL]
                for lot in existing_by_name.get(name, []):
                    if lot in announced and lot.product_id == product:
                        # a shipping list imported again: already expected
                        continue
                    if lot.product_id == product:
                        reason = _("%(name)s already exists", name=name)
                    elif company_scope:
                        reason = _(
                            "%(name)s is already used by product %(product)s",
                            name=name,
                            product=lot.product_id.display_name,
                        )
                    else:
                        continue
                    errors.append((row["_row"], reason))
                    break
        return errors

    def _serial_announced(self, lots, orders):
        """Of ``lots``, the serials an advance shipping list may list again:
        planned on a line of the orders being imported."""
        if self.kind != "expected":
            return lots.browse()
        return lots.filtered(
            lambda lot: (
                lot.serial_status == "planned"
                and lot.purchase_line_id.order_id in orders
            )
        )

    def _serial_allocate_expected(self, groups):
        """Give each row of an advance shipping list a unit of the order's
        lines of that product not yet received, in line order; serials already
        announced on the order keep their line. Rows beyond the ordered units
        are errors."""
        errors = []
        plan = defaultdict(list)
        for (order, product), rows in groups.items():
            lines = order.order_line.filtered(
                lambda line, product=product: line.product_id == product
            ).sorted("id")
            open_lines = lines.filtered(lambda line: not line._serial_is_received())
            announced = {
                lot.name: lot.purchase_line_id for lot in open_lines.serial_lot_ids
            }
            room = {
                line: line._serial_required_count() - len(line.serial_lot_ids)
                for line in open_lines
            }
            for row in rows:
                name = row[COL_SERIAL]
                if name in announced:
                    continue
                line = next((line for line in open_lines if room[line] > 0), None)
                if not line:
                    errors.append(
                        (
                            row["_row"],
                            _(
                                "%(order)s has no unit of %(product)s left to "
                                "expect serial number %(name)s (units ordered "
                                "and not received: %(open)s, already announced: "
                                "%(announced)s)",
                                order=order.name,
                                product=product.display_name,
                                name=name,
                                open=sum(
                                    line._serial_required_count() for line in open_lines
                                ),
                                announced=len(open_lines.serial_lot_ids),
                            ),
                        )
                    )
                    continue
                room[line] -= 1
                plan[line].append(name)
        return plan, errors

    def _serial_apply_expected(self, plan):
        """Pre-assign the listed serials (status planned) on their purchase
        lines; open receipts of the lines follow."""
        lots = self.env["stock.lot"]
        for line, names in plan.items():
            line._serial_assign_names(line.serial_lot_ids.mapped("name") + names)
            listed = set(names)
            lots |= line.serial_lot_ids.filtered(
                lambda lot, listed=listed: lot.name in listed
            )
        return lots

    def _serial_allocate(self, groups):
        """Give each row a unit received without serial that is still in
        stock without serial; rows beyond them are errors."""
        errors = []
        plan = defaultdict(list)
        if not groups:
            return plan, errors
        orders = self.env["purchase.order"].browse({order.id for order, _p in groups})
        products = self.env["product.product"].browse(
            {product.id for _o, product in groups}
        )
        move_lines = self._serial_unserialed_lines(orders, products)
        lines_by_group = defaultdict(list)
        for ml in move_lines:
            key = (ml.move_id.purchase_line_id.order_id, ml.product_id)
            lines_by_group[key].append(ml)
        Quant = self.env["stock.quant"]
        budget = {}
        for (order, product), rows in groups.items():
            candidates = lines_by_group.get((order, product), [])
            received = sum(int(ml.quantity_product_uom) for ml in candidates)
            index = 0
            for ml in candidates:
                if index >= len(rows):
                    break
                key = (product, ml.location_dest_id, ml.result_package_id, ml.owner_id)
                if key not in budget:
                    budget[key] = int(
                        Quant._get_available_quantity(
                            product,
                            ml.location_dest_id,
                            lot_id=False,
                            package_id=ml.result_package_id,
                            owner_id=ml.owner_id,
                            strict=True,
                        )
                    )
                take = min(int(ml.quantity_product_uom), budget[key], len(rows) - index)
                if take <= 0:
                    continue
                plan[ml] += [row[COL_SERIAL] for row in rows[index : index + take]]
                budget[key] -= take
                index += take
            for row in rows[index:]:
                errors.append(
                    (
                        row["_row"],
                        _(
                            "%(order)s received %(received)s units of %(product)s "
                            "without serial number and %(named)s of them, still "
                            "in stock without serial, are named by the rows "
                            "above: no unit is left for serial number %(name)s",
                            order=order.name,
                            received=received,
                            product=product.display_name,
                            named=index,
                            name=row[COL_SERIAL],
                        ),
                    )
                )
        return plan, errors

    def _serial_apply(self, plan):
        """Name the units: create the serials, split the receipt lines into one
        line per serial and move the quants from untracked to the serials.
        The receipt's quantities and valuation do not change."""
        # Received lines are split by copying their rows (a new done line
        # through create() would be valued again): only when the copies are
        # what Odoo would store. Checked before anything is written.
        MoveLine = self.env["stock.move.line"]
        columns = clone_columns(MoveLine, "lot_id")
        if columns is None or guard.foreign_overrides(MoveLine, "line_create"):
            raise UserError(
                _(
                    "Serial numbers cannot be imported on received lines here: "
                    "another installed module changes how receipt lines are "
                    "created or computes their fields from their serial number. "
                    "Return and receive the units again with their serial "
                    "numbers instead."
                )
            )
        Lot = self.env["stock.lot"]
        vals_list = []
        for ml, names in plan.items():
            vals_list += [
                {
                    "name": name,
                    "product_id": ml.product_id.id,
                    "company_id": ml.company_id.id,
                    "purchase_line_id": ml.move_id.purchase_line_id.id,
                }
                for name in names
            ]
        lots = Lot._serial_fast_create(vals_list)
        lot_by_key = {(lot.product_id.id, lot.name): lot for lot in lots}
        self.env.flush_all()
        quant_vals = []
        line_ids = []
        Quant = self.env["stock.quant"].sudo()
        for ml, names in plan.items():
            product = ml.product_id
            ml_lots = Lot.concat(*(lot_by_key[(product.id, name)] for name in names))
            line_ids += self._serial_split_line(ml, ml_lots, columns)
            # Only the stock side: supplier quants are never read.
            quant_vals += [
                {
                    "product_id": product.id,
                    "location_id": ml.location_dest_id.id,
                    "lot_id": lot.id,
                    "package_id": ml.result_package_id.id,
                    "owner_id": ml.owner_id.id,
                    "quantity": 1,
                    "in_date": ml.date,
                }
                for lot in ml_lots
            ]
            Quant._update_available_quantity(
                product,
                ml.location_dest_id,
                -len(ml_lots),
                lot_id=False,
                package_id=ml.result_package_id,
                owner_id=ml.owner_id,
            )
        Quant.create(quant_vals)
        self.env.invalidate_all()
        # What depends on the lines written in SQL (move quantities...) follows.
        MoveLine.browse(line_ids).modified(
            ["move_id", "lot_id", "quantity", "quantity_product_uom", "product_uom_id"]
        )
        lots._serial_recompute_status()
        for order in lots.purchase_line_id.order_id:
            order_lots = lots.filtered(
                lambda lot, o=order: lot.purchase_line_id.order_id == o
            )
            order.message_post(
                body=_(
                    "%(count)s serial numbers imported for units received without "
                    "serial number: %(names)s",
                    count=len(order_lots),
                    names=", ".join(order_lots[:100].mapped("name")),
                )
            )
        return lots

    def _serial_split_line(self, ml, lots, columns):
        """One done receipt line per serial: the line keeps the first serial
        when all its units are named, else the units left without serial;
        copies of it carry the other serials (one unit each). Returns the ids
        of the lines written."""
        quantity = int(ml.quantity_product_uom)
        count = len(lots)
        uom_id = ml.product_id.uom_id.id
        table = SQL.identifier(ml._table)
        if count == quantity:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET lot_id = %s, lot_name = NULL, quantity = 1, "
                    "quantity_product_uom = 1, product_uom_id = %s WHERE id = %s",
                    table,
                    lots[0].id,
                    uom_id,
                    ml.id,
                )
            )
            copies = lots[1:]
        else:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET quantity = %s, quantity_product_uom = %s, "
                    "product_uom_id = %s WHERE id = %s",
                    table,
                    quantity - count,
                    quantity - count,
                    uom_id,
                    ml.id,
                )
            )
            copies = lots
        if not copies:
            return [ml.id]
        # copies of the line, one unit and one serial each, valued as it is
        # (a new done line through create() would be valued again)
        ml.invalidate_recordset()
        count = len(copies)
        lines = clone_records(
            ml,
            "lot_id",
            copies.ids,
            columns,
            per_copy={
                "lot_name": [None] * count,
                "quantity": [1] * count,
                "quantity_product_uom": [1] * count,
                "product_uom_id": [uom_id] * count,
            },
        )
        return [ml.id, *lines.ids]
