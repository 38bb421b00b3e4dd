from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..errors import raise_user_error
from ..lib import numbering, serial_settings
from ..lib.errors import SerialInputError, TemplateError


class ProductProduct(models.Model):
    _inherit = "product.product"

    serial_uninitialized_qty = fields.Float(
        string="Units Without Serial",
        compute="_compute_serial_uninitialized_qty",
        help="Units on hand that have no serial number yet (the product was "
        "switched to serial tracking while it had stock).",
    )

    @api.depends("tracking", "qty_available")
    def _compute_serial_uninitialized_qty(self):
        serial_products = self.filtered(lambda p: p.tracking == "serial" and p.id)
        (self - serial_products).serial_uninitialized_qty = 0.0
        if not serial_products:
            return
        company_ids = self.env.companies.ids
        groups = self.env["stock.quant"]._read_group(
            [
                ("product_id", "in", serial_products.ids),
                ("lot_id", "=", False),
                ("location_id.usage", "=", "internal"),
                ("company_id", "in", company_ids),
            ],
            ["product_id"],
            ["quantity:sum"],
        )
        qty_by_product = {product.id: qty for product, qty in groups}
        for product in serial_products:
            product.serial_uninitialized_qty = max(qty_by_product.get(product.id, 0), 0)

    def action_serial_initialize(self):
        """Open the entry wizard to name the units already in stock."""
        self.ensure_one()
        return self.env["stock.serial.entry"]._serial_action_for_initial_stock(self)

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------
    def _serial_template(self):
        self.ensure_one()
        if not self.serial_format:
            raise UserError(
                _(
                    "Product %(product)s has no serial format.",
                    product=self.display_name,
                )
            )
        try:
            return numbering.parse_template(self.serial_format)
        except TemplateError as exc:
            raise_user_error(self.env, exc)

    def _serial_taken_names(self, company):
        """Return a callable telling which of the given names already exist."""

        def taken(batch):
            self.env["stock.lot"].flush_model(["name"])
            self.env.cr.execute(
                SQL(
                    "SELECT name FROM stock_lot WHERE name = ANY(%s) "
                    "AND (company_id = %s OR company_id IS NULL)",
                    list(batch),
                    company.id,
                )
            )
            return {row[0] for row in self.env.cr.fetchall()}

        return taken

    def _serial_generate(self, count, consume):
        self.ensure_one()
        template = self._serial_template()
        company = self.env.company
        today = fields.Date.context_today(self)
        period = template.period_key(today)
        counter = self.env["stock.serial.counter"]
        code = self.default_code or ""
        taken = self._serial_taken_names(company)
        try:
            if consume:
                draw = counter._serial_draw(
                    self.product_tmpl_id, company, period, template.start
                )
                return numbering.names_from_numbers(
                    template, draw, count, today, code, taken
                )
            if self.product_tmpl_id._origin:
                value = counter._serial_peek(
                    self.product_tmpl_id._origin, company, period, template.start
                )
            else:
                value = template.start
            return numbering.next_names(template, value, count, today, code, taken)[0]
        except (TemplateError, SerialInputError) as exc:
            raise_user_error(self.env, exc)

    def _serial_auto_numbers(self, operation):
        """Whether serials of this product not entered by hand come from its
        numbering format on ``operation`` ("receipt" or "production")."""
        self.ensure_one()
        return self.serial_auto_generate and serial_settings.auto_numbers(
            self.serial_auto_generate_scope, operation
        )

    def _serial_next_names(self, count):
        """Return the next ``count`` serial names of this product's format.

        The numbers are consumed from the counter's database sequence:
        concurrent workers never get the same number and never wait for each
        other; numbers of a transaction that is rolled back are not reused
        (gaps, never duplicates). Names that already exist (typed by hand)
        are skipped.
        """
        if count <= 0:
            return []
        return self._serial_generate(count, consume=True)

    def _serial_preview_name(self):
        """The next serial name, without consuming it."""
        return self._serial_generate(1, consume=False)[0]

    def _serial_unskipped_next_name(self, template):
        """The name the counter's next number gives with ``template`` (a
        parsed format), existing names not skipped: tells whether the format
        runs into serials typed by hand."""
        self.ensure_one()
        company = self.env.company
        today = fields.Date.context_today(self)
        value = self.env["stock.serial.counter"]._serial_peek(
            self.product_tmpl_id, company, template.period_key(today), template.start
        )
        code = self.default_code or ""
        return template.render(max(value, template.start), today, code)
