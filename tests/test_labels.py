# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import contextlib
import io
import re
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.pdf import PdfFileReader

from ..lib import label_barcode, label_layout
from .common import SerialCase

PDF_REPORT = "stock_serial_tracking.action_report_serial_label"
ZPL_REPORT = "stock_serial_tracking.action_report_serial_label_zpl"
ALL_FIELDS = ["product", "default_code", "serial", "company", "received_date"]
MM_PER_PT = 25.4 / 72

try:
    import zxingcpp
except ImportError:  # test dependency (requirements.txt); decoding is skipped
    zxingcpp = None


@tagged("post_install", "-at_install")
class TestSerialLabels(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "name": "Serial Labs",
                "serial_allowed_chars": "A-Za-z0-9 _/,.^~#ÄÖÜß序列号-",
            }
        )
        cls.names = [f"SN-L-{index:04d}" for index in range(1, 8)]
        cls.lots = cls.env["stock.lot"].create(
            [
                {
                    "name": name,
                    "product_id": cls.product.id,
                    "company_id": cls.company.id,
                }
                for name in cls.names
            ]
        )
        cls.lots.write({"received_date": datetime(2026, 3, 14, 10, 0)})
        cls.long_lot, cls.odd_lot, cls.unicode_lot = cls.env["stock.lot"].create(
            [
                {
                    "name": name,
                    "product_id": cls.product2.id,
                    "company_id": cls.company.id,
                }
                for name in (
                    "LONG-SERIAL-0123456789-ABCDEFGHI",
                    "SN^XA~JA#1",
                    "ÄÖÜß-序列号-42",
                )
            ]
        )

    # ------------------------------------------------------------ helpers
    def _options(self, label_format, barcode_type="code128", fields=None, copies=1):
        return {
            "serial_label_options": {
                "label_format": label_format,
                "barcode_type": barcode_type,
                "fields": ALL_FIELDS if fields is None else fields,
                "copies": copies,
            }
        }

    def _pdf(self, lots, label_format, **options):
        data = self._options(label_format, **options)
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, serial_label_format=label_format
        )
        pdf, report_type = report._render_qweb_pdf(PDF_REPORT, lots.ids, data=data)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def _html(self, lots, label_format, **options):
        data = self._options(label_format, **options)
        html, _type = (
            self.env["ir.actions.report"]
            .with_context(serial_label_format=label_format)
            ._render_qweb_html(PDF_REPORT, lots.ids, data=data)
        )
        return html.decode()

    def _page_sizes_mm(self, pdf):
        reader = PdfFileReader(io.BytesIO(pdf))
        sizes = []
        for page in reader.pages:
            box = page.mediabox
            sizes.append(
                (
                    float(box.width) * MM_PER_PT,
                    float(box.height) * MM_PER_PT,
                )
            )
        return sizes

    def _need(self, binary):
        if not shutil.which(binary):
            self.skipTest(f"{binary} is not installed")

    def _pdftotext(self, pdf, *args):
        self._need("pdftotext")
        result = subprocess.run(
            ["pdftotext", *args, "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        return result.stdout.decode()

    def _word_boxes(self, pdf):
        """{word: [(x_min_mm, y_min_mm, x_max_mm, page), ...]} from pdftotext."""
        xhtml = self._pdftotext(pdf, "-bbox")
        boxes = {}
        page = 0
        for line in xhtml.splitlines():
            if "<page " in line:
                page += 1
            match = re.search(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">'
                r"([^<]*)</word>",
                line,
            )
            if match:
                x_min, y_min, x_max = (float(v) * MM_PER_PT for v in match.groups()[:3])
                boxes.setdefault(match.group(4), []).append((x_min, y_min, x_max, page))
        # pdftotext may read a sheet column by column: put labels in row order.
        for found in boxes.values():
            found.sort(key=lambda box: (box[3], round(box[1]), box[0]))
        return boxes

    def _decode(self, pdf, dpi=300):
        """Texts of the barcodes found on each page, rendered at ``dpi``."""
        if zxingcpp is None:
            self.skipTest("zxing-cpp is not installed (see requirements.txt)")
        self._need("pdftoppm")
        from PIL import Image

        with tempfile.TemporaryDirectory() as folder:
            pdf_path = Path(folder) / "labels.pdf"
            pdf_path.write_bytes(pdf)
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf_path),
                 str(Path(folder) / "page")],
                check=True,
            )  # fmt: skip
            pages = []
            for png in sorted(Path(folder).glob("page-*.png")):
                with Image.open(png) as image:
                    found = zxingcpp.read_barcodes(image)
                    pages.append(
                        sorted(
                            (
                                result.text,
                                result.position.top_left.x * 25.4 / dpi,
                                result.position.top_left.y * 25.4 / dpi,
                            )
                            for result in found
                        )
                    )
            return pages

    # ------------------------------------------------------------ PDF output
    def test_single_label_formats_are_true_size(self):
        lots = self.lots[:3]
        for label_format, (width, height) in (
            ("50x25", (50, 25)),
            ("62x29", (62, 29)),
            ("100x50", (100, 50)),
        ):
            with self.subTest(label_format=label_format):
                pdf = self._pdf(lots, label_format, copies=2)
                sizes = self._page_sizes_mm(pdf)
                self.assertEqual(len(sizes), 6, "one page per label, 2 copies each")
                for page_width, page_height in sizes:
                    self.assertAlmostEqual(page_width, width, delta=0.5)
                    self.assertAlmostEqual(page_height, height, delta=0.5)
                text = self._pdftotext(pdf)
                for name in lots.mapped("name"):
                    self.assertEqual(text.count(name), 2)
                self.assertIn("[SW] Serial Widget", text)
                self.assertIn("Serial Labs", text)
                # The serial text spans about the label's printable width
                # (drawn at full size, not shrunk by wkhtmltopdf).
                boxes = self._word_boxes(pdf)
                x_min, _y, x_max, _page = boxes[lots[0].name][0]
                self.assertGreater(x_min, 1.0)
                self.assertLess(x_max, width - 1.0)
                self.assertAlmostEqual((x_min + x_max) / 2, width / 2, delta=1.0)

    def test_sheets_put_labels_at_their_true_place(self):
        for label_format, page_size in (
            ("a4_3x8", (210, 297)),
            ("letter_3x10", (215.9, 279.4)),
        ):
            fmt = label_layout.FORMATS[label_format]
            with self.subTest(label_format=label_format):
                # 7 serials x 4 copies = 28 labels: one full page and a bit.
                pdf = self._pdf(self.lots, label_format, copies=4)
                sizes = self._page_sizes_mm(pdf)
                expected_pages = -(-28 // fmt.per_page)
                self.assertEqual(len(sizes), expected_pages)
                for width, height in sizes:
                    self.assertAlmostEqual(width, page_size[0], delta=0.5)
                    self.assertAlmostEqual(height, page_size[1], delta=0.5)
                # Labels 1 and 2 of a row are one column pitch apart, labels 1
                # and 4 one row pitch apart: the sheet is not shrunk.
                boxes = self._word_boxes(pdf)
                first = boxes[self.names[0]]  # labels 1-4 (4 copies)
                second = boxes[self.names[1]]  # labels 5-8
                self.assertEqual(len(first), 4)
                centre = [(box[0] + box[2]) / 2 for box in first]
                self.assertAlmostEqual(centre[1] - centre[0], fmt.pitch_x, delta=0.6)
                self.assertAlmostEqual(centre[2] - centre[1], fmt.pitch_x, delta=0.6)
                self.assertAlmostEqual(
                    first[3][1] - first[0][1], fmt.pitch_y, delta=0.6
                )
                self.assertAlmostEqual(second[0][1] - first[3][1], 0, delta=0.6)
                self.assertAlmostEqual(
                    centre[0], fmt.left + fmt.label_width / 2, delta=0.8
                )

    def test_barcodes_scan_back_to_the_serial(self):
        lots = self.lots[:2] | self.long_lot | self.odd_lot | self.unicode_lot
        expected = sorted(lots.mapped("name"))
        for barcode_type in ("code128", "qr", "datamatrix"):
            with self.subTest(barcode_type=barcode_type):
                pdf = self._pdf(lots, "a4_3x8", barcode_type=barcode_type)
                pages = self._decode(pdf)
                self.assertEqual(len(pages), 1)
                self.assertEqual([found[0] for found in pages[0]], expected)
        # The smallest label with the longest serial still scans.
        pdf = self._pdf(self.long_lot | self.odd_lot, "50x25")
        decoded = [found[0] for page in self._decode(pdf) for found in page]
        self.assertEqual(decoded, [self.long_lot.name, self.odd_lot.name])

    def test_gs1_labels_carry_gtin_and_serial(self):
        self.product.barcode = "9501101020917"
        lots = self.lots[:2] | self.long_lot  # product2 has no GTIN
        for barcode_type in ("gs1_128", "gs1_datamatrix"):
            with self.subTest(barcode_type=barcode_type):
                pdf = self._pdf(lots, "a4_3x8", barcode_type=barcode_type)
                texts = [
                    found[0].replace("(", "").replace(")", "")
                    for found in self._decode(pdf)[0]
                ]
                gtin = "0109501101020917"
                expected = [f"{gtin}21SN-L-0001", f"{gtin}21SN-L-0002"]
                self.assertEqual(sorted(texts), sorted([*expected, self.long_lot.name]))
        # AI 21 takes 20 characters at most: a longer serial gets the plain code
        too_long = self.env["stock.lot"].create(
            {"name": "SERIAL-TOO-LONG-FOR-AI21", "product_id": self.product.id}
        )
        report = self.env["report.stock_serial_tracking.report_serial_label"]
        values = report._get_report_values(
            too_long.ids, self._options("a4_3x8", barcode_type="gs1_datamatrix")
        )
        self.assertEqual(values["pages"][0][0][2]["symbology"], "datamatrix")
        zpl_text, _type = self.env["ir.actions.report"]._render_qweb_text(
            ZPL_REPORT,
            self.lots[:1].ids,
            data=self._options("62x29", barcode_type="gs1_datamatrix"),
        )
        zpl_text = zpl_text.decode()
        self.assertIn("^FH_^FD~10109501101020917" + "21SN-L-0001^FS", zpl_text)

    def test_barcodes_are_inline_vectors(self):
        html = self._html(self.lots[:2], "62x29", barcode_type="datamatrix")
        self.assertNotIn("/report/barcode", html)
        self.assertEqual(html.count('src="data:image/svg+xml;base64,'), 2)
        # Code 128 cannot carry "序": that label gets a QR code instead.
        items = self.env[
            "report.stock_serial_tracking.report_serial_label"
        ]._get_report_values(
            self.unicode_lot.ids, self._options("a4_3x8", barcode_type="code128")
        )["pages"][0]
        self.assertEqual(items[0][2]["symbology"], "qr")
        # A 32-character serial fits a Code 128 on a 100 mm label, not with
        # printable bars on a 50 mm one: that label gets a QR code.
        report = self.env["report.stock_serial_tracking.report_serial_label"]
        for label_format, symbology in (("100x50", "code128"), ("50x25", "qr")):
            values = report._get_report_values(
                self.long_lot.ids, self._options(label_format)
            )
            self.assertEqual(values["pages"][0][0][2]["symbology"], symbology)

    def test_fields_shown_follow_the_options(self):
        html = self._html(self.lots[:1], "100x50", fields=["serial"])
        self.assertIn(self.names[0], html)
        self.assertNotIn("Serial Widget", html)
        self.assertNotIn("Serial Labs", html)
        html = self._html(self.lots[:1], "100x50", fields=["product", "company"])
        self.assertIn("Serial Widget", html)
        self.assertIn("Serial Labs", html)

    def test_print_menu_has_one_label_entry(self):
        reports = self.env["ir.actions.actions"].get_bindings("stock.lot")["report"]
        self.assertEqual(
            [vals["id"] for vals in reports],
            [self.env.ref("stock_serial_tracking.action_stock_serial_label_wizard").id],
        )

    def test_print_menu_uses_company_layout(self):
        report = self.env.ref(PDF_REPORT)
        self.company.serial_label_format = "62x29"
        self.assertEqual(
            report.get_paperformat(),
            self.env.ref("stock_serial_tracking.paperformat_serial_label_62x29"),
        )
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            PDF_REPORT, self.lots[:2].ids
        )
        sizes = self._page_sizes_mm(pdf)
        self.assertEqual(len(sizes), 2)
        self.assertAlmostEqual(sizes[0][0], 62, delta=0.5)
        self.assertAlmostEqual(sizes[0][1], 29, delta=0.5)
        # a designed format last used: its exact size (2 x 1 in), no record
        # of paper format needed
        designed = self._format(
            label_width_mm=50.8,
            label_height_mm=25.4,
            element_ids=[
                Command.create(
                    {"kind": "barcode", "barcode_type": "qr", "x_mm": 1,
                     "y_mm": 1, "width_mm": 20, "height_mm": 20}
                ),
                Command.create(
                    {"kind": "text", "field": "fixed", "text": "Handle-with-care",
                     "x_mm": 22, "y_mm": 2, "width_mm": 27, "height_mm": 4}
                ),
            ],
        )  # fmt: skip
        self.company.serial_label_format_id = designed
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            PDF_REPORT, self.lots[:1].ids
        )
        ((width, height),) = self._page_sizes_mm(pdf)
        self.assertAlmostEqual(width, 50.8, delta=0.05)
        self.assertAlmostEqual(height, 25.4, delta=0.05)
        self.assertIn("Handle-with-care", self._pdftotext(pdf))

    # ------------------------------------------------------------ ZPL
    def test_zpl_escapes_the_serial(self):
        lots = self.odd_lot | self.lots[:2]
        data = self._options("62x29", barcode_type="qr", copies=3)
        text, report_type = self.env["ir.actions.report"]._render_qweb_text(
            ZPL_REPORT, lots.ids, data=data
        )
        self.assertEqual(report_type, "text")
        zpl = text.decode()
        self.assertEqual(zpl.count("^XA"), 3, "one label block per serial")
        self.assertEqual(zpl.count("^XZ"), 3)
        self.assertEqual(zpl.count("^PQ3"), 3)
        self.assertIn("^PW496", zpl)  # 62 mm at 8 dots/mm
        self.assertIn("SN_5EXA_7EJA#1", zpl)
        self.assertNotIn("SN^XA", zpl)
        self.assertNotIn("~JA", zpl)
        self.assertNotIn("&amp;", zpl)

    # ------------------------------------------------------------ wizard
    def test_wizard_prints_and_remembers_layout(self):
        wizard_form = Form(
            self.env["stock.serial.label.wizard"].with_context(
                active_model="stock.lot", active_ids=self.lots[:3].ids
            )
        )
        fmt_100x50 = self.env.ref("stock_serial_tracking.label_format_100x50")
        wizard_form.format_id = fmt_100x50
        wizard_form.barcode_type = "datamatrix"
        wizard_form.show_company = True
        wizard_form.show_received_date = True
        wizard_form.show_default_code = False
        wizard_form.copies = 2
        self.assertEqual(wizard_form.label_count, 6)
        wizard = wizard_form.save()
        action = wizard.action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"], "stock_serial_tracking.report_serial_label"
        )
        self.assertEqual(action["context"]["serial_label_format"], "100x50")
        self.assertEqual(action["data"]["serial_lot_ids"], self.lots[:3].ids)
        self.assertEqual(
            action["data"]["serial_label_options"],
            {
                "label_format": "100x50",
                "format_id": fmt_100x50.id,
                "barcode_type": "datamatrix",
                "fields": ["product", "serial", "company", "received_date"],
                "copies": 2,
            },
        )
        self.assertEqual(self.company.serial_label_format, "100x50")
        self.assertEqual(self.company.serial_label_barcode_type, "datamatrix")
        self.assertFalse(self.company.serial_label_show_default_code)
        self.assertEqual(self.company.serial_label_copies, 2)
        self.assertEqual(self.company.serial_label_format_id, fmt_100x50)
        again = Form(self.env["stock.serial.label.wizard"])
        self.assertEqual(again.format_id, fmt_100x50)
        self.assertEqual(again.label_format, "100x50")
        self.assertEqual(again.barcode_type, "datamatrix")
        self.assertTrue(again.show_received_date)
        self.assertEqual(again.copies, 2)

    def test_wizard_zpl_and_bad_input(self):
        wizard = self.env["stock.serial.label.wizard"].create(
            {"lot_ids": [Command.set(self.lots[:2].ids)], "output": "zpl",
             "label_format": "50x25"}
        )  # fmt: skip
        action = wizard.action_print()
        self.assertEqual(action["report_type"], "qweb-text")
        wizard.label_format = "a4_3x8"
        with self.assertRaisesRegex(UserError, "single labels"):
            wizard.action_print()
        with self.assertRaisesRegex(ValidationError, "between 1 and 100"):
            wizard.copies = 0
        empty = self.env["stock.serial.label.wizard"].create({"label_format": "50x25"})
        with self.assertRaisesRegex(UserError, "no serial number"):
            empty.action_print()

    def test_stock_user_can_print(self):
        user = self.env["res.users"].create(
            {
                "name": "Label Printer",
                "login": "label_printer",
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        wizard = (
            self.env["stock.serial.label.wizard"]
            .with_user(user)
            .with_context(active_model="stock.lot", active_ids=self.lots[:1].ids)
            .create({"label_format": "50x25", "copies": 3})
        )
        wizard.action_print()
        self.assertEqual(self.company.serial_label_copies, 3)

    # ------------------------------------------------------------ documents
    def test_document_buttons_open_the_wizard_on_their_serials(self):
        picking = self._receive(["SN-DOC-1", "SN-DOC-2"])
        action = picking.serial_action_print_labels()
        self.assertEqual(action["res_model"], "stock.serial.label.wizard")
        wizard = (
            self.env["stock.serial.label.wizard"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(
            sorted(wizard.lot_ids.mapped("name")), ["SN-DOC-1", "SN-DOC-2"]
        )

        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_qty": 2,
                         "price_unit": 1.0}
                    )
                ],
            }
        )  # fmt: skip
        with self.assertRaisesRegex(UserError, "no serial numbers"):
            order.serial_action_print_labels()
        self.lots[:2].write({"purchase_line_id": order.order_line.id})
        action = order.serial_action_print_labels()
        self.assertEqual(
            action["context"]["default_lot_ids"], [Command.set(self.lots[:2].ids)]
        )

        production = self.env["mrp.production"].create(
            {"product_id": self.product.id, "product_qty": 1}
        )
        production.lot_producing_id = self.lots[2]
        action = production.serial_action_print_labels()
        self.assertEqual(
            action["context"]["default_lot_ids"], [Command.set(self.lots[2].ids)]
        )

    # ------------------------------------------------------------ scan to open
    def test_open_by_code(self):
        lot = self.lots[0]
        action = self.env["stock.lot"].serial_action_open_by_code(f"  {lot.name}\r")
        self.assertEqual(action["res_model"], "stock.lot")
        self.assertEqual(action["res_id"], lot.id)
        action = self.env["stock.lot"].serial_action_open_by_code(lot.name.lower())
        self.assertEqual(action["res_id"], lot.id)
        self.assertFalse(self.env["stock.lot"].serial_action_open_by_code("NOPE-404"))
        self.assertFalse(self.env["stock.lot"].serial_action_open_by_code("SN-L-00_1"))
        self.assertFalse(self.env["stock.lot"].serial_action_open_by_code("SN-L-%"))
        self.assertFalse(self.env["stock.lot"].serial_action_open_by_code(""))

    # ------------------------------------------------------------ label formats
    def _format(self, **values):
        vals = {
            "name": "Designed 60 x 30",
            "page_type": "single",
            "label_width_mm": 60,
            "label_height_mm": 30,
            "element_ids": [
                Command.create(
                    {"kind": "barcode", "barcode_type": "datamatrix", "x_mm": 2,
                     "y_mm": 2, "width_mm": 22, "height_mm": 22, "sequence": 1}
                ),
                Command.create(
                    {"kind": "text", "field": "serial", "x_mm": 26, "y_mm": 3,
                     "width_mm": 33, "height_mm": 5, "font_pt": 9, "bold": True,
                     "sequence": 2}
                ),
                Command.create(
                    {"kind": "text", "field": "fixed", "text": "Handle-with-care",
                     "x_mm": 26, "y_mm": 12, "width_mm": 33, "height_mm": 4,
                     "font_pt": 7, "sequence": 3}
                ),
                Command.create(
                    {"kind": "text", "field": "customer", "x_mm": 26, "y_mm": 18,
                     "width_mm": 33, "height_mm": 4, "font_pt": 7, "sequence": 4,
                     "align": "right"}
                ),
            ],
        }  # fmt: skip
        vals.update(values)
        return self.env["stock.serial.label.format"].create(vals)

    def _format_pdf(self, lots, fmt, copies=1):
        data = {
            "serial_label_options": {"format_id": fmt.id, "copies": copies},
            "serial_lot_ids": lots.ids,
        }
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, serial_label_format_id=fmt.id
        )
        pdf, _type = report._render_qweb_pdf(PDF_REPORT, lots.ids, data=data)
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def test_shipped_formats_are_records_and_print(self):
        formats = self.env["stock.serial.label.format"].search([("code", "!=", False)])
        self.assertEqual(
            sorted(formats.mapped("code")), sorted(label_layout.FORMATS.keys())
        )
        lots = self.lots[:2]
        for fmt in formats:
            shipped = label_layout.FORMATS[fmt.code]
            with self.subTest(code=fmt.code):
                self.assertTrue(fmt.standard_layout)
                self.assertEqual(
                    fmt.page_type, "sheet" if shipped.is_sheet else "single"
                )
                pdf = self._format_pdf(lots, fmt)
                (width, height), *_rest = self._page_sizes_mm(pdf)
                self.assertAlmostEqual(width, shipped.page_width, delta=0.5)
                self.assertAlmostEqual(height, shipped.page_height, delta=0.5)
                decoded = sorted(
                    found[0] for page in self._decode(pdf) for found in page
                )
                self.assertEqual(decoded, lots.mapped("name"))

    def test_designed_format_prints_elements_where_placed(self):
        self.lots[0].customer_id = self.customer
        fmt = self._format()
        pdf = self._format_pdf(self.lots[:2], fmt)
        sizes = self._page_sizes_mm(pdf)
        self.assertEqual(len(sizes), 2)
        self.assertAlmostEqual(sizes[0][0], 60, delta=0.5)
        self.assertAlmostEqual(sizes[0][1], 30, delta=0.5)
        boxes = self._word_boxes(pdf)
        x_min, y_min, _x_max, page = boxes[self.names[0]][0]
        self.assertEqual(page, 1)
        self.assertAlmostEqual(x_min, 26, delta=0.8)
        self.assertAlmostEqual(y_min, 3, delta=1.2)
        fixed = boxes["Handle-with-care"]
        self.assertEqual(len(fixed), 2, "fixed text on every label")
        self.assertAlmostEqual(fixed[0][0], 26, delta=0.8)
        # right aligned: the customer ends at the box's right edge (59 mm)
        self.assertAlmostEqual(boxes["Customer"][0][2], 59, delta=0.8)
        self.assertEqual(len(boxes["Customer"]), 1, "only the first has one")
        pages = self._decode(pdf)
        self.assertEqual([found[0][0] for found in pages], self.names[:2])
        # the Data Matrix fills its 22 mm box at (2, 2) mm: its corner is
        # one quiet zone (2 modules) further
        symbol = label_barcode.barcode_symbol("datamatrix", self.names[0])
        corner = 2 + 2 * 22 / symbol.width
        _text, left, top = pages[0][0]
        self.assertAlmostEqual(left, corner, delta=0.8)
        self.assertAlmostEqual(top, corner, delta=0.8)
        # the same definition as ZPL, at the chosen resolution
        fmt.zpl_dots_per_mm = "12"
        text, _type = self.env["ir.actions.report"]._render_qweb_text(
            ZPL_REPORT,
            self.lots[:1].ids,
            data={"serial_label_options": {"format_id": fmt.id}},
        )
        zpl = text.decode()
        self.assertIn("^PW720", zpl)  # 60 mm at 12 dots/mm
        self.assertIn("^LL360", zpl)
        self.assertIn("^FO312,36", zpl)  # serial text at (26, 3) mm
        self.assertIn("^FB396,1,0,R,0^FH_^FDSerial Customer^FS", zpl)
        self.assertIn("^FO24,24^BXN", zpl)
        self.assertIn("Handle-with-care", zpl)

    def test_designed_sheet_places_its_grid(self):
        fmt = self._format(
            name="Designed sheet 2 x 5",
            page_type="sheet",
            paper="custom",
            page_width_mm=200,
            page_height_mm=280,
            rows=5,
            columns=2,
            margin_left_mm=15,
            margin_top_mm=20,
            pitch_x_mm=90,
            pitch_y_mm=50,
        )
        self.assertAlmostEqual(fmt.gap_x_mm, 30)
        self.assertAlmostEqual(fmt.gap_y_mm, 20)
        pdf = self._format_pdf(self.lots[:6], fmt, copies=2)  # 12 labels, 2 pages
        sizes = self._page_sizes_mm(pdf)
        self.assertEqual(len(sizes), 2)
        self.assertAlmostEqual(sizes[0][0], 200, delta=0.5)
        self.assertAlmostEqual(sizes[0][1], 280, delta=0.5)
        boxes = self._word_boxes(pdf)
        first = boxes[self.names[0]]  # labels 1 and 2: row 1
        self.assertAlmostEqual(first[0][0], 15 + 26, delta=0.8)
        self.assertAlmostEqual(first[1][0], 15 + 90 + 26, delta=0.8)
        third = boxes[self.names[1]]  # labels 3 and 4: row 2
        self.assertAlmostEqual(third[0][1] - first[0][1], 50, delta=0.6)
        last = boxes[self.names[5]]  # labels 11 and 12: page 2
        self.assertEqual({box[3] for box in last}, {2})
        decoded = self._decode(pdf)
        self.assertEqual([len(page) for page in decoded], [10, 2])
        # landscape turns the paper
        fmt.write({"orientation": "landscape", "rows": 3, "columns": 3})
        sizes = self._page_sizes_mm(self._format_pdf(self.lots[:1], fmt))
        self.assertAlmostEqual(sizes[0][0], 280, delta=0.5)
        self.assertAlmostEqual(sizes[0][1], 200, delta=0.5)

    @contextlib.contextmanager
    def _refused(self, pattern):
        """A ValidationError matching ``pattern``, nothing written."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def test_formats_are_refused_naming_the_problem(self):
        fmt = self._format()
        with self._refused("does not fit its page"):
            fmt.write({"page_type": "sheet", "paper": "custom",
                       "page_width_mm": 50, "page_height_mm": 100})  # fmt: skip
        with self._refused("grid exceeds the page"):
            fmt.write(
                {"page_type": "sheet", "paper": "custom", "page_width_mm": 210,
                 "page_height_mm": 297, "rows": 10, "columns": 3,
                 "pitch_x_mm": 60, "pitch_y_mm": 30}
            )  # fmt: skip
        with self._refused("would overlap"):
            fmt.write(
                {"page_type": "sheet", "paper": "custom", "page_width_mm": 210,
                 "page_height_mm": 297, "rows": 2, "columns": 2,
                 "pitch_x_mm": 40, "pitch_y_mm": 30}
            )  # fmt: skip
        barcode = fmt.element_ids.filtered(lambda e: e.kind == "barcode")
        with self._refused(r"0\.15 mm, below the minimum module width of 0\.25"):
            barcode.module_width_mm = 0.15
        with self._refused(r"below the minimum module width of 0\.19 mm"):
            barcode.write({"barcode_type": "code128", "width_mm": 10})
        with self._refused("Element 2 does not fit"):
            fmt.element_ids.filtered(lambda e: e.field == "serial").x_mm = 40
        self.assertEqual(fmt.page_type, "single", "nothing was written")
        self.assertEqual(barcode.module_width_mm, 0)

    def test_cjk_serial_prints_and_scans(self):
        fmt = self._format()
        pdf = self._format_pdf(self.unicode_lot, fmt)
        self.assertIn(self.unicode_lot.name, self._pdftotext(pdf))
        decoded = [found[0] for page in self._decode(pdf) for found in page]
        self.assertEqual(decoded, [self.unicode_lot.name])
        # the standard layout too (Code 128 cannot carry it: a QR code)
        pdf = self._pdf(self.unicode_lot, "a4_3x8")
        self.assertIn(self.unicode_lot.name, self._pdftotext(pdf))
        decoded = [found[0] for page in self._decode(pdf) for found in page]
        self.assertEqual(decoded, [self.unicode_lot.name])

    def test_designer_preview_and_test_print(self):
        with Form(self.env["stock.serial.label.format"]) as form:
            form.name = "Brother 62 mm"
            form.label_width_mm = 62
            form.label_height_mm = 29
            with form.element_ids.new() as element:
                element.kind = "barcode"
                element.barcode_type = "qr"
                element.x_mm, element.y_mm = 1, 1
                element.width_mm, element.height_mm = 20, 20
            first = form.preview_image
            self.assertTrue(first)
            self.assertTrue(base64.b64decode(first).startswith(b"\x89PNG"))
            with form.element_ids.new() as element:
                element.kind = "text"
                element.field = "serial"
                element.x_mm, element.y_mm = 23, 2
                element.width_mm, element.height_mm = 38, 6
            self.assertNotEqual(form.preview_image, first, "follows the form")
        fmt = form.record
        preview = base64.b64decode(fmt.preview_image)
        # the preview is the PDF's first page: a 62 x 29 mm image
        from PIL import Image

        with Image.open(io.BytesIO(preview)) as image:
            self.assertAlmostEqual(image.width / image.height, 62 / 29, delta=0.05)
        action = fmt.action_test_print()
        self.assertEqual(action["type"], "ir.actions.report")
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, **action["context"]
        )
        pdf, _type = report._render_qweb_pdf(PDF_REPORT, None, data=action["data"])
        self.assertEqual(len(self._page_sizes_mm(pdf)), 1, "one page")
        self.assertIn("SN-2026-000123", self._pdftotext(pdf))
        decoded = [found[0] for page in self._decode(pdf) for found in page]
        self.assertEqual(decoded, ["SN-2026-000123"])

    def test_sizes_in_inches_and_gaps(self):
        with Form(self.env["stock.serial.label.format"]) as form:
            form.name = "Avery 5163"
            form.unit = "inch"
            form.page_type = "sheet"
            form.paper = "letter"
            form.label_width_in = 4
            form.label_height_in = 2
            form.rows, form.columns = 5, 2
            form.margin_left_in = 0.15625
            form.margin_top_in = 0.5
            form.gap_x_mm = 0.125 * 25.4
            self.assertAlmostEqual(form.label_width_mm, 101.6)
            self.assertAlmostEqual(form.pitch_x_mm, 4.125 * 25.4)
            form.gap_y_mm = 0
        fmt = form.record
        self.assertAlmostEqual(fmt.page_width_mm, 215.9)
        self.assertAlmostEqual(fmt.pitch_y_mm, 50.8)
        self.assertAlmostEqual(fmt.margin_left_mm, 3.969, places=3)
        self.assertAlmostEqual(fmt.pitch_x_in, 4.125)

    def test_copy_of_a_shipped_format_is_designed(self):
        shipped = self.env.ref("stock_serial_tracking.label_format_62x29")
        copy = shipped.copy()
        self.assertFalse(copy.standard_layout)
        self.assertFalse(copy.code)
        self.assertIn("(copy)", copy.name)
        self.assertTrue(copy.element_ids.filtered(lambda e: e.kind == "barcode"))
        self.assertIn(
            "serial",
            copy.element_ids.filtered(lambda e: e.kind == "text").mapped("field"),
        )
        pdf = self._format_pdf(self.lots[:1], copy)
        self.assertIn(self.names[0], self._pdftotext(pdf))
        decoded = [found[0] for page in self._decode(pdf) for found in page]
        self.assertEqual(decoded, self.names[:1])

    def test_wizard_offers_company_formats_and_the_last_one(self):
        other = self.env["res.company"].create({"name": "Other Labels Co"})
        mine = self._format(name="Mine")
        theirs = self._format(name="Theirs", company_id=other.id)
        user = self.env["res.users"].create(
            {
                "name": "Label Designer",
                "login": "label_designer",
                "company_id": self.company.id,
                "company_ids": [Command.set([self.company.id])],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("stock_serial_tracking.group_serial_user").id,
                        ]
                    )
                ],
            }
        )
        visible = self.env["stock.serial.label.format"].with_user(user).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        self.assertIn(self.env.ref("stock_serial_tracking.label_format_50x25"), visible)
        with self.assertRaises(AccessError):
            mine.with_user(user).name = "Renamed by a user"
        wizard = (
            self.env["stock.serial.label.wizard"]
            .with_user(user)
            .with_context(active_model="stock.lot", active_ids=self.lots[:1].ids)
        )
        form = Form(wizard)
        form.format_id = mine
        form.save().action_print()
        self.assertEqual(self.company.serial_label_format_id, mine)
        self.assertEqual(Form(wizard).format_id, mine)
        # the designed format prints as designed: no standard layout options
        self.assertFalse(Form(wizard).format_standard)

    def test_property_values_and_fixed_texts_print(self):
        self.product.lot_properties_definition = [
            {"name": "colour", "string": "Colour", "type": "char"},
            {"name": "grade", "string": "Grade", "type": "selection",
             "selection": [["a", "Grade A"], ["b", "Grade B"]]},
            {"name": "marks", "string": "Marks", "type": "tags",
             "tags": [["ce", "CE", 1], ["rohs", "RoHS", 2]]},
        ]  # fmt: skip
        lot = self.lots[0]
        lot.lot_properties = {"colour": "Blue", "grade": "b", "marks": ["ce", "rohs"]}
        lot.warranty_end_date = date(2028, 3, 14)
        fmt = self._format(
            element_ids=[
                Command.create(
                    {"kind": "text", "field": "property", "text": "colour",
                     "x_mm": 1, "y_mm": 1, "width_mm": 30, "height_mm": 5}
                ),
                Command.create(
                    {"kind": "text", "field": "property", "text": "Grade",
                     "x_mm": 1, "y_mm": 7, "width_mm": 30, "height_mm": 5}
                ),
                Command.create(
                    {"kind": "text", "field": "fixed", "text": "QC passed",
                     "x_mm": 1, "y_mm": 13, "width_mm": 30, "height_mm": 5}
                ),
                Command.create(
                    {"kind": "text", "field": "property", "text": "Marks",
                     "x_mm": 1, "y_mm": 19, "width_mm": 30, "height_mm": 5}
                ),
                Command.create(
                    {"kind": "text", "field": "warranty_end", "x_mm": 32,
                     "y_mm": 1, "width_mm": 25, "height_mm": 5}
                ),
            ]
        )  # fmt: skip
        report = self.env["report.stock_serial_tracking.report_serial_label"]
        values = report._get_report_values(
            (lot | self.lots[1]).ids, {"serial_label_options": {"format_id": fmt.id}}
        )
        first, second = (page[0][2] for page in values["pages"])
        self.assertEqual(
            [piece["text"] for piece in first["pieces"]],
            ["Blue", "Grade B", "QC passed", "CE, RoHS", "03/14/2028"],
        )
        self.assertEqual([piece["text"] for piece in second["pieces"]], ["QC passed"])
