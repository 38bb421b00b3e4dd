/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// Pre-assign serials on a purchase order line from its tracing icon.
registry.category("web_tour.tours").add("stock_serial_tracking_purchase_tour", {
    steps: () => [
        {
            content:
                "On an RFQ serials still to enter show neutral, not as an error; open the wizard",
            trigger:
                ".o_field_one2many .o_data_row .o_serial_tracing_draft:has(.fa-barcode):not(:has(.text-danger))",
            run: "click",
        },
        {
            content: "Paste three serials",
            trigger: ".modal .o_serial_paste textarea",
            run: "edit POT-001;POT-002;POT-003",
        },
        {
            trigger: ".modal button[name='action_add']",
            run: "click",
        },
        {
            trigger: ".modal .o_serial_counter .text-bg-success:contains('3 / 3')",
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The icon turns complete",
            trigger:
                "body:not(:has(.modal)) .o_data_row .o_serial_tracing_complete[data-tooltip*='3 of 3']",
        },
    ],
});
