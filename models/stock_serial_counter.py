from odoo import fields, models


class StockSerialCounter(models.Model):
    _name = "stock.serial.counter"
    _description = "Serial Numbering Counter"
    _rec_name = "product_tmpl_id"

    product_tmpl_id = fields.Many2one(
        "product.template", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    period_key = fields.Char(
        required=True,
        default="",
        help="Counter period: empty (never resets), a day, a month or a year.",
    )
    next_value = fields.Integer(required=True, default=1)

    _sql_constraints = [
        (
            "period_uniq",
            "unique(product_tmpl_id, company_id, period_key)",
            "One counter per product, company and period.",
        ),
    ]

    def _serial_lock(self, template, company, period, start):
        """Create or lock the counter row; return (id, next value).

        The row lock taken by the upsert is held until commit, so a concurrent
        transaction waits here (or is retried by Odoo on serialization failure).
        """
        self.env.cr.execute(
            """
            INSERT INTO stock_serial_counter
                   (product_tmpl_id, company_id, period_key, next_value,
                    create_uid, write_uid, create_date, write_date)
            VALUES (%(tmpl)s, %(company)s, %(period)s, %(start)s,
                    %(uid)s, %(uid)s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (product_tmpl_id, company_id, period_key)
            DO UPDATE SET write_date = now() at time zone 'UTC'
            RETURNING id, next_value
            """,
            {
                "tmpl": template.id,
                "company": company.id,
                "period": period,
                "start": start,
                "uid": self.env.uid,
            },
        )
        return self.env.cr.fetchone()

    def _serial_peek(self, template, company, period, start):
        self.env.cr.execute(
            "SELECT next_value FROM stock_serial_counter WHERE product_tmpl_id = %s "
            "AND company_id = %s AND period_key = %s",
            [template.id, company.id, period],
        )
        row = self.env.cr.fetchone()
        return row[0] if row else start

    def _serial_store(self, row_id, next_value):
        self.env.cr.execute(
            "UPDATE stock_serial_counter SET next_value = %s WHERE id = %s",
            [next_value, row_id],
        )
        self.invalidate_model(["next_value"])
