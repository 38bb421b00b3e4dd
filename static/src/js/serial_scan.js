/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
//
// Scan-to-open on the serial list and form: a keyboard-wedge scan of a serial
// number opens that serial; an unknown code shows a notification.
//
// Two ways a scan arrives:
// - focus outside any input: Odoo's barcode service recognises the scan and
//   sends it on its bus ("barcode_scanned");
// - focus in the search box (the list's default): the barcode service leaves
//   inputs alone, so we tell a scan from typing by its speed: at least three
//   characters arriving a few milliseconds apart, then Enter. The scanned text
//   is taken back out of the search box.

import { useExternalListener } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { useBus, useService } from "@web/core/utils/hooks";
import { FormController } from "@web/views/form/form_controller";
import { ListController } from "@web/views/list/list_controller";

const SERIAL_MODEL = "stock.lot";
// Scanners send a character every 1-30 ms (some are set to add up to 50 ms);
// people type with 80 ms or more between keys.
export const SCAN_MAX_GAP_MS = 50;
const MIN_LENGTH = 3;

function isSearchInput(element) {
    return Boolean(element && element.matches && element.matches("input.o_searchview_input"));
}

export function useSerialScan({ searchBox = false } = {}) {
    const orm = useService("orm");
    const action = useService("action");
    const notification = useService("notification");
    const barcode = useService("barcode");
    let opening = false;

    async function openSerial(rawCode) {
        const code = (rawCode || "").trim();
        if (!code || opening) {
            return;
        }
        opening = true;
        try {
            const result = await orm.call(SERIAL_MODEL, "serial_action_open_by_code", [code]);
            if (result) {
                await action.doAction(result);
            } else {
                notification.add(
                    _t("No serial number matches the scanned code “%s”.", code),
                    { type: "danger", title: _t("Unknown serial number") }
                );
            }
        } finally {
            opening = false;
        }
    }

    function scanAllowed(target) {
        // Never steal a scan meant for a dialog (e.g. a wizard on top).
        return !(target && target.closest && target.closest(".modal, .o_dialog"));
    }

    useBus(barcode.bus, "barcode_scanned", (ev) => {
        const { barcode: code, target } = ev.detail;
        if (scanAllowed(target)) {
            openSerial(code);
        }
    });

    if (searchBox) {
        let burst = null;
        useExternalListener(
            window,
            "keydown",
            (ev) => {
                const target = ev.target;
                if (!isSearchInput(target) || !scanAllowed(target)) {
                    burst = null;
                    return;
                }
                const now = ev.timeStamp || performance.now();
                const fast = burst && burst.target === target && now - burst.last <= SCAN_MAX_GAP_MS;
                if (ev.key === "Enter") {
                    if (fast && burst.chars.length >= MIN_LENGTH) {
                        ev.preventDefault();
                        ev.stopImmediatePropagation();
                        target.value = burst.before;
                        target.dispatchEvent(new Event("input", { bubbles: true }));
                        openSerial(burst.chars);
                    }
                    burst = null;
                    return;
                }
                if (ev.key.length !== 1 || ev.ctrlKey || ev.metaKey || ev.altKey) {
                    burst = null;
                    return;
                }
                if (fast) {
                    burst.chars += ev.key;
                    burst.last = now;
                } else {
                    burst = { target, chars: ev.key, last: now, before: target.value };
                }
            },
            { capture: true }
        );
    }
    return { openSerial };
}

patch(ListController.prototype, {
    setup() {
        super.setup(...arguments);
        if (this.props.resModel === SERIAL_MODEL && !this.env.inDialog) {
            this.serialScan = useSerialScan({ searchBox: true });
        }
    },
});

patch(FormController.prototype, {
    setup() {
        super.setup(...arguments);
        if (this.props.resModel === SERIAL_MODEL && !this.env.inDialog) {
            this.serialScan = useSerialScan();
        }
    },
});

// Scanning on an open transfer (focus outside any input): the serial goes on
// the line of its product, checked as in the serial dialog, and the form
// shows the result. The transfer is saved first, as for any button.
patch(FormController.prototype, {
    setup() {
        super.setup(...arguments);
        if (this.props.resModel !== "stock.picking" || this.env.inDialog) {
            return;
        }
        const orm = useService("orm");
        const notification = useService("notification");
        const barcode = useService("barcode");
        // scans are handled one after the other, in order: a fast second scan
        // waits for the first one's save, server call and reload
        let queue = Promise.resolve();
        useBus(barcode.bus, "barcode_scanned", (ev) => {
            const { barcode: code, target } = ev.detail;
            if (target && target.closest && target.closest(".modal, .o_dialog")) {
                return;
            }
            // a failed scan still lets the next one run; its error is shown
            const run = () => handleScan(code);
            queue = queue.then(run, run);
        });
        const handleScan = async (code) => {
            const record = this.model.root;
            if (record.isNew || !(await record.save())) {
                notification.add(_t("Save the transfer before scanning serials."), {
                    type: "warning",
                });
                return;
            }
            const result = await orm.call("stock.picking", "serial_action_scan", [
                [record.resId],
                code,
            ]);
            await record.load();
            notification.add(result.message, {
                type: result.type,
                title: _t("Scanned %s", code),
            });
        };
    },
});
