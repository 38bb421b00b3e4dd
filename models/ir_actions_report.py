# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
import os
import subprocess
import tempfile

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..lib import label_layout
from ..report.serial_label_report import PDF_REPORT, SerialLabelOptions

_logger = logging.getLogger(__name__)

# wkhtmltopdf binary -> zoom making CSS millimetres real millimetres. Measured
# once per process: the factor depends on the build (patched Qt or not) and on
# the screen dpi Qt assumes, not on the database.
_ZOOM_CACHE = {}
ZOOM_PARAM = "stock_serial_tracking.label_zoom"
SERIAL_PAPER = "Serial label format"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def get_paperformat(self):
        # The serial label report's paper is the label format's page: the one
        # chosen in the layout wizard or designer (context) or the company's
        # last one. Shipped formats keep their paper format records.
        if len(self) == 1 and self.report_name == PDF_REPORT:
            options = SerialLabelOptions.from_data(self.env, {})
            fmt = options.format
            shipped = label_layout.FORMATS.get(fmt.code)
            if shipped and (shipped.page_width, shipped.page_height) == (
                fmt.page_width,
                fmt.page_height,
            ):
                paperformat = self.env.ref(
                    f"stock_serial_tracking.paperformat_serial_label_{fmt.code}",
                    raise_if_not_found=False,
                )
                if paperformat:
                    return paperformat
            return self.env["report.paperformat"].new(
                {
                    "name": SERIAL_PAPER,
                    "format": "custom",
                    "page_width": int(round(fmt.page_width)),
                    "page_height": int(round(fmt.page_height)),
                    "orientation": "Portrait",
                    "margin_top": 0,
                    "margin_bottom": 0,
                    "margin_left": 0,
                    "margin_right": 0,
                    "header_line": False,
                    "header_spacing": 0,
                    "disable_shrinking": True,
                    "dpi": 96,
                }
            )
        return super().get_paperformat()

    @api.model
    def _build_wkhtmltopdf_args(
        self,
        paperformat_id,
        landscape,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if (
            paperformat_id
            and not paperformat_id.id
            and (paperformat_id.name == SERIAL_PAPER)
        ):
            # a paper format holds whole millimetres; 2 x 1 in labels need
            # their exact 50.8 x 25.4 mm
            fmt = SerialLabelOptions.from_data(self.env, {}).format
            for flag, value in (
                ("--page-width", fmt.page_width),
                ("--page-height", fmt.page_height),
            ):
                if flag in args:
                    args[args.index(flag) + 1] = f"{value:.3f}mm"
        return args

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        # Labels are one document: hand the serials over in ``data`` so that
        # Odoo does not split a 1,000-page PDF per serial and merge it back.
        report = self._get_report(report_ref)
        if report.report_name == PDF_REPORT and res_ids:
            data = dict(data or {})
            data.setdefault("serial_lot_ids", list(res_ids))
            res_ids = None
        return super()._render_qweb_pdf_prepare_streams(
            report_ref, data, res_ids=res_ids
        )

    @api.model
    def _serial_label_zoom(self):
        """CSS zoom that makes the labels print at their true size.

        A system parameter ``stock_serial_tracking.label_zoom`` forces it;
        otherwise it is measured by printing a 100 mm box with this server's
        wkhtmltopdf (1.0 with a patched-Qt build, about 1.3 with Debian's).
        """
        forced = self.env["ir.config_parameter"].sudo().get_param(ZOOM_PARAM)
        if forced:
            try:
                return float(forced)
            except ValueError:
                _logger.warning("Ignoring %s=%r: not a number", ZOOM_PARAM, forced)
        binary = _get_wkhtmltopdf_bin()
        if binary not in _ZOOM_CACHE:
            _ZOOM_CACHE[binary] = self._serial_measure_zoom(binary)
        return _ZOOM_CACHE[binary]

    @api.model
    def _serial_measure_zoom(self, binary):
        args = [
            binary,
            "--quiet",
            "--disable-local-file-access",
            "--page-width", "150mm", "--page-height", "150mm",
            "--margin-top", "0", "--margin-bottom", "0",
            "--margin-left", "0", "--margin-right", "0",
            "--dpi", "96", "--zoom", "1",
            "--disable-smart-shrinking",
        ]  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="serial_label_") as folder:
            html_path = os.path.join(folder, "calibration.html")
            pdf_path = os.path.join(folder, "calibration.pdf")
            with open(html_path, "w", encoding="utf-8") as html_file:
                html_file.write(label_layout.CALIBRATION_HTML)
            try:
                subprocess.run(
                    [*args, html_path, pdf_path],
                    capture_output=True,
                    timeout=60,
                    check=False,
                )
                with open(pdf_path, "rb") as pdf_file:
                    scale = label_layout.measure_pdf_scale(pdf_file.read())
            except (OSError, subprocess.SubprocessError) as error:
                _logger.warning("Could not measure wkhtmltopdf's scale: %s", error)
                return 1.0
        if not scale or not 0.3 < scale < 3:
            _logger.warning("Unexpected wkhtmltopdf scale %r, labels not zoomed", scale)
            return 1.0
        if abs(scale - 1) < 0.005:
            return 1.0
        _logger.info("wkhtmltopdf draws at %.4f of the size: labels zoomed", scale)
        return 1 / scale
