# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Creating thousands of records that differ in one column (issue 6).

Thousands of serials created at once (a receipt, a purchase order's planned
serials) make rows that are all alike but for one column: the serial's name,
its quant's serial, its chatter message's document. The first record goes
through the ORM, every module's create included; the others are copies of its
row made by one INSERT ... SELECT, with the ORM's bookkeeping of a create
(cache, one2many inverses, computed fields of other records, constraints).

Callers decide when a copy is exactly what the ORM would have stored: only
when no module they do not know overrides the creation, and when no stored
field depends on the column that differs (``clone_columns`` returns None).
``only_known_modules`` tells whether only known modules create the records;
``read_rows`` reads a few columns of thousands of records in one query.
"""

from odoo.tools import SQL


def clone_columns(model, varying):
    """The stored columns of ``model`` that a copy takes from its original:
    all but ``id`` and ``varying``. None when a stored field depends on
    ``varying`` (its value would differ from the original's)."""
    depends = model.env.registry.field_depends
    columns = []
    for name, field in model._fields.items():
        if not (field.store and field.column_type) or name in ("id", varying):
            continue
        paths = list(depends.get(field, ()))
        if field.related:
            paths.append(".".join(field.related))
        if any(path.split(".")[0] == varying for path in paths):
            return None
        columns.append(name)
    return columns


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
    own = list(per_copy)
    own_sql = SQL("").join(SQL(", %s", SQL.identifier(name)) for name in own)
    own_values = SQL("").join(SQL(", v.%s", SQL.identifier(name)) for name in own)
    arrays = SQL("").join(SQL(", %s", per_copy[name]) for name in own)
    env = first.env
    env.cr.execute(
        SQL(
            """
            INSERT INTO %(table)s (%(varying)s%(own)s, %(columns)s)
            SELECT v.value%(own_values)s, %(columns)s
              FROM %(table)s,
                   unnest(%(values)s%(arrays)s)
                       WITH ORDINALITY AS v(value%(own)s, n)
             WHERE %(table)s.id = %(first)s
             ORDER BY v.n
            RETURNING id
            """,
            table=SQL.identifier(model._table),
            varying=SQL.identifier(varying),
            own=own_sql,
            own_values=own_values,
            arrays=arrays,
            columns=column_sql,
            values=list(values),
            first=first.id,
        )
    )
    copies = model.browse([row[0] for row in env.cr.fetchall()])
    if len(copies) != len(values):  # the original vanished: never silently
        raise RuntimeError(f"{model._name}: copied {len(copies)} of {len(values)}")
    # The ORM adds created records to the cached one2many fields that point
    # to them (e.g. stock.lot.quant_ids): drop those caches.
    for field in model._fields.values():
        for inverse in env.registry.field_inverses[field]:
            env[inverse.model_name].invalidate_model([inverse.name])
    # As in BaseModel._create: the copies' own fields hold their values
    # (protected); what depends on them elsewhere is recomputed.
    with env.protecting(list(model._fields.values()), copies):
        copies.modified(list(model._fields), create=True)
    copies._validate_fields(columns + [varying] + own)
    return copies


def only_known_modules(model, methods, known):
    """True when, in the class hierarchy of ``model``, only the modules in
    ``known`` (and the ORM's own classes) define any of ``methods``: copies
    made by clone_records would skip any other module's code."""
    known = {None, "", "base", *known}
    for cls in type(model).__mro__:
        if getattr(cls, "_module", None) in known:
            continue
        if any(method in vars(cls) for method in methods):
            return False
    return True


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
