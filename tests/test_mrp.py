# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialMrp(SerialCase):
    """Manufacturing serials (C8): numbering of finished serials, consumption,
    unbuild, genealogy and the recall/trace wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._battery_pack()
        cls.bike = cls._serial_product(
            "E-Bike",
            "EB",
            serial_auto_generate=True,
            serial_format="[[CODE]]-[[INCNUM,NONE,4,1]]",
        )
        cls.screw = cls.env["product.product"].create(
            {"name": "Screw", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.screw, cls.stock, 1000)
        cls.bom_bike = cls._bom(cls.bike, [(cls.pack, 1), (cls.screw, 2)])
        cls.customer2 = cls.env["res.partner"].create({"name": "Second Customer"})

    # ------------------------------------------------------------------ numbering
    def test_single_mo_numbering_consumption_and_labels(self):
        self._receive(["CELL-1"], product=self.cell)
        cell = self._lots(["CELL-1"], self.cell)
        production = self._mo(self.pack)
        pack = production.lot_producing_id
        self.assertEqual(pack.name, "PK-0001", "numbered from the product format")
        self.assertEqual(pack.serial_status, "planned")
        pack = self._produce(production, cell)
        self.assertEqual(pack.name, "PK-0001")
        self.assertEqual(pack.serial_status, "received")
        self.assertEqual(pack.production_id, production)
        self.assertEqual(cell.serial_status, "consumed")
        self.assertEqual(cell.consumed_production_id, production)
        self.assertEqual(self._history_types(pack), ["build"])
        self.assertEqual(self._history_types(cell)[0], "consume")
        # genealogy both ways
        self.assertEqual(pack.serial_component_lot_ids, cell)
        self.assertEqual(cell.serial_parent_lot_ids, pack)
        self.assertTrue(pack.serial_has_genealogy)
        # no operations in the bill of materials: no work step either
        self.assertFalse(cell.serial_consumed_operation_id)
        self.assertFalse(cell.serial_history_ids.workorder_id)
        # labels of the finished serial from the MO
        action = production.serial_action_print_labels()
        self.assertEqual(action["context"]["default_lot_ids"], [Command.set(pack.ids)])

    def test_components_recorded_per_work_order(self):
        """A bill of materials that consumes its components in operations:
        each component's history shows the work order and operation that
        consumed it, and the finished serial's genealogy lists them."""
        self.env.user.groups_id += self.env.ref("mrp.group_mrp_routings")
        case = self._serial_product("Pack Case", "CASE")
        cells_line, assembly = self.env["mrp.workcenter"].create(
            [{"name": "Cell Line"}, {"name": "Assembly Bench"}]
        )
        bom = self._bom(self.pack, [(self.cell, 1), (case, 1)])
        bom.operation_ids = [
            Command.create({"name": "Fit cells", "workcenter_id": cells_line.id}),
            Command.create({"name": "Close case", "workcenter_id": assembly.id}),
        ]
        fit, close = bom.operation_ids
        for line in bom.bom_line_ids:
            line.operation_id = fit if line.product_id == self.cell else close
        self._receive(["CELL-W1"], product=self.cell)
        self._receive(["CASE-W1"], product=case)
        cell = self._lots(["CELL-W1"], self.cell)
        case_lot = self._lots(["CASE-W1"], case)

        production = self._mo(self.pack, bom=bom)
        self.assertEqual(len(production.workorder_ids), 2)
        pack = self._produce(production, cell | case_lot)

        by_operation = {wo.operation_id: wo for wo in production.workorder_ids}
        for lot, operation in ((cell, fit), (case_lot, close)):
            consume = lot.serial_history_ids.filtered(
                lambda h: h.move_type == "consume"
            )
            self.assertEqual(consume.operation_id, operation)
            self.assertEqual(consume.workorder_id, by_operation[operation])
            self.assertEqual(lot.serial_consumed_operation_id, operation)
            self.assertEqual(lot.serial_consumed_workorder_id, by_operation[operation])
        self.assertEqual(pack.serial_component_lot_ids, cell | case_lot)
        self.assertEqual(
            {
                lot.name: lot.serial_consumed_operation_id.name
                for lot in pack.serial_component_lot_ids
            },
            {"CELL-W1": "Fit cells", "CASE-W1": "Close case"},
        )
        # the finished serial itself was not consumed by any step
        self.assertFalse(pack.serial_consumed_workorder_id)

    def test_generate_serial_uses_format(self):
        """Without auto-numbering, Odoo's Generate button still numbers from
        the product's format instead of the global sequence."""
        product = self._serial_product(
            "Gauge", "GA", serial_format="GA-[[INCNUM,NONE,3,7]]"
        )
        self._bom(product, [(self.screw, 1)])
        production = self._mo(product)
        self.assertFalse(production.lot_producing_id)
        production.action_generate_serial()
        self.assertEqual(production.lot_producing_id.name, "GA-007")
        lot = self._produce(production)
        self.assertEqual(lot.name, "GA-007")
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(product._serial_preview_name(), "GA-008")

    def test_finished_entry_wizard_replaces_serial(self):
        self._receive(["CELL-2"], product=self.cell)
        production = self._mo(self.pack)
        self.assertEqual(production.lot_producing_id.name, "PK-0001")
        action = production.serial_action_open_finished_entry()
        self.assertEqual(action["res_model"], "stock.serial.entry")
        entry = self.env["stock.serial.entry"].with_context(**action["context"])
        defaults = entry.create({})
        self.assertEqual(defaults.mode, "add")
        self.assertEqual(defaults.required_count, 1)
        self.assertEqual(defaults._names(), ["PK-0001"])
        self.assertFalse(defaults.split_notice, "one unit: nothing is split")
        wizard = entry.create({"serial_names": False, "serial_text": "PK-HAND-7"})
        wizard.action_apply()
        self.assertEqual(production.lot_producing_id.name, "PK-HAND-7")
        pack = self._produce(production, self._lots(["CELL-2"], self.cell))
        self.assertEqual(pack.name, "PK-HAND-7")
        self.assertEqual(pack.serial_status, "received")
        self.assertEqual(pack.production_id, production)

    def test_finished_entry_wizard_several_serials_split_mo(self):
        self._receive(["CELL-A", "CELL-B", "CELL-C"], product=self.cell)
        production = self._mo(self.pack, qty=3)
        wizard = self._entry(
            production.move_finished_ids.filtered(lambda m: m.product_id == self.pack)
        )
        self.assertEqual((wizard.mode, wizard.input_method), ("add", "auto"))
        self.assertEqual(wizard.required_count, 3)
        wizard.action_add()
        self.assertEqual(wizard._names(), ["PK-0001", "PK-0002", "PK-0003"])
        # said before applying, not discovered after
        self.assertIn(f"splits {production.name} into 3", wizard.split_notice)
        wizard.action_apply()
        productions = production.procurement_group_id.mrp_production_ids
        self.assertEqual(len(productions), 3, "one MO per serial")
        self.assertEqual(
            sorted(productions.lot_producing_id.mapped("name")),
            ["PK-0001", "PK-0002", "PK-0003"],
        )
        cells = self._lots(["CELL-A", "CELL-B", "CELL-C"], self.cell)
        for mo, cell in zip(productions, cells, strict=True):
            self._produce(mo, cell)
        packs = productions.lot_producing_id
        self.assertEqual(set(packs.mapped("serial_status")), {"received"})
        for mo in productions:
            self.assertEqual(mo.lot_producing_id.production_id, mo)
            self.assertEqual(
                mo.lot_producing_id.serial_component_lot_ids.product_id, self.cell
            )

    def test_mass_production_of_20_serials(self):
        drone = self._serial_product(
            "Drone",
            "DR",
            serial_auto_generate=True,
            serial_format="DR-[[INCNUM,NONE,3,1]]",
        )
        self._bom(drone, [(self.screw, 1)])
        production = self._mo(drone, qty=20)
        action = production.action_mass_produce()
        form = Form(self.env["mrp.batch.produce"].with_context(**action["context"]))
        self.assertTrue(form.serial_from_format)
        self.assertEqual(form.lot_name, "DR-001", "preview, nothing consumed yet")
        self.assertEqual(form.lot_qty, 20)
        batch = form.save()
        batch.action_generate_production_text()
        expected = [f"DR-{n:03d}" for n in range(1, 21)]
        self.assertEqual(batch.production_text.split("\n"), expected)
        batch.action_done()
        productions = production.procurement_group_id.mrp_production_ids
        self.assertEqual(len(productions), 20)
        self.assertEqual(set(productions.mapped("state")), {"done"})
        lots = self.env["stock.lot"].search([("product_id", "=", drone.id)])
        self.assertEqual(sorted(lots.mapped("name")), expected)
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        for mo in productions:
            self.assertEqual(mo.lot_producing_id.production_id, mo)
        self.assertEqual(drone.qty_available, 20)
        self.assertEqual(drone._serial_preview_name(), "DR-021")

    def test_mass_production_starts_from_generated_serial(self):
        product = self._serial_product(
            "Valve", "VA", serial_format="VA-[[INCNUM,NONE,2,1]]"
        )
        self._bom(product, [(self.screw, 1)])
        production = self._mo(product, qty=3)
        production.action_generate_serial()
        self.assertEqual(production.lot_producing_id.name, "VA-01")
        action = production.action_mass_produce()
        batch = Form(
            self.env["mrp.batch.produce"].with_context(**action["context"])
        ).save()
        self.assertEqual(batch.lot_name, "VA-01")
        batch.action_generate_production_text()
        self.assertEqual(batch.production_text.split("\n"), ["VA-01", "VA-02", "VA-03"])
        # Unticked: Odoo's own numbering from the typed first serial.
        batch.write({"serial_from_format": False, "lot_name": "X-10", "lot_qty": 2})
        batch.action_generate_production_text()
        self.assertEqual(batch.production_text.split("\n"), ["X-10", "X-11"])

    # ------------------------------------------------------------------ unbuild
    def test_unbuild_brings_components_back(self):
        self._receive(["CELL-9"], product=self.cell)
        cell = self._lots(["CELL-9"], self.cell)
        production = self._mo(self.pack)
        pack = self._produce(production, cell)
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": self.pack.id,
                "mo_id": production.id,
                "lot_id": pack.id,
                "product_qty": 1,
            }
        )
        unbuild.action_unbuild()
        self.assertEqual(cell.serial_status, "received", "back in stock")
        self.assertEqual(cell.location_id, self.stock)
        self.assertEqual(pack.serial_status, "consumed", "the unbuilt serial is gone")
        self.assertEqual(self._history_types(cell)[0], "unbuild")
        self.assertEqual(self._history_types(pack)[0], "unbuild")
        # The genealogy keeps what the pack was built from; the trace shows
        # that it was unbuilt.
        self.assertEqual(pack.serial_component_lot_ids, cell)
        line = self._trace(cell).line_ids.filtered(lambda li: li.lot_id == pack)
        self.assertEqual(line.last_move_type, "unbuild")
        self.assertEqual(line.document_ref, unbuild.name)
        # The cell can be built in again.
        second = self._produce(self._mo(self.pack), cell)
        self.assertEqual(second.name, "PK-0002")
        self.assertEqual(cell.serial_status, "consumed")
        cell.invalidate_recordset()
        self.assertEqual(cell.serial_parent_lot_ids, pack | second)

    def test_unbuilt_serial_produced_again(self):
        """A rework: the unit unbuilt is built again under its own serial, in
        stock again, its history keeping the first build and the unbuild."""
        self._receive(["CELL-7"], product=self.cell)
        cell = self._lots(["CELL-7"], self.cell)
        production = self._mo(self.pack)
        pack = self._produce(production, cell)
        self.env["mrp.unbuild"].create(
            {
                "product_id": self.pack.id,
                "mo_id": production.id,
                "lot_id": pack.id,
                "product_qty": 1,
            }
        ).action_unbuild()
        self.assertEqual(pack.serial_status, "consumed")
        rework = self._mo(self.pack)
        rework.lot_producing_id = pack
        self.assertEqual(self._produce(rework, cell), pack)
        pack.invalidate_recordset()
        self.assertEqual(pack.serial_status, "received")
        self.assertEqual(pack.production_id, rework)
        self.assertEqual(self._history_types(pack), ["build", "unbuild", "build"])

    # ------------------------------------------------------------------ genealogy
    def _build_bike(self):
        self._receive(["CELL-1"], product=self.cell)
        cell = self._lots(["CELL-1"], self.cell)
        mo_pack = self._mo(self.pack)
        pack = self._produce(mo_pack, cell)
        mo_bike = self._mo(self.bike)
        bike = self._produce(mo_bike, pack)
        return cell, pack, bike, mo_pack, mo_bike

    def test_two_level_genealogy_and_trace(self):
        cell, pack, bike, mo_pack, mo_bike = self._build_bike()
        self.assertEqual(bike.name, "EB-0001")
        delivery = self._deliver(bike)
        self.assertEqual(bike.serial_status, "shipped")
        self.assertEqual(pack.serial_status, "consumed")
        self.assertEqual(pack.consumed_production_id, mo_bike)
        # direct and any-depth genealogy on the form
        self.assertEqual(bike.serial_component_lot_ids, pack)
        self.assertEqual(bike.serial_component_all_lot_ids, pack | cell)
        self.assertTrue(bike.serial_components_deep)
        self.assertEqual(cell.serial_parent_lot_ids, pack)
        self.assertEqual(cell.serial_parent_all_lot_ids, pack | bike)
        self.assertEqual(pack.serial_parent_lot_ids, bike)
        self.assertEqual(pack.serial_component_lot_ids, cell)
        self.assertFalse(pack.serial_components_deep)
        # recall: from the component down to the customer
        trace = self._trace(cell, "down")
        self.assertEqual(self._levels(trace), {"CELL-1": 0, "PK-0001": 1, "EB-0001": 2})
        line = trace.line_ids.filtered(lambda li: li.lot_id == bike)
        self.assertEqual(line.serial_status, "shipped")
        self.assertEqual(line.customer_id, self.customer)
        self.assertTrue(line.delivery_date)
        self.assertEqual(line.document_ref, delivery.name)
        self.assertEqual(line.document_model, "stock.picking")
        self.assertEqual(line.via_lot_id, pack)
        self.assertEqual(line.production_id, mo_bike)
        self.assertEqual(trace.customer_ids, self.customer)
        self.assertIn("Serial Customer", trace.customer_summary)
        self.assertIn("EB-0001", trace.customer_summary)
        self.assertEqual(
            line.action_open_document()["res_id"], delivery.id, "document clickable"
        )
        # depth limit
        self.assertEqual(
            self._levels(self._trace(cell, "down", max_depth=1)),
            {"CELL-1": 0, "PK-0001": 1},
        )
        # what the bike is made of
        trace = self._trace(bike, "up")
        self.assertEqual(self._levels(trace), {"EB-0001": 0, "PK-0001": 1, "CELL-1": 2})
        self.assertFalse(trace.customer_ids - self.customer)
        # from the serial form: opens the wizard already traced, down
        action = cell.action_serial_trace()
        trace = self.env["stock.serial.trace"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "stock.serial.trace")
        # a dialog over the serial, not a page with a pager and a New button
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["dialog_size"], "extra-large")
        self.assertEqual((trace.direction, trace.line_count), ("down", 3))
        action = bike.action_serial_trace()
        trace = self.env["stock.serial.trace"].browse(action["res_id"])
        self.assertEqual((trace.direction, trace.line_count), ("up", 3))

    def test_recall_from_component_lot_and_export(self):
        powder = self.lot_product
        sensor = self._serial_product(
            "Sensor",
            "SE",
            serial_auto_generate=True,
            serial_format="SE-[[INCNUM,NONE,3,1]]",
        )
        self._bom(sensor, [(powder, 1)])
        batch = self.env["stock.lot"].create(
            {"name": "BATCH-7", "product_id": powder.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            powder, self.stock, 5, lot_id=batch
        )
        sensors = self.env["stock.lot"]
        for _i in range(3):
            production = self._mo(sensor)
            production.action_assign()
            sensors |= self._produce(production)
        self.assertEqual(sensors.mapped("name"), ["SE-001", "SE-002", "SE-003"])
        tricky = self.env["res.partner"].create(
            {"name": '=HYPERLINK("http://evil.example","x")', "email": "t@example.com"}
        )
        self._deliver(sensors[:2])
        self._deliver(sensors[2], partner=tricky)
        trace = self._trace(batch, "down")
        self.assertEqual(
            self._levels(trace), {"BATCH-7": 0, "SE-001": 1, "SE-002": 1, "SE-003": 1}
        )
        self.assertEqual(trace.customer_ids, self.customer | tricky)
        self.assertEqual(trace.customer_count, 2)
        # export
        action = trace.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.name, "trace-BATCH-7.xlsx")
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(attachment.datas))
        )
        self.assertEqual(workbook.sheetnames, ["Trace", "Customers"])
        rows = list(workbook["Trace"].iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(
            header[:5],
            ("Level", "Serial / Lot", "Product", "Internal Reference", "Status"),
        )
        by_serial = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
        self.assertEqual(set(by_serial), {"BATCH-7", "SE-001", "SE-002", "SE-003"})
        self.assertEqual(by_serial["SE-001"]["Status"], "Shipped")
        self.assertEqual(by_serial["SE-001"]["Customer"], "Serial Customer")
        self.assertEqual(by_serial["SE-001"]["Level"], 1)
        self.assertTrue(by_serial["SE-001"]["Delivery Date"])
        # A formula-looking name is exported as text, never as a formula.
        self.assertEqual(by_serial["SE-003"]["Customer"], "'" + tricky.display_name)
        customers = list(workbook["Customers"].iter_rows(values_only=True))
        self.assertEqual(customers[0][:4], ("Customer", "Email", "Phone", "Serials"))
        counts = {row[0]: (row[3], row[4]) for row in customers[1:]}
        self.assertEqual(counts["Serial Customer"], (2, "SE-001, SE-002"))
        self.assertEqual(counts["'" + tricky.display_name], (1, "SE-003"))

    def test_trace_several_starts_and_access(self):
        cell, pack, bike, _mo_pack, _mo_bike = self._build_bike()
        self._receive(["CELL-X"], product=self.cell)
        other = self._lots(["CELL-X"], self.cell)
        action = (cell | other).action_serial_trace()
        trace = self.env["stock.serial.trace"].browse(action["res_id"])
        self.assertEqual(trace.lot_id, cell)
        self.assertEqual(trace.extra_lot_ids, other)
        self.assertEqual(
            set(trace.line_ids.lot_id.mapped("name")),
            {"CELL-1", "CELL-X", "PK-0001", "EB-0001"},
        )
        user = new_test_user(
            self.env, login="trace_user", groups="stock.group_stock_user"
        )
        trace = (
            self.env["stock.serial.trace"]
            .with_user(user)
            .create({"lot_id": cell.id, "direction": "down"})
        )
        trace.action_trace()
        self.assertEqual(trace.line_count, 3)
        portal = new_test_user(
            self.env, login="trace_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env["stock.serial.trace"].with_user(portal).create(
                {"lot_id": cell.id, "direction": "down"}
            )
