/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
//
// Serial tracing indicator of a sale order line: the purchase line's icon,
// counting chosen serials, fixed once the line delivered something.

import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { SerialTracingField } from "@stock_serial_tracking/js/serial_tracing_field";

export class SerialSaleTracingField extends SerialTracingField {
    // A quotation is where serials are chosen (and required ones block its
    // confirmation): its lines show their real state, not the neutral icon
    // of a purchase RFQ, where pre-assigning is optional.
    get isDraft() {
        return false;
    }

    get isReceived() {
        return this.props.record.data.qty_delivered > 0;
    }

    get title() {
        const data = this.props.record.data;
        const count = data.serial_serial_count || 0;
        const total = Math.round(data.product_uom_qty || 0);
        let text;
        if (this.state === "missing") {
            text = _t("Serial numbers not chosen (0 of %(total)s)", { total });
        } else if (this.state === "partial") {
            text = _t("%(count)s of %(total)s serial numbers chosen", { count, total });
        } else {
            text = _t("Serial numbers chosen (%(count)s of %(total)s)", { count, total });
        }
        if (this.isReceived) {
            text += " — " + _t("delivered");
        } else {
            text += " — " + _t("click to choose them");
        }
        return text;
    }
}

registry.category("fields").add("serial_sale_tracing", {
    component: SerialSaleTracingField,
    displayName: _t("Serial Tracing (Sale)"),
    supportedTypes: ["selection"],
    fieldDependencies: [
        { name: "serial_serial_count", type: "integer" },
        { name: "product_uom_qty", type: "float" },
        { name: "qty_delivered", type: "float" },
    ],
});
