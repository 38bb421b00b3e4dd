# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Creating thousands of records that differ in one column.

Thousands of serials created at once (a receipt, a purchase order's planned
serials) make rows that are all alike but for one column: the serial's name,
its quant's serial, its chatter message's document. The first record goes
through the ORM, every module's create included; the others are copies of its
row made by one INSERT ... SELECT, with the ORM's bookkeeping of a create
(cache, one2many inverses, computed fields of other records, constraints).

A copy is exactly what the ORM would have stored only when no module the
add-on does not know overrides the creation (callers ask :mod:`.guard`) and
when every stored value of the copy is the original's but the varying one:
``clone_columns`` returns None when a stored field depends on the varying
column or takes a per-record default (a sequence, a uuid) from a module the
add-on does not know. ``read_rows`` reads a few columns of thousands of
records in one query; ``write_values`` writes a column of thousands of
records through the ORM's cache, so that it is stored with their other
pending writes by the same UPDATEs of the next flush.
"""

import re

from odoo import fields
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from . import guard


def clone_columns(model, varying):
    """The stored columns of ``model`` that a copy takes from its original:
    all but ``id`` and ``varying``. None when a stored field depends on
    ``varying`` (its value would differ from the original's), or when a
    module the add-on does not know gives a stored field a computed default:
    each record would get its own value, a copy would repeat the original's."""
    if _foreign_computed_defaults(model):
        return None
    depends = model.env.registry.field_depends
    columns = []
    for name, field in model._fields.items():
        if not field.store or name in ("id", varying):
            continue
        paths = list(depends.get(field, ()))
        if field.related:
            paths.append(".".join(field.related))
        if any(path.split(".")[0] == varying for path in paths):
            return None
        if field.column_type:  # many2many links are copied by clone_records
            columns.append(name)
    return columns


def _foreign_computed_defaults(model):
    """Names of the fields to which a module the add-on does not know gives a
    computed default (a function: a sequence, a uuid, a date), read on the
    class of each module that defines the field. A module that only extends
    a field (a selection value, a label) does not count."""
    names = []
    for cls in type(model).__mro__:
        if getattr(cls, "_module", None) in guard.KNOWN_MODULES:
            continue
        for name, value in vars(cls).items():
            args = getattr(value, "args", None)
            if isinstance(value, fields.Field) and callable(
                (args or {}).get("default")
            ):
                names.append(name)
    return names


# copies whose create bookkeeping is done at once (see clone_records)
CHUNK = 2000


def clone_records(first, varying, values, columns, per_copy=None):
    """Copies of the record ``first``, one for each of ``values`` in order,
    whose column ``varying`` holds that value; every other column in
    ``columns`` as ``first`` has it, except the columns of ``per_copy``
    (``{column: [one value per copy]}``), which each copy takes from there
    (e.g. a message's own Message-Id). Returns the copies (same environment).

    The ORM's create bookkeeping follows: caches of one2many fields that point
    to the model are dropped, the copies' fields are protected while what
    depends on them elsewhere is marked for recomputation, and the Python
    constraints of their stored fields are checked."""
    model = first.browse()
    if not values:
        return model
    per_copy = dict(per_copy or {})
    for column, column_values in per_copy.items():
        if len(column_values) != len(values):
            raise ValueError(f"{column}: {len(column_values)} values for {len(values)}")
    columns = [name for name in columns if name not in per_copy]
    first.flush_recordset()
    column_sql = SQL(", ").join(SQL.identifier(name) for name in columns)
    # the original's columns by table alias: the unnest's own names (value,
    # n, the per-copy columns) could be columns of the model too
    source_sql = SQL(", ").join(SQL.identifier("src", name) for name in columns)
    own = list(per_copy)
    own_sql = SQL("").join(SQL(", %s", SQL.identifier(name)) for name in own)
    own_values = SQL("").join(SQL(", v.%s", SQL.identifier(name)) for name in own)
    # typed arrays: a column of NULLs alone would be an array of unknown type
    arrays = SQL("").join(
        SQL(
            ", %s::%s[]",
            per_copy[name],
            SQL(model._fields[name].column_type[1].split("(")[0]),
        )
        for name in own
    )
    env = first.env
    env.cr.execute(
        SQL(
            """
            INSERT INTO %(table)s (%(varying)s%(own)s, %(columns)s)
            SELECT v.value%(own_values)s, %(source)s
              FROM %(table)s src,
                   unnest(%(values)s%(arrays)s)
                       WITH ORDINALITY AS v(value%(own)s, n)
             WHERE src.id = %(first)s
             ORDER BY v.n
            RETURNING id
            """,
            table=SQL.identifier(model._table),
            varying=SQL.identifier(varying),
            own=own_sql,
            own_values=own_values,
            arrays=arrays,
            columns=column_sql,
            source=source_sql,
            values=list(values),
            first=first.id,
        )
    )
    copies = model.browse([row[0] for row in env.cr.fetchall()])
    if len(copies) != len(values):  # the original vanished: never silently
        raise RuntimeError(f"{model._name}: copied {len(copies)} of {len(values)}")
    _clone_many2many(first, copies)
    # The ORM adds created records to the cached one2many fields that point
    # to them (e.g. stock.lot.quant_ids): drop those caches.
    for field in model._fields.values():
        for inverse in env.registry.field_inverses[field]:
            env[inverse.model_name].invalidate_model([inverse.name])
    # As in BaseModel._create: the copies' own fields hold their values
    # (protected); what depends on them elsewhere is recomputed. Done by
    # chunks, each its own prefetch set, whose values are dropped from the
    # cache after: reading the fields the triggers follow would otherwise
    # load every column of every copy at once (hundreds of MB at 50,000).
    # Only a chunk is protected at a time: that holds because no trigger of
    # the cloned models (serials, their messages, move lines, quants) leads
    # from one such record to another of the same batch. A failed constraint
    # names what its chunk holds (the serial entry refuses duplicates and
    # bad names, all of them, before anything is written).
    checked = columns + [varying] + own
    for start in range(0, len(copies), CHUNK):
        chunk = model.browse(copies._ids[start : start + CHUNK])
        with env.protecting(list(model._fields.values()), chunk):
            chunk.modified(list(model._fields), create=True)
        chunk._validate_fields(checked)
        if len(copies) > CHUNK:
            chunk.invalidate_recordset()
    return copies


def _clone_many2many(first, copies):
    """The many2many links of ``first``, given to each copy as create() would
    have given them from the same values."""
    cr = first.env.cr
    for field in first._fields.values():
        if field.type != "many2many" or not field.store:
            continue
        cr.execute(
            SQL(
                """
                INSERT INTO %(rel)s (%(col1)s, %(col2)s)
                SELECT c.id, r.%(col2)s
                  FROM %(rel)s r, unnest(%(copies)s) AS c(id)
                 WHERE r.%(col1)s = %(first)s
                ON CONFLICT DO NOTHING
                """,
                rel=SQL.identifier(field.relation),
                col1=SQL.identifier(field.column1),
                col2=SQL.identifier(field.column2),
                copies=list(copies.ids),
                first=first.id,
            )
        )


def read_rows(records, columns):
    """The stored ``columns`` of ``records`` (and their id) as dicts, in one
    query: reading thousands of records field by field through the ORM costs
    seconds."""
    records.flush_recordset(columns)
    records.env.cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE id = ANY(%s)",
            SQL(", ").join(SQL.identifier(name) for name in columns),
            SQL.identifier(records._table),
            list(records.ids),
        )
    )
    return records.env.cr.dictfetchall()


def write_values(records, fname, values):
    """records[i].fname = values[i] for a plain stored field, as the ORM's
    write does for each record (cache set and marked to store, write
    date and user, dependents recomputed) but in one step: the values are
    stored by the next flush of these records, in the same UPDATEs as their
    other pending writes. Only for plain fields (no compute, inverse or
    company-dependent value, which write() would handle): the caller asks
    :mod:`.guard` whether write() may be skipped."""
    field = records._fields[fname]
    assert field.store and field.column_type and not field.relational
    assert not (field.compute or field.inverse or field.company_dependent)
    assert len(records) == len(values)
    if not records:
        return
    env = records.env
    env.remove_to_compute(field, records)
    cache = env.cache
    cache.update(
        records, field, [field.convert_to_cache(v, records) for v in values], dirty=True
    )
    if records._log_access:
        for name, value in (("write_uid", env.uid), ("write_date", env.cr.now())):
            magic = records._fields[name]
            cache.update(
                records,
                magic,
                [magic.convert_to_cache(value, records)] * len(records),
                dirty=True,
            )
    records.modified([fname])


def own_message_ids(message, res_ids):
    """A Message-Id for each copy of ``message`` posted on the documents
    ``res_ids``: mail clients and the mail gateway thread replies by it, so
    copies never share the original's. Each has the form mail gave the
    original (the document in it when mail put it there)."""
    match = re.search(r"-openerp-(.+)@", message.message_id or "")
    res = match.group(1) if match else "message-notify"
    own = res == f"{message.res_id}-{message.model}"
    return [
        generate_tracking_message_id(f"{res_id}-{message.model}" if own else res)
        for res_id in res_ids
    ]
