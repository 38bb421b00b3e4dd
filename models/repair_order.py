# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Repair orders on serials: when a unit was sent to repair (its history),
and the parts fitted in it checked before anything moves.

What a repair does to a serial's history, status and genealogy is read from
its done moves (stock_serial_history, stock_lot, stock_lot_genealogy)."""

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .stock_lot import GONE_STATUSES


class RepairOrder(models.Model):
    _inherit = "repair.order"

    # The genealogy looks repairs up by the unit repaired: indexed.
    lot_id = fields.Many2one(index="btree_not_null")
    serial_sent_date = fields.Datetime(
        string="Sent to Repair",
        readonly=True,
        copy=False,
        help="When the order was confirmed: the unit's history shows it sent "
        "to repair from then on.",
    )

    def init(self):
        # ... and the parts of a repair by their order: Odoo leaves
        # stock.move.repair_id without an index.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS stock_move_serial_repair_idx "
                "ON stock_move (repair_id) WHERE repair_id IS NOT NULL"
            )
        )
        # Orders confirmed before the add-on was installed have no sent date:
        # Odoo keeps no confirmation date, their creation is the closest one.
        self.env.cr.execute(
            SQL(
                """
                UPDATE repair_order SET serial_sent_date = create_date
                 WHERE serial_sent_date IS NULL
                   AND state IN ('confirmed', 'under_repair', 'done')
                """
            )
        )

    def _action_repair_confirm(self):
        drafts = self.filtered(lambda repair: repair.state == "draft")
        result = super()._action_repair_confirm()
        confirmed = drafts.filtered(lambda repair: repair.state == "confirmed")
        if confirmed:
            confirmed.write({"serial_sent_date": fields.Datetime.now()})
            # the history is a view over this table: written now, read by SQL
            confirmed.flush_recordset()
            self.env["stock.lot"].invalidate_model(
                ["serial_history_ids", "serial_history_count"]
            )
        return result

    def action_repair_done(self):
        self._serial_check_parts()
        return super().action_repair_done()

    def _serial_part_lines(self, line_types):
        """Move lines of serials of these repairs' parts still to be done."""
        return self.move_ids.filtered(
            lambda move: (
                move.repair_line_type in line_types
                and move.state not in ("done", "cancel")
                and move.product_id.tracking == "serial"
            )
        ).move_line_ids.filtered(lambda ml: ml.lot_id and ml.quantity > 0)

    def _serial_check_parts(self):
        """Refuse, naming them, serials to fit as parts that are not there to
        be fitted: shipped, consumed (inside another unit), written off or
        returned to the vendor, or not in stock where the part is taken from;
        and serials to take out that are recorded somewhere else than inside
        the unit. Checked before Odoo creates the repaired unit's move, so
        that a refused repair writes nothing."""
        errors = self._serial_check_units()
        errors += self._serial_check_parts_taken_out()
        lines = self._serial_part_lines(("add",))
        if not lines and not errors:
            return
        statuses = self._serial_status_labels()
        gone = lines.lot_id.filtered(lambda lot: lot.serial_status in GONE_STATUSES)
        if gone:
            errors.append(
                _(
                    "These serial numbers cannot be fitted in a repair, they are "
                    "no longer in stock: %(names)s",
                    names=", ".join(
                        f"{lot.name} ({statuses[lot.serial_status]})" for lot in gone
                    ),
                )
            )
        errors += lines.filtered(
            lambda ml: ml.lot_id not in gone
        )._serial_check_source()
        errors += lines._serial_check_hold()
        if errors:
            raise UserError("\n".join(errors))

    def _serial_status_labels(self):
        """{status: its label in the user's language}."""
        field = self.env["stock.lot"]._fields["serial_status"]
        return dict(field._description_selection(self.env))

    def _serial_check_units(self):
        """The serial repaired must be where the repair takes it from: Odoo
        would move it from there when the repair is done, leaving it at -1."""
        errors = []
        units = self.filtered(
            lambda repair: (
                repair.lot_id
                and repair.product_id.tracking == "serial"
                and repair.product_location_src_id.usage in ("internal", "transit")
            )
        )
        locations_by_lot = units.lot_id._serial_locations_in_stock()
        for repair in units:
            locations = locations_by_lot[repair.lot_id]
            if repair.product_location_src_id._serial_contains_any(locations):
                continue
            errors.append(
                _(
                    "%(serial)s is not in %(location)s, where %(repair)s takes it "
                    "from (it is at: %(where)s)",
                    serial=repair.lot_id.name,
                    location=repair.product_location_src_id.display_name,
                    repair=repair.name,
                    where=repair.lot_id._serial_whereabouts(locations),
                )
            )
        return errors

    def _serial_check_parts_taken_out(self):
        """Parts to take out must be inside the unit, as its genealogy has it
        now. A serial with no record yet (a part the unit came with, named
        only now) may be taken out; one recorded in stock, inside another
        unit or gone may not."""
        statuses = self._serial_status_labels()
        errors = []
        for repair in self:
            lines = repair._serial_part_lines(("remove", "recycle"))
            inside = repair.lot_id.serial_component_lot_ids
            foreign = lines.lot_id.filtered(
                lambda lot, inside=inside: (
                    lot not in inside and lot.serial_status not in (False, "planned")
                )
            )
            if not foreign:
                continue
            names = []
            for lot in foreign:
                # where it is recorded instead: its status, the unit it is in
                where = [statuses[lot.serial_status]]
                where += lot.serial_parent_lot_ids.mapped("name")
                names.append(f"{lot.name} ({', '.join(where)})")
            errors.append(
                _(
                    "These serial numbers are not inside %(unit)s and cannot "
                    "be taken out of it: %(names)s",
                    unit=repair.lot_id.name or repair.name,
                    names=", ".join(names),
                )
            )
        return errors
