/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// Sell two chosen serials: choose them on the order line, confirm, deliver
// (the delivery carries them already), invoice.
registry.category("web_tour.tours").add("stock_serial_tracking_sale_tour", {
    steps: () => [
        {
            content: "The line has no serials chosen yet; open the wizard",
            trigger: ".o_field_one2many .o_data_row .o_serial_tracing_missing",
            run: "click",
        },
        {
            content: "Paste the two serials to sell",
            trigger: ".modal .o_serial_paste textarea",
            run: "edit TS-002;TS-004",
        },
        {
            trigger: ".modal button[name='action_add']",
            run: "click",
        },
        {
            trigger: ".modal .o_serial_counter .text-bg-success:contains('2 / 2')",
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The icon says the serials are chosen",
            trigger:
                "body:not(:has(.modal)) .o_data_row .o_serial_tracing_complete[data-tooltip*='2 of 2']",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:visible",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Open the delivery",
            trigger: ".o_form_view button[name='action_view_delivery']",
            run: "click",
        },
        {
            content: "It ships the chosen serials",
            trigger: ".o_form_view .o_field_widget[name='move_ids_without_package'] .o_data_row",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']:visible",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "Back to the order",
            trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a:last",
            run: "click",
        },
        {
            trigger: ".o_form_view button#create_invoice:visible",
            run: "click",
        },
        {
            trigger: ".modal button#create_invoice_open",
            run: "click",
        },
        {
            content: "Post the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']:visible",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Posted')",
        },
    ],
});
