/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A keyboard-wedge scanner: the target takes the focus, the code is typed one
// key every `delay` milliseconds (all at once with 0), then Enter. Each key
// lands in the target when it is an input and no handler prevented it.
export async function wedgeScan(target, code, { delay = 4 } = {}) {
    target.focus();
    for (const key of code) {
        const down = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
        target.dispatchEvent(down);
        if (!down.defaultPrevented && target.matches("input")) {
            target.value += key;
            target.dispatchEvent(new Event("input", { bubbles: true }));
        }
        if (delay) {
            await pause(delay);
        }
    }
    target.dispatchEvent(
        new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true })
    );
}
