/** @odoo-module **/
import { registry } from "@web/core/registry";

// Paste serials into the entry wizard of a receipt line, apply, validate.
registry.category("web_tour.tours").add("stock_serial_tracking_entry_tour", {
    steps: () => [
        {
            content: "Open the serial entry wizard of the receipt line",
            trigger: ".o_field_x2many_list_row_add, .o_data_row",
        },
        {
            trigger: "button[name='action_open_serial_entry']",
            run: "click",
        },
        {
            content: "Paste three serials",
            trigger: ".modal .o_serial_paste textarea",
            run: "edit TOUR-001;TOUR-002;TOUR-003",
        },
        {
            trigger: ".modal button[name='action_add']",
            run: "click",
        },
        {
            content: "The list shows the collapsed range and the counter is complete",
            trigger: ".modal .o_serial_summary:contains('TOUR-001 – TOUR-003 (3)')",
        },
        {
            trigger: ".modal .o_serial_counter .text-bg-success:contains('3 / 3')",
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Back on the receipt, its line shows that its serials are complete",
            trigger:
                "body:not(:has(.modal)) .o_data_row [name='serial_progress'] .badge.text-bg-success:contains('3 / 3')",
        },
        {
            content: "Validate the receipt",
            trigger: "body:not(:has(.modal)) button[name='button_validate']",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});
