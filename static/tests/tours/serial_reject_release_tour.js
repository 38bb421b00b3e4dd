/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// A rejected serial: its status bar shows the path it took, its availability
// says it is not in stock, and a manager releases it back to stock.
registry.category("web_tour.tours").add("stock_serial_tracking_reject_release_tour", {
    steps: () => [
        {
            content: "The status bar is the path taken: In Stock, then Rejected, nothing else",
            trigger:
                ".o_field_statusbar > .o_statusbar_status:has(button[data-value='received']):has(.o_arrow_button_current[data-value='rejected']):not(:has(button[data-value='shipped'])):not(:has(button[data-value='planned']))",
        },
        {
            content: "Not available while it sits in the reject location",
            trigger: ".o_field_widget[name='serial_availability']:contains('Not in Stock')",
        },
        {
            trigger: ".o_form_statusbar button[name='action_serial_release_reject']",
            run: "click",
        },
        {
            content: "Confirm the release",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "In Stock again, after Rejected",
            trigger:
                "body:not(:has(.modal)) .o_statusbar_status:has(button[data-value='rejected']):has(.o_arrow_button_current[data-value='received'])",
        },
        {
            trigger: ".o_field_widget[name='serial_availability']:contains('Available')",
        },
    ],
});
