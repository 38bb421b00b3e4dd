from odoo import fields, models
from odoo.tools import SQL


class StockSerialCounter(models.Model):
    """One numbering counter per product, company and period.

    The numbers come from a PostgreSQL sequence per counter: ``nextval`` hands
    out each number once, to concurrent workers as well, without a row lock
    that every transaction numbering serials of the product would queue on
    (and, under Odoo's repeatable-read transactions, fail and retry on). A
    number taken by a transaction that is rolled back is not reused: gaps are
    possible, duplicates are not.
    """

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
    next_value = fields.Integer(
        string="Start Value",
        required=True,
        default=1,
        help="The number the counter's database sequence started from.",
    )

    _sql_constraints = [
        (
            "period_uniq",
            "unique(product_tmpl_id, company_id, period_key)",
            "One counter per product, company and period.",
        ),
    ]

    def init(self):
        # Counters made before their numbers came from sequences continue
        # from the value they had reached.
        self.env.cr.execute(SQL("SELECT id, next_value FROM stock_serial_counter"))
        for row_id, value in self.env.cr.fetchall():
            self._serial_create_sequence(row_id, value, if_not_exists=True)

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        for row_id in ids:
            self.env.cr.execute(
                SQL(
                    "DROP SEQUENCE IF EXISTS %s",
                    SQL.identifier(self._serial_sequence(row_id)),
                )
            )
        return result

    def _serial_sequence(self, row_id):
        return f"stock_serial_counter_{int(row_id)}"

    def _serial_create_sequence(self, row_id, start, if_not_exists=False):
        self.env.cr.execute(
            SQL(
                "CREATE SEQUENCE %s %s AS bigint MINVALUE 0 START WITH %s",
                SQL("IF NOT EXISTS") if if_not_exists else SQL(""),
                SQL.identifier(self._serial_sequence(row_id)),
                int(start),
            )
        )

    def _serial_row(self, template, company, period):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_serial_counter WHERE product_tmpl_id = %s "
                "AND company_id = %s AND period_key = %s",
                template.id,
                company.id,
                period,
            )
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def _serial_draw(self, template, company, period, start):
        """Return ``draw(n)``: ``n`` numbers of this counter never handed out
        before, in increasing order (not necessarily consecutive: concurrent
        workers draw from the same sequence).

        The counter and its sequence are created with the first number of a
        period. Two transactions creating the same counter meet on its unique
        key: the second waits for the first, then fails with a serialization
        error that Odoo retries, and finds the counter."""
        row_id = self._serial_row(template, company, period)
        if not row_id:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO stock_serial_counter
                           (product_tmpl_id, company_id, period_key, next_value,
                            create_uid, write_uid, create_date, write_date)
                    VALUES (%(tmpl)s, %(company)s, %(period)s, %(start)s,
                            %(uid)s, %(uid)s,
                            now() at time zone 'UTC', now() at time zone 'UTC')
                    ON CONFLICT (product_tmpl_id, company_id, period_key) DO NOTHING
                    RETURNING id
                    """,
                    tmpl=template.id,
                    company=company.id,
                    period=period,
                    start=start,
                    uid=self.env.uid,
                )
            )
            row = self.env.cr.fetchone()
            if row:
                row_id = row[0]
                self._serial_create_sequence(row_id, start)
            else:
                row_id = self._serial_row(template, company, period)
        sequence = self._serial_sequence(row_id)

        def draw(count):
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                    sequence,
                    int(count),
                )
            )
            return [row[0] for row in self.env.cr.fetchall()]

        return draw

    def _serial_peek(self, template, company, period, start):
        """The number the counter hands out next, without taking it."""
        row_id = self._serial_row(template, company, period)
        if not row_id:
            return start
        self.env.cr.execute(
            SQL(
                "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END "
                "FROM %s",
                SQL.identifier(self._serial_sequence(row_id)),
            )
        )
        return self.env.cr.fetchone()[0]
