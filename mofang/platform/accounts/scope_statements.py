"""The scope layer's compiled statements: one object by its key, read through the scope, without the
ORM building and compiling the same SQL on every request.

`get_visible_or_404` is every detail view's first statement, and for a parent's "@own" grant the ORM
builds and compiles a four-join query each time (about half a millisecond of Python, more than the
database spends running it). Here that query is compiled once per *shape* — the model and its scope
declarations, the permission, the grants' kinds (whole subtree, "@own", "@assigned") in order, the
lookup's field names and the database — with placeholders for the grants' paths and units, the user
and the looked-up values, whose positions among the parameters are remembered. A later request of
the same shape runs the remembered SQL with its own values in those positions.

The SQL is always the one `model.objects.visible_to(...).get(...)` compiles: the model's own
`visible_to`, overrides included, asked for a stand-in user holding placeholder grants. A shape whose
statement cannot be reused exactly — a placeholder that does not come back as one parameter, a
manager that selects more than the model's columns, a lookup on a field that is not a plain integer
or text column — is remembered as such and takes the ORM path every time. The cache lives on the
database connection (one per thread), so it never crosses threads or databases, and it is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections, router
from django.db.models.query import MAX_GET_RESULTS

from mofang.platform.dbutils import prepared_cursor

# integer columns of at least 32 bits (the placeholders must fit), and text
INT_FIELDS = {
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
}
TEXT_FIELDS = {"CharField", "TextField", "SlugField"}
MAX_SHAPES = 512
# placeholders: integers inside every integer column's range, text no path or value contains
_INT_BASE = 2_147_470_000
_USER, _VALUE, _ORG = _INT_BASE, _INT_BASE + 1_000, _INT_BASE + 2_000  # the user; lookup values; grants' org ids
_PATH_TOKEN = "\x1fscope-path-{}\x1f"
_TEXT_TOKEN = "\x1fscope-value-{}\x1f"

UNUSABLE = object()  # a shape whose statement cannot be reused: the ORM path, every time
EMPTY = object()  # a shape that can match nothing (no grant applies to the model)


@dataclass(frozen=True)
class Statement:
    sql: str
    # per parameter: ("const", value) | ("user", None) | ("path", (grant index, template))
    # | ("org", grant index) | ("value", lookup index)
    slots: tuple[tuple[str, object], ...]
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple, object], ...]  # (column, converter functions, expression)


def fetch(model, user, perm: str, grants, lookup: dict):
    """The one object of `model` matching `lookup` that `user` may see by `perm` (`grants`, the
    user's grants for it), None when there is none, or UNUSABLE when this shape has no reusable
    statement (the caller then asks the ORM)."""
    names = tuple(sorted(lookup))
    values = [lookup[n] for n in names]
    fields = _lookup_fields(model, names)
    if fields is None:
        return UNUSABLE
    using = router.db_for_read(model)
    connection = connections[using]
    prepared = []
    for field, value in zip(fields, values):
        value = _prepare(connection, field, value)
        if value is UNUSABLE:
            return UNUSABLE
        if value is EMPTY:  # an integer outside the column's range matches no row (as the ORM says)
            return None
        prepared.append(value)
    shapes = connection.__dict__.setdefault("_mofang_scope_statements", {})
    declared = (getattr(model, "scope_org_field", None), getattr(model, "scope_owner_field", None),
                getattr(model, "scope_assignee_field", None))  # fmt: skip
    key = (model, declared, perm, names, tuple((g.own, g.assigned) for g in grants))
    statement = shapes.get(key)
    if statement is None:
        statement = _compile(model, perm, names, fields, grants, using)
        if len(shapes) >= MAX_SHAPES:
            shapes.clear()
        shapes[key] = statement
    if statement is UNUSABLE:
        return UNUSABLE
    if statement is EMPTY:
        return None
    like = connection.ops.prep_for_like_query
    params = []
    for kind, arg in statement.slots:
        if kind == "const":
            params.append(arg)
        elif kind == "user":
            params.append(user.pk)
        elif kind == "path":
            index, template = arg
            params.append(template.replace(_PATH_TOKEN.format(index), like(grants[index].path)))
        elif kind == "org":
            params.append(grants[arg].org_id)
        else:
            params.append(prepared[arg])
    with prepared_cursor(connection) as cursor:  # parsed and planned once per connection on PostgreSQL
        cursor.execute(statement.sql, params)
        rows = cursor.fetchmany(2)
    if not rows:
        return None
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")
    row = list(rows[0])
    for column, functions, expression in statement.converters:
        value = row[column]
        for convert in functions:
            value = convert(value, expression, connection)
        row[column] = value
    return model.from_db(using, statement.attnames, row)


def _lookup_fields(model, names):
    fields = []
    for name in names:
        if "__" in name:
            return None
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:  # the ORM gives its own answer
            return None
        if not field.concrete or (field.is_relation and not field.many_to_one):
            return None
        target = field.target_field if field.is_relation else field  # a foreign key: its target's kind
        if target.get_internal_type() not in INT_FIELDS | TEXT_FIELDS:
            return None
        fields.append(target)
    return fields


def _prepare(connection, field, value):
    """The value as the ORM would send it for an exact lookup, for the two plain kinds only."""
    if field.get_internal_type() in INT_FIELDS:
        if type(value) is not int:
            return UNUSABLE
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and value < low) or (high is not None and value > high):
            return EMPTY
        return value
    if not isinstance(value, str):
        return UNUSABLE
    return str(value)


class _StandIn:
    """A user holding placeholder grants, for compiling a shape: what grants_for reads of a user."""

    is_authenticated = is_active = True

    def __init__(self, perm: str, grants):
        from .scope import GRANTS_CACHE

        self.pk = self.id = _USER
        setattr(self, GRANTS_CACHE, {perm: grants})


def _compile(model, perm, names, fields, grants, using):
    """Compile the shape once, with placeholders, and find each placeholder among the parameters."""
    from .scope import Grant

    probes = [Grant(_PATH_TOKEN.format(i), g.own, _ORG + i, assigned=g.assigned) for i, g in enumerate(grants)]
    lookup_probe = {}
    for i, (name, field) in enumerate(zip(names, fields)):
        lookup_probe[name] = _VALUE + i if field.get_internal_type() in INT_FIELDS else _TEXT_TOKEN.format(i)
    try:
        queryset = model.objects.visible_to(_StandIn(perm, probes), perm)
        if queryset.query.is_empty():
            return EMPTY  # no grant applies to this model: nothing to find, whatever the values
        clone = queryset.filter(**lookup_probe)
        if clone.query.can_filter() and not clone.query.distinct_fields:
            clone = clone.order_by()
        clone.query.set_limits(high=MAX_GET_RESULTS)
        compiler = clone.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
    except (EmptyResultSet, AttributeError, TypeError, ValueError):
        return UNUSABLE  # a visible_to that wants more of the user, or a placeholder it refused
    concrete = model._meta.concrete_fields
    if (
        compiler.annotation_col_map
        or (compiler.klass_info or {}).get("related_klass_infos")
        or [getattr(expression, "target", None) for expression, _sql, _alias in compiler.select] != list(concrete)
    ):
        return UNUSABLE  # the manager selects more (or less) than the model's own columns
    slots = []
    seen_values = set()
    for param in params:
        slot = _slot(param, len(grants), len(names))
        if slot is UNUSABLE:
            return UNUSABLE
        if slot[0] == "value":
            seen_values.add(slot[1])
        slots.append(slot)
    if "\x1f" in sql or str(_INT_BASE)[:6] in sql or len(seen_values) != len(names):
        return UNUSABLE  # a placeholder written into the SQL itself, or a value that went missing
    converters = tuple(
        (column, tuple(functions), expression)
        for column, (functions, expression) in compiler.get_converters([s[0] for s in compiler.select]).items()
    )
    return Statement(sql, tuple(slots), tuple(f.attname for f in concrete), converters)


def _slot(param, n_grants: int, n_names: int):
    if type(param) is int:
        if param == _USER:
            return ("user", None)
        if _VALUE <= param < _VALUE + n_names:
            return ("value", param - _VALUE)
        if _ORG <= param < _ORG + n_grants:
            return ("org", param - _ORG)
        if _INT_BASE <= param < _INT_BASE + 10_000:
            return UNUSABLE  # near the placeholders but none of them: do not guess
        return ("const", param)
    if isinstance(param, bool):
        return ("const", param)
    if isinstance(param, str) and "\x1f" in param:
        for i in range(n_grants):
            token = _PATH_TOKEN.format(i)
            if token in param:
                if param.count("\x1f") != 2 or param.replace(token, "") not in ("%", ""):
                    return UNUSABLE
                return ("path", (i, param))
        for i in range(n_names):
            if param == _TEXT_TOKEN.format(i):
                return ("value", i)
        return UNUSABLE
    if isinstance(param, str):
        return ("const", param)
    return UNUSABLE  # a constant of another type: its type on the server is not the statement's to fix


def compiled_shapes(using: str = "default") -> int:
    """How many reusable statements this thread's connection holds (for the tests)."""
    shapes = connections[using].__dict__.get("_mofang_scope_statements", {})
    return sum(isinstance(statement, Statement) for statement in shapes.values())


def forget(using: str | None = None) -> None:
    """Drop the compiled statements (a schema change in tests; never needed in a running platform)."""
    for alias in [using] if using else connections:
        connections[alias].__dict__.pop("_mofang_scope_statements", None)
