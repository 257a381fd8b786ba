"""Writing an import's rows and their audit records in a few cheap statements.

django-simple-history's ``bulk_create_with_history`` and ``bulk_update_with_history`` cost far
more in Python than in the database: bulk_create and bulk_update send every value of every row
through the field's whole preparation (bulk_update as a ``CASE WHEN`` expression per row and
field), and bulk_history_create then builds a historical model instance per row and prepares
it all again. For a 10 000-row file that was most of the import. Here, with the same result:

- new rows go in with one multi-row ``INSERT … RETURNING`` per batch, as bulk_create sends
  them; changed rows with one ``UPDATE … WHERE pk = %s`` executed for every row of a batch
  (``executemany``). A value is passed through the field's ``get_db_prep_save`` only where
  that could change it: always for dates, times, decimals and any field class not listed in
  ``_PASSED_THROUGH``; for a text or integer field only when the value is not already a
  ``str`` or an ``int``. Equal dates and times are converted once;
- their audit records are written by the database from the rows just written
  (``INSERT … SELECT``, batched by primary key): the historical model's own columns, type
  "+" or "~", the given user, change reason and date — the records bulk_history_create would
  have made, holding exactly what was stored.

New rows' ``auto_now`` and ``auto_now_add`` fields get the import's ``date`` (bulk_create
would take the clock once per row, microseconds apart). Anything this does not cover — a
database without ``INSERT … RETURNING``, a historical model with extra fields, history
switched off, an object with its own ``_history_user``, ``_history_date`` or
``_change_reason``, multi-table inheritance, database defaults, generated or
custom-placeholder fields — goes through simple-history's functions.
"""

import datetime
import operator
from itertools import islice

from django.conf import settings
from django.db import connections, models, router, transaction
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from agreements.models.versioning import StaleObjectError, VersionedModel

# Field classes (exactly these, not subclasses) whose get_db_prep_save returns a value of the
# Python type they hold unchanged, and that type.
_PASSED_THROUGH = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.PositiveSmallIntegerField: int,
}
# Converted once per distinct value within one call.
_MEMOISED = (datetime.date, datetime.datetime)
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user")
_OWN_HISTORY_ATTRIBUTES = ("_history_user", "_history_date", "_change_reason")


def create_with_history(objs: list, model, *, user, reason: str, date, batch_size: int) -> None:
    """Insert ``objs`` (new instances of ``model``), setting their primary keys, with audit
    records by ``user`` with ``reason`` at ``date``; all or nothing."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    history = get_history_manager_for_model(model).model
    if not _covered(model, history, objs, connection, user, adding=True):
        bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        return
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    _take_related_keys(objs, fields)  # before the transaction, as bulk_create
    with transaction.atomic(using=connection.alias, savepoint=False):
        pks = _insert(model, objs, fields, connection, date, batch_size)
        _copy_to_history(model, history, pks, "+", connection, user, reason, date, batch_size)


def update_with_history(
    objs: list, model, fields: list[str], *, user, reason: str, date, batch_size: int
) -> None:
    """Write the ``fields`` of ``objs`` (saved instances of ``model``) as they stand, with
    audit records by ``user`` with ``reason`` at ``date``; all or nothing.

    A versioned model's objects carry their next version: each row is written only where it
    still holds the one before (as a save checks it), else StaleObjectError and nothing is.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    history = get_history_manager_for_model(model).model
    versioned = issubclass(model, VersionedModel)
    if not _covered(model, history, objs, connection, user, adding=False):
        if versioned:
            _refuse_stale(model, objs)
        bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        return
    fields = [model._meta.get_field(name) for name in fields]
    _take_related_keys(objs, fields)  # before the transaction, as bulk_update
    with transaction.atomic(using=connection.alias, savepoint=False):
        _update(model, objs, fields, connection, batch_size, versioned=versioned)
        pks = [obj.pk for obj in objs]
        _copy_to_history(model, history, pks, "~", connection, user, reason, date, batch_size)


def _covered(model, history, objs, connection, user, *, adding: bool) -> bool:
    opts = model._meta
    if (
        user is None
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        or (adding and not connection.features.can_return_rows_from_bulk_insert)
        or opts.parents
        or not isinstance(opts.pk, models.AutoField)
        or hasattr(history, "history_relation")
        or not isinstance(history._meta.pk, models.AutoField)
    ):
        return False
    if any(
        field.has_db_default() or field.generated or hasattr(field, "get_placeholder")
        for field in opts.concrete_fields
    ):
        return False
    tracked = {field.name for field in history.tracked_fields}
    expected = tracked | {history._meta.pk.name, *_HISTORY_COLUMNS}
    if {field.name for field in history._meta.concrete_fields} != expected:
        return False
    if not isinstance(history._meta.get_field("history_user"), models.ForeignKey):
        return False
    return not any(
        (obj.pk is not None) is adding
        or any(hasattr(obj, name) for name in _OWN_HISTORY_ATTRIBUTES)
        for obj in objs
    )


def _passed_type(field):
    """The Python type whose values ``field.get_db_prep_save`` returns unchanged, if any."""
    if field.is_relation:
        if type(field) is not models.ForeignKey:
            return None
        field = field.target_field
    if isinstance(field, models.AutoField):
        return int
    return _PASSED_THROUGH.get(type(field))


def _preparer(field, connection):
    """The value as bulk_create would send it: ``field.get_db_prep_save``, where needed."""
    prepare = field.get_db_prep_save
    passed = _passed_type(field)
    memo = {}

    def prepared(value):
        kind = type(value)
        if kind is passed or (value is None and passed is not None):
            return value
        if kind in _MEMOISED:
            if value not in memo:
                memo[value] = prepare(value, connection)
            return memo[value]
        return prepare(value, connection)

    return prepared


def _batches(items: list, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _take_related_keys(objs: list, fields) -> None:
    """As bulk_create and bulk_update: a foreign key to an object saved since it was assigned
    takes that object's key; one never saved is refused."""
    relations = [field for field in fields if field.is_relation]
    for obj in objs:
        for field in relations:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is None:
                    continue
                value = getattr(related, field.target_field.attname)
                if value is None:
                    raise ValueError(
                        f"Saving prohibited to prevent data loss due to unsaved related "
                        f"object '{field.name}'."
                    )
                setattr(obj, field.attname, value)


def _values(fields, connection):
    """An object's values of ``fields``, prepared for the database, as a list."""
    get = operator.attrgetter(*(field.attname for field in fields))
    if len(fields) == 1:
        get = (lambda one: lambda obj: (one(obj),))(get)
    preparers = [_preparer(field, connection) for field in fields]
    return lambda obj: [prepare(value) for prepare, value in zip(preparers, get(obj), strict=True)]


def _insert(model, objs: list, fields, connection, date, batch_size: int) -> list:
    opts = model._meta
    ops = connection.ops
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, date)
    values = _values(fields, connection)
    size = max(1, min(batch_size, ops.bulk_batch_size(fields, objs)))
    table = ops.quote_name(opts.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    returning, returning_params = ops.return_insert_columns([opts.pk])
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pks = []
    with connection.cursor() as cursor:
        for batch in _batches(objs, size):
            params = []
            for obj in batch:
                params.extend(values(obj))
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES "
                + ", ".join([row_sql] * len(batch))
                + f" {returning}"
            )
            cursor.execute(sql, (*params, *returning_params))
            rows = ops.fetch_returned_insert_rows(cursor)
            for obj, (pk,) in zip(batch, rows, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
                pks.append(pk)
    return pks


def _update(model, objs: list, fields, connection, batch_size: int, *, versioned: bool) -> None:
    opts = model._meta
    ops = connection.ops
    values = _values(fields, connection)
    pk = opts.pk
    assignments = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {ops.quote_name(opts.db_table)} SET {assignments} "
        f"WHERE {ops.quote_name(pk.column)} = %s"
    )
    if versioned:  # the row must still hold the version the plan read (one before the new)
        sql += f" AND {ops.quote_name(opts.get_field('version').column)} = %s"
    prepare_pk = _preparer(pk, connection)
    with connection.cursor() as cursor:
        for batch in _batches(objs, batch_size):
            rows = [
                (*values(obj), prepare_pk(obj.pk), *((obj.version - 1,) if versioned else ()))
                for obj in batch
            ]
            cursor.executemany(sql, rows)
            if versioned and cursor.rowcount != len(batch):
                _refuse_stale(model, batch)


def _refuse_stale(model, objs: list) -> None:
    """StaleObjectError for the first of ``objs`` whose row no longer holds the version
    before the one it carries (someone saved it since it was read)."""
    stored = dict(
        model._base_manager.filter(pk__in=[obj.pk for obj in objs]).values_list("pk", "version")
    )
    for obj in objs:
        if stored.get(obj.pk) != obj.version - 1:
            raise StaleObjectError(obj)


def _copy_to_history(model, history, pks, kind, connection, user, reason, date, batch_size):
    ops = connection.ops
    hopts = history._meta
    tracked = history.tracked_fields
    target = [hopts.get_field(f.name).column for f in tracked]
    source = [f.column for f in tracked]
    target += [hopts.get_field(name).column for name in _HISTORY_COLUMNS]
    fixed = [
        hopts.get_field("history_date").get_db_prep_save(date, connection),
        reason,
        kind,
        hopts.get_field("history_user").get_db_prep_save(user.pk, connection),
    ]
    limit = connection.features.max_query_params
    size = min(batch_size, limit - len(fixed)) if limit else batch_size
    pk_column = ops.quote_name(model._meta.pk.column)
    head = (
        f"INSERT INTO {ops.quote_name(hopts.db_table)} "
        f"({', '.join(ops.quote_name(c) for c in target)}) "
        f"SELECT {', '.join(ops.quote_name(c) for c in source)}, "
        f"{', '.join(['%s'] * len(fixed))} "
        f"FROM {ops.quote_name(model._meta.db_table)} WHERE {pk_column} IN "
    )
    with connection.cursor() as cursor:
        for batch in _batches(pks, size):
            sql = f"{head}({', '.join(['%s'] * len(batch))}) ORDER BY {pk_column}"
            cursor.execute(sql, (*fixed, *batch))
