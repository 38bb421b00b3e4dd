/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";
import { wedgeScan } from "@stock_serial_tracking/../tests/tours/wedge_scan";

const scanInput = () => document.querySelector(".modal .o_serial_scan_input");

// Scan serials into a delivery: two good ones back to back (the second while
// the first is still being checked), one unknown; apply and validate.
registry.category("web_tour.tours").add("stock_serial_tracking_pick_scan_tour", {
    steps: () => [
        {
            content: "Open the serial dialog of the delivery line",
            trigger: ".o_data_row button[name='action_open_serial_entry']",
            run: "click",
        },
        {
            content: "Pick mode starts empty: the reservation is not a pick",
            trigger: ".modal .o_serial_counter .text-bg-warning:contains('0 / 2')",
        },
        {
            content: "Scan two serials in a row, as fast as a scanner",
            trigger: ".modal .o_serial_scan_input",
            run: async () => {
                await wedgeScan(scanInput(), "SCAN-0003");
                await wedgeScan(scanInput(), "SCAN-0004");
            },
        },
        {
            content: "Both are picked and the counter is complete",
            trigger: ".modal .o_serial_counter .text-bg-success:contains('2 / 2')",
        },
        {
            trigger: ".modal .o_serial_scan_ok:contains('SCAN-0004 picked')",
        },
        {
            content: "Scan a code that is no serial of ours",
            trigger: ".modal .o_serial_scan_input",
            run: () => wedgeScan(scanInput(), "NOPE-0404"),
        },
        {
            content: "It is refused, with the reason, and the list is unchanged",
            trigger: ".modal .o_serial_scan_refused:contains('NOPE-0404: unknown serial number')",
        },
        {
            trigger: ".modal .o_serial_counter .text-bg-success:contains('2 / 2')",
        },
        {
            content: "The scan field still has the focus for the next scan",
            trigger: ".modal .o_serial_scan_input",
            run: () => {
                if (document.activeElement !== scanInput()) {
                    throw new Error("the scan field lost the focus");
                }
            },
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Validate the delivery",
            trigger: "body:not(:has(.modal)) button[name='button_validate']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});

// A scan with no field focused, received by the form itself.
const scanOnForm = (code) => {
    document.activeElement.blur();
    return wedgeScan(document.body, code);
};

// Scan serials on the delivery form itself, with no field focused: each goes
// on the line of its product, and a refused scan says why.
registry.category("web_tour.tours").add("stock_serial_tracking_form_scan_tour", {
    steps: () => [
        {
            content: "The delivery is open; nothing picked yet",
            trigger: ".o_data_row .o_field_badge:contains('0 / 2')",
            run: () => scanOnForm("FORM-0003"),
        },
        {
            content: "The scanned serial is picked on its line",
            trigger: ".o_notification:contains('FORM-0003 picked (1 / 2)')",
        },
        {
            trigger: ".o_data_row .o_field_badge:contains('1 / 2')",
            run: () => scanOnForm("FORM-0404"),
        },
        {
            content: "An unknown serial is refused, with the reason",
            trigger: ".o_notification:contains('FORM-0404: unknown serial number')",
            run: () => scanOnForm("FORM-0004"),
        },
        {
            content: "Both units are picked",
            trigger: ".o_data_row .o_field_badge:contains('2 / 2')",
        },
        {
            trigger: "button[name='button_validate']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});
