/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
//
// Status bar of a serial: the statuses this serial went through, in the order
// it went through them (serial_status_path, from its history), instead of a
// fixed list in which a rejected serial would still show "Shipped" ahead.

import { registry } from "@web/core/registry";
import { StatusBarField, statusBarField } from "@web/views/fields/statusbar/statusbar_field";

export class SerialStatusPathField extends StatusBarField {
    getAllItems() {
        const path = (this.props.record.data.serial_status_path || "")
            .split(",")
            .filter(Boolean);
        if (!path.length) {
            return super.getAllItems();
        }
        const labels = Object.fromEntries(this.field.selection);
        const current = this.props.record.data[this.props.name];
        return path
            .filter((value) => value in labels)
            .map((value) => ({
                value,
                label: labels[value],
                isFolded: false,
                isSelected: value === current,
            }));
    }
}

export const serialStatusPathField = {
    ...statusBarField,
    component: SerialStatusPathField,
    fieldDependencies: [{ name: "serial_status_path", type: "char" }],
};

registry.category("fields").add("serial_status_path", serialStatusPathField);
