# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Genealogy of serials: what a serial is made of, what it went into.

A component serial C went into a finished serial F when C left on a done
component move of a manufacturing order (to production) and F came out of a
done finished move of that same order. Unbuild moves carry no MO link, so an
unbuild never reads as "C made of F"; the links of a build stay as its history.
The recursive walk keeps one row per (start, serial, level, via, MO): bounded
by edges x depth even on diamonds, and the depth cap ends cycles (refurbish
loops).
"""

from collections import defaultdict

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

TRACE_MAX_DEPTH = 50

# The MO linking a serial to the next one, per direction.
LINK_SQL = {
    "down": SQL("cur_m.raw_material_production_id"),
    "up": SQL("cur_m.production_id"),
}

# Joins and conditions from a done move line ``cur`` of a serial to the move
# lines ``nxt`` of the serials one level further.
STEP_SQL = {
    # down: what the serial went into (component -> finished)
    "down": SQL("""
        JOIN stock_move cur_m ON cur_m.id = cur.move_id
        JOIN stock_location cur_l ON cur_l.id = cur.location_dest_id
        JOIN stock_move nxt_m
          ON nxt_m.production_id = cur_m.raw_material_production_id
        JOIN stock_move_line nxt ON nxt.move_id = nxt_m.id
        JOIN stock_location nxt_l ON nxt_l.id = nxt.location_id
       WHERE cur.state = 'done' AND nxt.state = 'done'
         AND cur_m.raw_material_production_id IS NOT NULL
         AND cur_l.usage = 'production' AND nxt_l.usage = 'production'
         AND nxt.lot_id IS NOT NULL AND nxt.lot_id <> cur.lot_id
    """),
    # up: what the serial is made of (finished -> component)
    "up": SQL("""
        JOIN stock_move cur_m ON cur_m.id = cur.move_id
        JOIN stock_location cur_l ON cur_l.id = cur.location_id
        JOIN stock_move nxt_m
          ON nxt_m.raw_material_production_id = cur_m.production_id
        JOIN stock_move_line nxt ON nxt.move_id = nxt_m.id
        JOIN stock_location nxt_l ON nxt_l.id = nxt.location_dest_id
       WHERE cur.state = 'done' AND nxt.state = 'done'
         AND cur_m.production_id IS NOT NULL
         AND cur_l.usage = 'production' AND nxt_l.usage = 'production'
         AND nxt.lot_id IS NOT NULL AND nxt.lot_id <> cur.lot_id
    """),
}


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_component_lot_ids = fields.Many2many(
        "stock.lot",
        relation="stock_lot_serial_component_rel",
        column1="lot_id",
        column2="component_id",
        string="Components",
        compute="_compute_serial_genealogy",
        help="Serials and lots consumed to build this one.",
    )
    serial_parent_lot_ids = fields.Many2many(
        "stock.lot",
        relation="stock_lot_serial_parent_rel",
        column1="lot_id",
        column2="parent_id",
        string="Used In",
        compute="_compute_serial_genealogy",
        help="Serials built with this one as a component.",
    )
    serial_component_all_lot_ids = fields.Many2many(
        "stock.lot",
        relation="stock_lot_serial_component_all_rel",
        column1="lot_id",
        column2="component_id",
        string="All Components",
        compute="_compute_serial_genealogy_all",
        help="Components at any depth, through sub-assemblies.",
    )
    serial_parent_all_lot_ids = fields.Many2many(
        "stock.lot",
        relation="stock_lot_serial_parent_all_rel",
        column1="lot_id",
        column2="parent_id",
        string="Ends Up In",
        compute="_compute_serial_genealogy_all",
        help="Everything built with this serial, at any depth.",
    )
    serial_has_genealogy = fields.Boolean(compute="_compute_serial_genealogy")
    serial_components_deep = fields.Boolean(
        compute="_compute_serial_genealogy_all",
        help="Technical: some components are more than one level down.",
    )
    serial_parents_deep = fields.Boolean(
        compute="_compute_serial_genealogy_all",
        help="Technical: it went into something more than one level up.",
    )

    def _compute_serial_genealogy(self):
        lots = self.filtered("id")
        components = lots._serial_neighbours("up")
        parents = lots._serial_neighbours("down")
        for lot in self:
            lot_id = lot._origin.id
            lot.serial_component_lot_ids = [
                fields.Command.set(components.get(lot_id, []))
            ]
            lot.serial_parent_lot_ids = [fields.Command.set(parents.get(lot_id, []))]
            lot.serial_has_genealogy = bool(
                components.get(lot_id) or parents.get(lot_id)
            )

    def _compute_serial_genealogy_all(self):
        lots = self._origin.filtered("id")
        found = {"up": defaultdict(list), "down": defaultdict(list)}
        deep = {"up": set(), "down": set()}
        for direction, by_start in found.items():
            for row in lots._serial_trace_rows(direction):
                if row["level"] > 0 and row["lot_id"] != row["start_id"]:
                    by_start[row["start_id"]].append(row["lot_id"])
                if row["level"] > 1:
                    deep[direction].add(row["start_id"])
        for lot in self:
            lot_id = lot._origin.id
            lot.serial_components_deep = lot_id in deep["up"]
            lot.serial_parents_deep = lot_id in deep["down"]
            lot.serial_component_all_lot_ids = [
                fields.Command.set(found["up"].get(lot_id, []))
            ]
            lot.serial_parent_all_lot_ids = [
                fields.Command.set(found["down"].get(lot_id, []))
            ]

    def _serial_neighbours(self, direction):
        """{lot id: [ids of its direct components (``up``) or of what it went
        into (``down``)]} for these lots, in one query."""
        ids = [lot_id for lot_id in self._origin.ids if lot_id]
        if not ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT cur.lot_id, array_agg(DISTINCT nxt.lot_id)
                  FROM stock_move_line cur
                %(step)s
                   AND cur.lot_id = ANY(%(ids)s)
                 GROUP BY cur.lot_id
                """,
                step=STEP_SQL[direction],
                ids=ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _serial_trace_rows(self, direction, max_depth=None):
        """Walk the genealogy from these lots, ``down`` (what they went into)
        or ``up`` (what they are made of), to any depth (or ``max_depth``
        levels), in one recursive query.

        :return: list of dicts ``start_id, lot_id, level, via_lot_id,
            production_id``, one per (start, reached lot) at its smallest
            level; the starts themselves come at level 0. ``via_lot_id`` is
            the lot one level closer to the start and ``production_id`` the
            MO that links them.
        """
        if direction not in STEP_SQL:
            raise UserError(_("Unknown trace direction: %(dir)s", dir=direction))
        ids = [lot_id for lot_id in self._origin.ids if lot_id]
        if not ids:
            return []
        depth = min(max_depth or TRACE_MAX_DEPTH, TRACE_MAX_DEPTH)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE trace(start_id, lot_id, level, via_lot_id,
                                     production_id) AS (
                    SELECT s, s, 0, NULL::integer, NULL::integer
                      FROM unnest(%(starts)s::integer[]) AS s
                    UNION
                    SELECT t.start_id, nxt.lot_id, t.level + 1, t.lot_id, %(link)s
                      FROM trace t
                      JOIN stock_move_line cur
                        ON cur.lot_id = t.lot_id AND t.level < %(depth)s
                    %(step)s
                )
                SELECT DISTINCT ON (start_id, lot_id)
                       start_id, lot_id, level, via_lot_id, production_id
                  FROM trace
                 ORDER BY start_id, lot_id, level, via_lot_id NULLS FIRST
                """,
                starts=ids,
                depth=depth,
                link=LINK_SQL[direction],
                step=STEP_SQL[direction],
            )
        )
        return self.env.cr.dictfetchall()

    def action_serial_trace(self):
        """Open the recall/trace wizard on these serials or lots, already
        traced: down (where they went) when they were used in something,
        else up (what they are made of)."""
        if not self:
            raise UserError(_("Select the serial numbers or lots to trace."))
        direction = "down" if self._serial_neighbours("down") else "up"
        if direction == "up" and not self._serial_neighbours("up"):
            direction = "down"
        trace = self.env["stock.serial.trace"].create(
            {
                "lot_id": self[0].id,
                "extra_lot_ids": [fields.Command.set(self[1:].ids)],
                "direction": direction,
                "company_id": (self[0].company_id or self.env.company).id,
            }
        )
        trace.action_trace()
        return trace._serial_reopen()
