/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
//
// Serial tracing indicator of a purchase order line: an icon (missing / partly
// assigned / complete) whose tooltip says how many serials are assigned, and
// which opens the serial entry wizard of the line (action_open_serial_entry).
// It is a ViewButton, so the order is saved first, as for any line button.

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { ViewButton } from "@web/views/view_button/view_button";

const ICONS = {
    missing: "fa-exclamation-circle text-danger",
    partial: "fa-adjust text-warning",
    complete: "fa-check-circle text-success",
};
// Before confirmation nothing is late yet: serials still to enter are neutral.
const DRAFT_ICON = "fa-barcode text-muted";
const DRAFT_ORDER_STATES = ["draft", "sent", "to approve"];

export class SerialTracingField extends Component {
    static template = "stock_serial_tracking.SerialTracingField";
    static components = { ViewButton };
    static props = { ...standardFieldProps };

    get state() {
        return this.props.record.data[this.props.name] || "none";
    }

    get isDraft() {
        return DRAFT_ORDER_STATES.includes(this.props.record.data.state);
    }

    get icon() {
        if (this.isDraft && this.state !== "complete") {
            return DRAFT_ICON;
        }
        return ICONS[this.state];
    }

    get isReceived() {
        return this.props.record.data.qty_received > 0;
    }

    get title() {
        const data = this.props.record.data;
        const count = data.serial_serial_count || 0;
        const total = Math.round(data.product_uom_qty || 0);
        let text;
        if (this.isDraft && this.state !== "complete") {
            text = _t("%(count)s of %(total)s serial numbers pre-assigned (optional)", {
                count,
                total,
            });
        } else if (this.state === "missing") {
            text = _t("Serial numbers missing (0 of %(total)s)", { total });
        } else if (this.state === "partial") {
            text = _t("%(count)s of %(total)s serial numbers assigned", { count, total });
        } else {
            text = _t("Serial numbers complete (%(count)s of %(total)s)", {
                count,
                total,
            });
        }
        if (this.isReceived) {
            text += " — " + _t("received");
        } else {
            text += " — " + _t("click to enter them");
        }
        return text;
    }

    get clickParams() {
        return { type: "object", name: "action_open_serial_entry" };
    }
}

export const serialTracingField = {
    component: SerialTracingField,
    displayName: _t("Serial Tracing"),
    supportedTypes: ["selection"],
    fieldDependencies: [
        { name: "serial_serial_count", type: "integer" },
        { name: "product_uom_qty", type: "float" },
        { name: "qty_received", type: "float" },
        { name: "state", type: "selection" },
    ],
};

registry.category("fields").add("serial_tracing", serialTracingField);
