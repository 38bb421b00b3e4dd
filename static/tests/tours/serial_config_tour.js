/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// Configure Serial Tracking on products selected in the product list.
registry.category("web_tour.tours").add("stock_serial_tracking_config_tour", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit Tour Config",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            // the search has been applied (a reload of the list would close
            // the Actions menu opened below)
            trigger: ".o_searchview_facet:contains('Tour Config')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Config C')",
        },
        {
            content: "Select the three products",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "The selection is shown before the Actions menu opens",
            trigger: ".o_list_selection_box",
        },
        {
            trigger: ".o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Configure Serial Tracking')",
            run: "click",
        },
        {
            content: "The check says what the switch implies for the stocked product",
            trigger:
                ".modal .o_data_row:contains('Tour Config A'):contains('Serials not initialized: 2 units')",
        },
        {
            trigger: ".modal div[name='serial_warranty_months_mode'] label:contains('Set')",
            run: "click",
        },
        {
            trigger: ".modal div[name='serial_warranty_months'] input",
            run: "edit 18",
        },
        {
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The configured products are listed",
            trigger: "body:not(:has(.modal)) .o_breadcrumb:contains('Configured Products')",
        },
    ],
});
