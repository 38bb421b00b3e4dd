# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Files the add-on hands to the browser (count results, trace exports)."""

import base64

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(record, filename, data):
    """The action downloading ``data`` as ``filename``, kept as an attachment
    of ``record`` (its access rules then guard the file)."""
    attachment = record.env["ir.attachment"].create(
        {
            "name": filename.replace("/", "-"),
            "datas": base64.b64encode(data),
            "res_model": record._name,
            "res_id": record.id,
            "mimetype": XLSX_MIMETYPE,
        }
    )
    return {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "self",
    }
