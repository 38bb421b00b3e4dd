/** @odoo-module **/
// Copyright 2026 Serial Tracking Founders
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
//
// "Add line" of the detailed operations lists quants to pick from. For a
// serial product, a quant that holds nothing is a serial that left (shipped,
// consumed) or moved elsewhere: never offer it, even with the search filters
// removed.

import { Domain } from "@web/core/domain";
import { patch } from "@web/core/utils/patch";
import { SMLX2ManyField } from "@stock/fields/stock_move_line_x2_many_field";

patch(SMLX2ManyField.prototype, {
    setup() {
        super.setup(...arguments);
        const selectCreate = this.selectCreate;
        this.selectCreate = (params) => {
            if (this.props.record.data.has_tracking === "serial") {
                params = {
                    ...params,
                    domain: Domain.and([params.domain || [], [["quantity", ">", 0]]]).toList(),
                };
            }
            return selectCreate(params);
        };
    },
});
