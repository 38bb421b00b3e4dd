# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "stock.serial.bulk.mixin"]

    def serial_action_print_labels(self):
        """Open the serial label wizard on the finished serials of these
        manufacturing orders."""
        lots = self.lot_producing_id | self.move_finished_ids.move_line_ids.lot_id
        lots |= self.env["stock.lot"].search([("production_id", "in", self.ids)])
        lots = lots.filtered(lambda lot: lot.product_id in self.product_id)
        return self.env["stock.serial.label.wizard"]._serial_open_for(lots)

    # --- subcontracting ---
    def subcontracting_record_component(self):
        """The component serials a subcontractor records must be at its
        location: refused here, naming them, rather than when the receipt is
        validated (which checks them again)."""
        self.ensure_one()
        lines = self.move_raw_ids.move_line_ids.filtered(
            lambda ml: (
                ml.lot_id and ml.quantity > 0 and ml.product_id.tracking == "serial"
            )
        )
        # a subcontractor records from the portal, without access to stock:
        # where the serials are is read for the check only
        errors = lines.sudo()._serial_check_source()
        if errors:
            raise UserError("\n".join(errors))
        return super().subcontracting_record_component()

    # --- auto-fill from the numbering format ---
    def action_confirm(self):
        result = super().action_confirm()
        self._serial_autofill_from_template()
        return result

    def _serial_autofill_from_template(self):
        """A confirmed MO of one unit of a product that auto-numbers its
        serials gets the next name of the product's format as its serial to
        produce (as if the user had clicked "Generate"). MOs of several units
        are numbered when they are mass produced."""
        productions = self.filtered(
            lambda mo: (
                mo.state not in ("draft", "done", "cancel")
                and not mo.lot_producing_id
                and mo.product_id.tracking == "serial"
                and mo.product_id._serial_auto_numbers("production")
                and float_compare(
                    mo.product_uom_id._compute_quantity(
                        mo.product_qty, mo.product_id.uom_id
                    ),
                    1,
                    precision_digits=6,
                )
                == 0
            )
        )
        by_key = defaultdict(lambda: self.env["mrp.production"])
        for production in productions:
            by_key[(production.product_id, production.company_id)] |= production
        for (product, company), group in by_key.items():
            names = product.with_company(company)._serial_next_names(len(group))
            lots = self.env["stock.lot"].create(
                [
                    {"name": name, "product_id": product.id, "company_id": company.id}
                    for name in names
                ]
            )
            for production, lot in zip(group, lots, strict=True):
                production.lot_producing_id = lot
                production._set_qty_producing(False)

    # --- manufacturing serials ---
    def _serial_uses_format(self):
        """The finished product is serial-tracked and has a numbering format."""
        self.ensure_one()
        product = self.product_id
        return product.tracking == "serial" and bool(product.serial_format)

    def _prepare_stock_lot_values(self):
        # Finished serials follow the product's numbering format instead of
        # Odoo's single global sequence (Generate button, Produce, mass produce
        # of one unit, subcontracting all come through here).
        values = super()._prepare_stock_lot_values()
        if self._serial_uses_format():
            product = self.product_id.with_company(self.company_id)
            values["name"] = product._serial_next_names(1)[0]
        return values

    def serial_action_open_finished_entry(self):
        """Open the serial entry wizard on the finished product of this MO."""
        self.ensure_one()
        move = self.move_finished_ids.filtered(
            lambda m: (
                m.product_id == self.product_id and m.state not in ("done", "cancel")
            )
        )[:1]
        if not move:
            raise UserError(
                _("%(mo)s has no finished product left to produce.", mo=self.name)
            )
        return move.action_open_serial_entry()

    def _serial_entry_defaults(self, move, values):
        """Entry wizard on the finished move: start from the serial this MO
        already has (auto-numbered at confirmation or generated) and, for an
        auto-numbered product, offer to number the other units."""
        self.ensure_one()
        if move.product_id != self.product_id or values.get("mode") != "add":
            return {}
        names = [
            name for name in (values.get("serial_names") or "").split("\n") if name
        ]
        lot = self.lot_producing_id
        if lot and lot.name not in names:
            names.insert(0, lot.name)
        missing = max(values.get("required_count", 0) - len(names), 0)
        res = {"serial_names": "\n".join(names), "auto_count": missing}
        if self.product_id._serial_auto_numbers("production") and missing:
            res.update(input_method="auto")
        elif values.get("input_method") == "auto":
            res.update(input_method="paste")
        return res

    def _serial_assign_finished_names(self, names):
        """Give the finished product of this MO these serial numbers (entry
        wizard). One serial becomes the serial being produced; several split
        the MO into one MO per serial, as Odoo's mass production does."""
        self.ensure_one()
        if self.state in ("draft", "done", "cancel"):
            raise UserError(
                _(
                    "Serial numbers of finished products are set on a confirmed "
                    "manufacturing order (%(mo)s).",
                    mo=self.name,
                )
            )
        if not names:
            raise UserError(_("There is no serial number to assign."))
        if len(names) == 1:
            Lot = self.env["stock.lot"]
            lot = Lot.search(
                [
                    ("product_id", "=", self.product_id.id),
                    ("company_id", "in", [self.company_id.id, False]),
                    ("name", "=", names[0]),
                ],
                limit=1,
            ) or Lot.create(
                {
                    "name": names[0],
                    "product_id": self.product_id.id,
                    "company_id": self.company_id.id,
                }
            )
            self.lot_producing_id = lot
            # What Odoo's Generate button does next: produce this one unit.
            self._set_qty_producing(False)
            return True
        batch = self.env["mrp.batch.produce"].create(
            {"production_id": self.id, "production_text": "\n".join(names)}
        )
        batch.action_prepare()
        return True
