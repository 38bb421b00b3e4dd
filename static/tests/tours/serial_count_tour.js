/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";
import { wedgeScan } from "@stock_serial_tracking/../tests/tours/wedge_scan";

const scanInput = () => document.querySelector(".o_form_view .o_serial_scan_input");
const row = (name) => `.o_field_one2many .o_data_row:contains('${name}')`;

// Count a shelf by scanning: serial after serial (the next one typed while
// the previous is recorded), see found / missing / booked elsewhere /
// unknown, write one missing serial off and apply the count.
registry.category("web_tour.tours").add("stock_serial_tracking_count_tour", {
    steps: () => [
        {
            content: "Scan three serials in a row, as fast as a scanner",
            trigger: ".o_form_view .o_serial_scan_input",
            run: async () => {
                await wedgeScan(scanInput(), "CNT-0001");
                await wedgeScan(scanInput(), "CNT-0005");
                await wedgeScan(scanInput(), "CNT-0404");
            },
        },
        {
            content: "The last scan says what it is",
            trigger: ".o_serial_scan_answer.o_serial_scan_ok:contains('CNT-0404 is unknown')",
        },
        {
            content: "Found here",
            trigger: `${row("CNT-0001")}:contains('Found')`,
        },
        {
            content: "Booked elsewhere, with where (the test checks which)",
            trigger: `${row("CNT-0005")}:contains('Booked Elsewhere'):contains('/Stock')`,
        },
        {
            content: "Not scanned: missing",
            trigger: `${row("CNT-0002")}:contains('Missing')`,
        },
        {
            trigger: `${row("CNT-0404")}:contains('Unknown')`,
        },
        {
            content: "The scan field still has the focus for the next scan",
            trigger: ".o_form_view .o_serial_scan_input",
            run: async () => {
                if (document.activeElement !== scanInput()) {
                    throw new Error("the scan field lost the focus");
                }
                await wedgeScan(scanInput(), "CNT-0001");
            },
        },
        {
            content: "A serial scanned twice is counted once",
            trigger: ".o_serial_scan_answer.o_serial_scan_repeat:contains('CNT-0001 is already counted')",
        },
        {
            content: "Write off the missing serial CNT-0002",
            trigger: `${row("CNT-0002")} td[name='action']`,
            run: "click",
        },
        {
            trigger: `${row("CNT-0002")} td[name='action'] select`,
            run: "selectByLabel Write Off",
        },
        {
            content: "Apply the count",
            trigger: ".o_form_view button[name='action_apply']",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Applied')",
        },
    ],
});
