/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
//
// Scan field of the serial entry dialog. A keyboard-wedge scanner types a code
// a few milliseconds per character, then Enter; each Enter hands the code to
// the record (its onchange checks it, adds it to the list and says why not),
// and the input is emptied at once so that the next scan can start while the
// server answers. Scans made meanwhile wait in a queue, in order: none is
// lost and none is merged with the next. Typing by hand works the same way.
//
// With the option scan_method (a record of a real model, such as a serial
// count), each scan is instead sent to that method of the saved record, which
// records it at once and answers {state, message}; the record is reloaded once
// the queue is empty, so that users scanning into one record see each other's
// scans.

import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useAutofocus, useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export class SerialScanField extends Component {
    static template = "stock_serial_tracking.SerialScanField";
    static props = {
        ...standardFieldProps,
        placeholder: { type: String, optional: true },
        scanMethod: { type: String, optional: true },
    };

    setup() {
        // focused when the dialog opens (and reopens after Add to List)
        this.input = useAutofocus({ refName: "input" });
        this.queue = [];
        this.busy = false;
        this.orm = useService("orm");
        this.last = useState({ state: "", message: "" });
    }

    get stateClass() {
        return { ok: "text-success", repeat: "text-warning" }[this.last.state] || "text-danger";
    }

    get stateIcon() {
        return { ok: "fa-check", repeat: "fa-repeat" }[this.last.state] || "fa-times";
    }

    onKeydown(ev) {
        if (ev.ctrlKey && (ev.key === "]" || ev.code === "BracketRight")) {
            // scanners send GS1's FNC1 separator as Ctrl+]: keep it as GS, or
            // the fields of a GS1 code would run into each other
            ev.preventDefault();
            const input = this.input.el;
            const at = input.selectionStart ?? input.value.length;
            input.value = input.value.slice(0, at) + "\x1d" + input.value.slice(at);
            input.selectionStart = input.selectionEnd = at + 1;
            return;
        }
        if (ev.key !== "Enter") {
            return;
        }
        // Enter belongs to the scan: no dialog button, no line break
        ev.preventDefault();
        ev.stopPropagation();
        const code = this.input.el.value.trim();
        this.input.el.value = "";
        if (code) {
            this.queue.push(code);
            this.flush();
        }
    }

    async flush() {
        if (this.busy) {
            return;
        }
        this.busy = true;
        try {
            if (this.props.scanMethod) {
                await this.sendToMethod();
                return;
            }
            while (this.queue.length) {
                const code = this.queue.shift();
                await this.props.record.update({ [this.props.name]: code });
            }
        } finally {
            this.busy = false;
            this.input.el?.focus();
        }
    }

    async sendToMethod() {
        // scans made while the record reloads are sent after it, never
        // written into the field
        while (this.queue.length) {
            const record = this.props.record;
            let sent = false;
            try {
                while (this.queue.length) {
                    if (record.isNew || (await record.isDirty())) {
                        // the method works on the saved record
                        if (!(await record.save())) {
                            this.queue = [];
                            return;
                        }
                    }
                    const code = this.queue.shift();
                    const answer = await this.orm.call(
                        record.resModel,
                        this.props.scanMethod,
                        [[record.resId], code],
                        { context: record.context }
                    );
                    sent = true;
                    Object.assign(this.last, answer);
                }
            } finally {
                if (sent) {
                    await record.load();
                }
            }
        }
    }
}

export const serialScanField = {
    component: SerialScanField,
    supportedTypes: ["char"],
    extractProps: ({ attrs, options }) => ({
        placeholder: attrs.placeholder,
        scanMethod: options.scan_method,
    }),
};

registry.category("fields").add("serial_scan", serialScanField);
