/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";
import { wedgeScan } from "@stock_serial_tracking/../tests/tours/wedge_scan";

// The scanner here types the whole code at once.
const scan = (target, code) => wedgeScan(target, code, { delay: 0 });

const searchInput = () => document.querySelector(".o_searchview_input");

registry.category("web_tour.tours").add("stock_serial_tracking_scan_tour", {
    url: "/odoo/action-stock.action_production_lot_form",
    steps: () => [
        {
            content: "The serial list is shown",
            trigger: ".o_list_view .o_data_row:contains('SN-TOUR-0001')",
        },
        {
            content: "Typing by hand in the search box is left alone",
            trigger: ".o_list_view .o_searchview_input",
            run: async () => {
                const input = searchInput();
                input.focus();
                for (const key of "SN-TOUR-0001") {
                    await new Promise((resolve) => setTimeout(resolve, 90));
                    input.dispatchEvent(
                        new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true })
                    );
                    input.value += key;
                    input.dispatchEvent(new Event("input", { bubbles: true }));
                }
                await new Promise((resolve) => setTimeout(resolve, 90));
                input.dispatchEvent(
                    new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true })
                );
            },
        },
        {
            content: "It searched instead of opening the serial",
            trigger: ".o_list_view .o_searchview_facet:contains('SN-TOUR-0001')",
        },
        {
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            content: "Scan a serial while the search box has the focus",
            trigger: ".o_list_view:not(:has(.o_searchview_facet)) .o_data_row:contains('SN-TOUR-0003')",
            run: () => {
                searchInput().focus();
                scan(searchInput(), "SN-TOUR-0002");
            },
        },
        {
            content: "That serial opens",
            trigger: ".o_form_view .o_breadcrumb .active:contains('SN-TOUR-0002')",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb li.breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "The scanned text did not stay in the search box",
            trigger: ".o_list_view .o_data_row:contains('SN-TOUR-0003')",
            run: () => {
                if (searchInput().value) {
                    throw new Error(`search box not cleared: ${searchInput().value}`);
                }
            },
        },
        {
            content: "Scan from the list with nothing focused",
            trigger: ".o_list_view .o_data_row:contains('SN-TOUR-0003')",
            run: () => {
                document.activeElement.blur();
                scan(document.body, "SN-TOUR-0003");
            },
        },
        {
            trigger: ".o_form_view .o_breadcrumb .active:contains('SN-TOUR-0003')",
        },
        {
            content: "Scan an unknown code on the serial form",
            trigger: ".o_form_view",
            run: () => scan(document.body, "NOPE-TOUR-404"),
        },
        {
            content: "A clear message names the unknown code",
            trigger: ".o_notification:contains('NOPE-TOUR-404')",
        },
        {
            content: "Scan another serial from the form",
            trigger: ".o_form_view .o_breadcrumb .active:contains('SN-TOUR-0003')",
            run: () => scan(document.body, "SN-TOUR-0001"),
        },
        {
            content: "It opens",
            trigger: ".o_form_view .o_breadcrumb .active:contains('SN-TOUR-0001')",
        },
    ],
});
