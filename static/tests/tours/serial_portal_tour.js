/** @odoo-module **/
import { registry } from "@web/core/registry";

// A portal customer lists its serial numbers and searches them.
registry.category("web_tour.tours").add("stock_serial_tracking_portal_tour", {
    steps: () => [
        {
            content: "Own serials are listed with their warranty",
            trigger: ".o_serial_portal_rows tr:has(td:contains('PS-A-001')):has(.badge:contains('Under warranty'))",
        },
        {
            trigger: ".o_serial_portal_rows td:contains('PS-A-002')",
        },
        {
            content: "Another customer's serial is not there",
            trigger: "body:not(:has(td:contains('PS-B-001')))",
        },
        {
            content: "Search a serial",
            trigger: ".o_portal_search_panel input[name='search']",
            run: "edit A-002",
        },
        {
            trigger: ".o_portal_search_panel button[type='submit']",
            run: "click",
        },
        {
            content: "Only the searched serial is left",
            trigger: ".o_serial_portal_rows:not(:has(td:contains('PS-A-001'))) td:contains('PS-A-002')",
        },
    ],
});
