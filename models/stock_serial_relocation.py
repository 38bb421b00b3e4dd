# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Relocation of serials from a warehouse of one company to a warehouse of
another company of the same database, as one operation.

Each company keeps its own serial record (two linked records: see README,
"Relocation between companies"): company A ships the unit to company B's
partner (its serial is then Shipped in A), company B receives it from company
A's partner on a serial of the same name linked to A's (``serial_origin_lot_id``,
In Stock in B). The relocation record links both transfers; users of either
company see it, and only their own company's side of the stock.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import parsing


class StockSerialRelocation(models.Model):
    _name = "stock.serial.relocation"
    _description = "Serial Relocation Between Companies"
    _order = "id desc"

    name = fields.Char(readonly=True, copy=False, default="/")
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        readonly=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company",
        string="From Company",
        required=True,
        default=lambda self: self.env.company,
    )
    source_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="From Warehouse",
        domain="[('company_id', '=', company_id)]",
        help="Default: the first warehouse of the company.",
    )
    dest_company_id = fields.Many2one("res.company", string="To Company", required=True)
    dest_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="To Warehouse",
        domain="[('company_id', '=', dest_company_id)]",
        check_company=False,
        help="Default: the first warehouse of the receiving company.",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('tracking', '=', 'serial')]",
    )
    serial_text = fields.Text(
        string="Serial Numbers",
        help="The serials to relocate, one per line (or pasted from a "
        "spreadsheet column).",
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        "stock_serial_relocation_lot_rel",
        string="Serials (From)",
        readonly=True,
        copy=False,
    )
    dest_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_serial_relocation_dest_lot_rel",
        string="Serials (To)",
        readonly=True,
        copy=False,
    )
    out_picking_id = fields.Many2one(
        "stock.picking", string="Delivery (From)", readonly=True, copy=False
    )
    in_picking_id = fields.Many2one(
        "stock.picking",
        string="Receipt (To)",
        readonly=True,
        copy=False,
        check_company=False,
    )
    date_done = fields.Datetime(readonly=True, copy=False)
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )

    # ------------------------------------------------------------------
    # Checks: everything is checked before anything is written
    # ------------------------------------------------------------------
    def _serial_names(self):
        self.ensure_one()
        names = parsing.split_pasted(self.serial_text or "")
        return list(dict.fromkeys(names))

    def _serial_warehouses(self):
        """(source warehouse, destination warehouse), defaults filled in."""
        self.ensure_one()
        Warehouse = self.env["stock.warehouse"].sudo()
        source = self.source_warehouse_id or Warehouse.search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        dest = self.dest_warehouse_id.sudo() or Warehouse.search(
            [("company_id", "=", self.dest_company_id.id)], limit=1
        )
        return source, dest

    def _serial_check(self):
        """Raise a UserError listing every problem; return what to move:
        ``(source wh, dest wh, {name: lot in A}, {name: lot in B or None})``."""
        self.ensure_one()
        _ = self.env._
        errors = []
        names = self._serial_names()
        if not names:
            raise UserError(_("Enter the serial numbers to relocate."))
        if self.state == "done":
            raise UserError(_("This relocation is already done."))
        if self.dest_company_id == self.company_id:
            raise UserError(
                _("A relocation goes to another company; use an internal transfer.")
            )
        source, dest = self._serial_warehouses()
        if not source:
            errors.append(
                _("Company %(company)s has no warehouse.", company=self.company_id.name)
            )
        if not dest:
            errors.append(
                _(
                    "Company %(company)s has no warehouse to receive the serials.",
                    company=self.dest_company_id.name,
                )
            )
        product = self.product_id
        if product.tracking != "serial":
            errors.append(
                _("%(product)s is not tracked by serial.", product=product.display_name)
            )
        if product.sudo().company_id and product.sudo().company_id != (
            self.dest_company_id
        ):
            errors.append(
                _(
                    "%(product)s belongs to company %(company)s only: company "
                    "%(dest)s cannot receive it.",
                    product=product.display_name,
                    company=product.sudo().company_id.name,
                    dest=self.dest_company_id.name,
                )
            )
        if errors:
            raise UserError("\n".join(errors))
        for company in self.company_id | self.dest_company_id:
            if company not in self.env.user.company_ids:
                raise UserError(
                    _(
                        "You need access to company %(company)s to relocate "
                        "serials from or to it.",
                        company=company.sudo().name,
                    )
                )
        Lot = self.env["stock.lot"].sudo()
        lots = Lot.search(
            [
                ("product_id", "=", product.id),
                ("company_id", "in", [self.company_id.id, False]),
                ("name", "in", names),
            ]
        )
        # a company serial is meant rather than a shared one of the same name
        by_name = {}
        for lot in lots.sorted(lambda lot: bool(lot.company_id)):
            by_name[lot.name] = lot
        # a shared serial (no company: Odoo's default for shared products)
        # becomes company A's before company B gets its own record; only if
        # it never moved in another company
        shared = lots.filtered(lambda lot: not lot.company_id)
        elsewhere = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", shared.ids),
                    ("company_id", "!=", self.company_id.id),
                ]
            )
            .lot_id
        )
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    # where the relocation ships from (the transfer's source)
                    ("location_id", "child_of", source.lot_stock_id.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ]
            )
        )
        here = {quant.lot_id.id for quant in quants}
        busy = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "not in", ("done", "cancel")),
                    ("picked", "=", True),
                ]
            )
            .lot_id
        )
        problems = []
        for name in names:
            lot = by_name.get(name)
            if not lot or lot.id not in here:
                problems.append(
                    _(
                        "%(serial)s: not in stock at %(warehouse)s",
                        serial=name,
                        warehouse=source.name,
                    )
                )
            elif lot.serial_on_hold:
                problems.append(
                    _(
                        "%(serial)s: on hold (%(reason)s)",
                        serial=name,
                        reason=lot.serial_hold_reason,
                    )
                )
            elif lot.serial_sale_chosen:
                problems.append(
                    _(
                        "%(serial)s: chosen for sale order %(order)s",
                        serial=name,
                        order=lot.sale_line_id.order_id.name,
                    )
                )
            elif lot in elsewhere:
                problems.append(
                    _(
                        "%(serial)s: a serial shared by several companies (it "
                        "moved in %(companies)s)",
                        serial=name,
                        companies=", ".join(
                            self.env["stock.move.line"]
                            .sudo()
                            .search([("lot_id", "=", lot.id)])
                            .company_id.mapped("name")
                        ),
                    )
                )
            elif lot in busy:
                problems.append(
                    _("%(serial)s: already picked for another transfer", serial=name)
                )
        invalid = Lot._serial_invalid_names(self.dest_company_id, names)
        for name, reason in invalid.items():
            problems.append(
                _(
                    "%(serial)s: %(reason)s in company %(company)s",
                    serial=name,
                    reason=reason,
                    company=self.dest_company_id.name,
                )
            )
        # the receiving company's serials of these names: one may be this very
        # unit, back from an earlier relocation; any other is another unit
        existing = Lot.search(
            [
                ("company_id", "=", self.dest_company_id.id),
                ("name", "in", names),
            ]
        )
        scope_company = self.dest_company_id.serial_unique_scope == "company"
        dest_by_name = {}
        for other in existing:
            if other.product_id != product:
                if scope_company:
                    problems.append(
                        _(
                            "%(serial)s: already used in company %(company)s by "
                            "product %(product)s",
                            serial=other.name,
                            company=self.dest_company_id.name,
                            product=other.product_id.display_name,
                        )
                    )
                continue
            lot = by_name.get(other.name)
            same_unit = bool(lot) and lot in other._serial_linked_lots()
            on_hand = other.quant_ids.filtered(
                lambda q: q.quantity > 0 and q.location_id.usage == "internal"
            )
            if not same_unit or on_hand:
                problems.append(
                    _(
                        "%(serial)s: already exists in company %(company)s for "
                        "another unit",
                        serial=other.name,
                        company=self.dest_company_id.name,
                    )
                )
            else:
                dest_by_name[other.name] = other
        if problems:
            raise UserError(
                _("Nothing was relocated:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )
        return source, dest, {name: by_name[name] for name in names}, dest_by_name

    # ------------------------------------------------------------------
    # The operation
    # ------------------------------------------------------------------
    def action_relocate(self):
        """Ship the serials from company A's warehouse and receive them in
        company B's, as one operation: two validated transfers, linked by
        this record; the serials in B are linked to those of A.

        :raises UserError: naming each problem (serial not at the source,
            company without a warehouse, a name that is another unit in B),
            before anything is written.
        """
        self.ensure_one()
        source, dest, lots, dest_lots = self._serial_check()
        product = self.product_id
        company_a, company_b = self.company_id, self.dest_company_id
        customers = self.env.ref("stock.stock_location_customers")
        suppliers = self.env.ref("stock.stock_location_suppliers")
        name = f"RELOC/{self.id:05d}"
        env_a = self.env(
            context=dict(self.env.context, allowed_company_ids=[company_a.id])
        )
        Lot_a = env_a["stock.lot"].sudo()
        env_b = self.env(
            user=self.env.user,
            su=True,
            context=dict(self.env.context, allowed_company_ids=[company_b.id]),
        )
        shared = Lot_a.browse([lot.id for lot in lots.values() if not lot.company_id])
        if shared:
            shared.write({"company_id": company_a.id})
        out_picking = self._serial_transfer(
            env_a["stock.picking"].sudo(),
            source.out_type_id,
            source.lot_stock_id,
            customers,
            company_b.partner_id,
            list(lots.values()),
            name,
        )
        Lot_b = env_b["stock.lot"]
        to_create = [n for n in lots if n not in dest_lots]
        new_lots = Lot_b.create(
            [
                {
                    "name": n,
                    "product_id": product.id,
                    "company_id": company_b.id,
                    "serial_origin_lot_id": lots[n].id,
                }
                for n in to_create
            ]
        )
        dest_by_name = dict(dest_lots)
        dest_by_name.update({lot.name: lot for lot in new_lots})
        # new records arrive from company A as a vendor; a unit coming back
        # to a company it left earlier is a return from company A as customer
        # there (its record in B is the one shipped then)
        in_pickings = self.env["stock.picking"]
        for source_loc, batch in (
            (suppliers, [n for n in lots if n not in dest_lots]),
            (customers, [n for n in lots if n in dest_lots]),
        ):
            if batch:
                in_pickings |= self._serial_transfer(
                    env_b["stock.picking"],
                    dest.in_type_id,
                    source_loc,
                    dest.lot_stock_id,
                    company_a.partner_id,
                    [dest_by_name[n] for n in batch],
                    name,
                )
        in_picking = in_pickings[:1]
        self.sudo().write(
            {
                "name": name,
                "state": "done",
                "date_done": fields.Datetime.now(),
                "source_warehouse_id": source.id,
                "dest_warehouse_id": dest.id,
                "lot_ids": [(6, 0, [lot.id for lot in lots.values()])],
                "dest_lot_ids": [(6, 0, [dest_by_name[n].id for n in lots])],
                "out_picking_id": out_picking.id,
                "in_picking_id": in_picking.id,
            }
        )
        out_picking.sudo().serial_relocation_id = self.id
        in_pickings.sudo().serial_relocation_id = self.id
        return True

    @api.model
    def _serial_transfer(self, Picking, picking_type, source, dest, partner, lots, ref):
        """A validated transfer of these serials (one unit each)."""
        product = lots[0].product_id
        company = picking_type.company_id
        picking = Picking.create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "origin": ref,
                "company_id": company.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.display_name,
                            "product_id": product.id,
                            "product_uom_qty": len(lots),
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                            "company_id": company.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        quants = {}
        if source.usage == "internal":
            found = Picking.env["stock.quant"].search(
                [
                    ("lot_id", "in", [lot.id for lot in lots]),
                    ("location_id", "child_of", source.id),
                    ("quantity", ">", 0),
                ]
            )
            quants = {quant.lot_id.id: quant for quant in found}
        Picking.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "company_id": company.id,
                    "location_id": quants[lot.id].location_id.id
                    if lot.id in quants
                    else source.id,
                    "location_dest_id": dest.id,
                    "lot_id": lot.id,
                    "quantity": 1,
                    "picked": True,
                }
                for lot in lots
            ]
        )
        result = picking.button_validate()
        if result is not True or picking.state != "done":
            raise UserError(
                Picking.env._(
                    "%(picking)s could not be validated.", picking=picking.name
                )
            )
        return picking
