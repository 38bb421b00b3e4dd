/** @odoo-module **/
import { registry } from "@web/core/registry";

// A receipt of a product that auto-numbers its serials: the wizard opens on the
// auto-number tab, says so and previews the names; Apply takes them.
registry.category("web_tour.tours").add("stock_serial_tracking_autonumber_tour", {
    steps: () => [
        {
            content: "The receipt line has no serial yet: nothing was filled in at To Do",
            trigger: ".o_data_row [name='serial_progress']:contains('0 / 2')",
        },
        {
            trigger: "button[name='action_open_serial_entry']",
            run: "click",
        },
        {
            content: "The wizard says the product numbers its serials automatically",
            trigger: ".modal .o_serial_autofill_note:contains('numbers its serials automatically')",
        },
        {
            content: "and previews the names Apply takes",
            trigger: ".modal .o_serial_auto_preview:contains('TA-0001 … TA-0002')",
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "Back on the receipt, its line is complete",
            trigger:
                "body:not(:has(.modal)) .o_data_row [name='serial_progress'] .badge.text-bg-success:contains('2 / 2')",
        },
    ],
});
