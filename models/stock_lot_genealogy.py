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

Repairs change what a unit is made of. A part fitted by a repair order on a
serial (a done ``add`` move of the order) is a component of that serial from
then on; a part taken out (a done ``remove`` or ``recycle`` move) is no longer
one, from then on, whether a manufacturing order or an earlier repair put it
in. The genealogy and the trace follow the unit as it is now; the trace can
also show the parts taken out, as the unit was (``include_removed``). Both
moves stay in the history of the part.
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


# The repairs linking a serial to the next one, per direction: ``down`` from a
# part (``cur``, its fitting move line) to the unit it was fitted into, ``up``
# from a unit (``%(lot)s``) to the parts fitted into it (``nxt``).
REPAIR_STEP_SQL = {
    "down": """
        SELECT ro.lot_id AS lot_id, ro.id AS repair_id, cur.date AS linked_date,
               cur.id AS linked_line_id
          FROM stock_move_line cur
          JOIN stock_move cur_m ON cur_m.id = cur.move_id
          JOIN repair_order ro ON ro.id = cur_m.repair_id
         WHERE cur.lot_id = %(lot)s AND cur.state = 'done'
           AND cur_m.repair_line_type = 'add'
           AND ro.lot_id IS NOT NULL AND ro.lot_id <> cur.lot_id
    """,
    "up": """
        SELECT nxt.lot_id AS lot_id, ro.id AS repair_id, nxt.date AS linked_date,
               nxt.id AS linked_line_id
          FROM repair_order ro
          JOIN stock_move nxt_m
            ON nxt_m.repair_id = ro.id AND nxt_m.repair_line_type = 'add'
          JOIN stock_move_line nxt ON nxt.move_id = nxt_m.id
         WHERE ro.lot_id = %(lot)s AND nxt.state = 'done'
           AND nxt.lot_id IS NOT NULL AND nxt.lot_id <> ro.lot_id
    """,
}


def genealogy_step_sql(direction, lot):
    """The serials one level from the serial ``lot`` (an SQL expression), in
    ``direction``: rows ``lot_id, production_id, repair_id`` (the MO or the
    repair that links them) and ``removed_repair_id``, the repair that took
    the part out of the unit since (NULL while it is inside)."""
    if direction == "down":
        unit, part = SQL("n.lot_id"), lot
    else:
        unit, part = lot, SQL("n.lot_id")
    return SQL(
        """
        SELECT n.lot_id, n.production_id, n.repair_id,
               removed.repair_id AS removed_repair_id
          FROM (
            SELECT nxt.lot_id, %(link)s AS production_id,
                   NULL::integer AS repair_id,
                   %(linked)s.date AS linked_date, %(linked)s.id AS linked_line_id
              FROM stock_move_line cur
            %(step)s
               AND cur.lot_id = %(lot)s
            UNION ALL
            SELECT lot_id, NULL::integer, repair_id, linked_date, linked_line_id
              FROM (%(repair_step)s) fitted
          ) n
          LEFT JOIN LATERAL (
            SELECT out_m.repair_id
              FROM stock_move_line out_ml
              JOIN stock_move out_m ON out_m.id = out_ml.move_id
              JOIN repair_order out_ro ON out_ro.id = out_m.repair_id
             WHERE out_ml.lot_id = %(part)s AND out_ml.state = 'done'
               AND out_m.repair_line_type IN ('remove', 'recycle')
               AND out_ro.lot_id = %(unit)s
               -- taken out after it went in (the later line among equal dates)
               AND (out_ml.date, out_ml.id) > (n.linked_date, n.linked_line_id)
             ORDER BY out_ml.date, out_ml.id
             LIMIT 1
          ) removed ON TRUE
        """,
        link=LINK_SQL[direction],
        # the line that put the part in: its consumption, from either side
        linked=SQL("cur" if direction == "down" else "nxt"),
        step=STEP_SQL[direction],
        lot=lot,
        repair_step=SQL(REPAIR_STEP_SQL[direction], lot=lot),
        part=part,
        unit=unit,
    )


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
                SELECT s.lot_id, array_agg(DISTINCT n.lot_id)
                  FROM unnest(%(ids)s::integer[]) AS s(lot_id)
                 CROSS JOIN LATERAL (%(step)s) n
                 WHERE n.removed_repair_id IS NULL
                 GROUP BY s.lot_id
                """,
                step=genealogy_step_sql(direction, SQL("s.lot_id")),
                ids=ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _serial_trace_rows(self, direction, max_depth=None, include_removed=False):
        """Walk the genealogy from these lots, ``down`` (what they went into)
        or ``up`` (what they are made of), to any depth (or ``max_depth``
        levels), in one recursive query: as the units are now, or with
        ``include_removed`` also through the parts repairs took out of them.

        :return: list of dicts ``start_id, lot_id, level, via_lot_id,
            production_id, repair_id, removed_repair_id``, one per (start,
            reached lot) at its smallest level (a part inside before one taken
            out); the starts themselves come at level 0. ``via_lot_id`` is
            the lot one level closer to the start, ``production_id`` the MO
            or ``repair_id`` the repair that links them, ``removed_repair_id``
            the repair that took the part out since.
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
                                     production_id, repair_id,
                                     removed_repair_id) AS (
                    SELECT s, s, 0, NULL::integer, NULL::integer,
                           NULL::integer, NULL::integer
                      FROM unnest(%(starts)s::integer[]) AS s
                    UNION
                    SELECT t.start_id, n.lot_id, t.level + 1, t.lot_id,
                           n.production_id, n.repair_id, n.removed_repair_id
                      FROM trace t
                     CROSS JOIN LATERAL (%(step)s) n
                     WHERE t.level < %(depth)s
                       AND (%(include_removed)s OR n.removed_repair_id IS NULL)
                )
                SELECT DISTINCT ON (start_id, lot_id)
                       start_id, lot_id, level, via_lot_id, production_id,
                       repair_id, removed_repair_id
                  FROM trace
                 ORDER BY start_id, lot_id, level,
                          removed_repair_id IS NOT NULL, via_lot_id NULLS FIRST
                """,
                starts=ids,
                depth=depth,
                step=genealogy_step_sql(direction, SQL("t.lot_id")),
                include_removed=bool(include_removed),
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
