# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Serial Number Tracking",
    "summary": "One record per unit: status, history, supplier, customer, "
    "rules, auto-numbering, bulk entry, purchase pre-assignment, genealogy, labels",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "license": "LGPL-3",
    "author": "Serial Tracking Founders",
    "website": "https://github.com/serial-tracking/stock_serial_tracking",
    "maintainers": ["serial-tracking"],
    "development_status": "Beta",
    "depends": ["stock", "purchase_stock", "mrp", "portal", "barcodes"],
    "external_dependencies": {"python": ["openpyxl", "qrcode"]},
    "data": [
        "security/stock_serial_security.xml",
        "security/ir.model.access.csv",
        "data/stock_serial_data.xml",
        "views/stock_lot_views.xml",
        "views/stock_serial_history_views.xml",
        "views/product_template_views.xml",
        "views/stock_move_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/stock_serial_entry_views.xml",
        "wizards/stock_serial_reject_views.xml",
        "report/serial_label_reports.xml",
        "report/serial_label_templates.xml",
        "wizards/stock_serial_label_wizard_views.xml",
        "views/stock_picking_views.xml",
        "views/purchase_order_views.xml",
        "views/mrp_production_views.xml",
        "views/stock_serial_menus.xml",
    ],
    "demo": [
        "demo/stock_serial_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "stock_serial_tracking/static/src/js/serial_scan.js",
        ],
        "web.assets_tests": [
            "stock_serial_tracking/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
