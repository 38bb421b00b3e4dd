import logging
import time

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """Adopt the serials already in the database: one set-based pass computes
    every status, supplier, customer, date and manufacturing order from the
    done moves, and applies each company's uniqueness scope."""
    start = time.monotonic()
    env.cr.execute(
        SQL(
            """
            UPDATE stock_lot lot
               SET serial_company_id = COALESCE(lot.company_id, pt.company_id,
                       (SELECT MIN(id) FROM res_company))
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.id = lot.product_id AND lot.serial_company_id IS NULL
            """
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE stock_lot lot SET serial_scope_company_id = lot.serial_company_id
              FROM res_company c
             WHERE c.id = lot.serial_company_id AND c.serial_unique_scope = 'company'
            """
        )
    )
    env["stock.lot"]._serial_recompute_all()
    env.cr.execute(
        SQL("SELECT COUNT(*) FROM stock_lot WHERE serial_status IS NOT NULL")
    )
    count = env.cr.fetchone()[0]
    _logger.info(
        "stock_serial_tracking: statuses of %s serials computed in %.1fs",
        count,
        time.monotonic() - start,
    )


def uninstall_hook(env):
    """Serials and their moves belong to Odoo's stock: nothing is deleted.
    Only the database objects this add-on created are dropped."""
    for index in (
        "stock_lot_serial_name_idx",
        "stock_lot_serial_product_name_uniq",
        "stock_lot_serial_status_company_idx",
        "stock_move_line_serial_done_idx",
        "stock_move_serial_repair_idx",
    ):
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
