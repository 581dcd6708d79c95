"""The surge's statements as PostgreSQL prepared statements (dbutils.prepared_cursor, issue 17): a
parent's selection is planned once per connection — the scoped read of the child, the child's lock,
the child's selections and the one-statement write — and MOFANG_DB_PREPARED=0 (a pooler that cannot
keep them) prepares nothing and selects all the same."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mofang.platform.accounts.scope import get_visible_or_404
from mofang.platform.people.models import Student
from mofang.resources.afterschool import services
from mofang.resources.afterschool.models import Selection

pytestmark = pytest.mark.postgres

SELECT = "afterschool.select"


def prepared() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cur.fetchall()]


def deallocate_all():
    with connection.cursor() as cur:
        cur.execute("DEALLOCATE ALL")
    connection.connection._prepared.clear()  # psycopg's own record of what it prepared


def choose(people, course):
    child = get_visible_or_404(Student, people.parent, SELECT, pk=people.child.pk)
    return services.select_course(child, course, acting_user=people.parent, in_scope=True)


def test_a_selection_is_planned_once_per_connection(people, courses):
    deallocate_all()
    choose(people, courses.jungle)
    statements = prepared()
    assert any("people_student" in s and "people_guardian" in s for s in statements)  # the scoped read
    assert any(s.startswith("WITH seat AS") for s in statements)  # seat, selection and audit row
    assert any("FOR UPDATE" in s for s in statements)  # the child's lock
    choose(people, courses.future)
    assert sorted(prepared()) == sorted(statements)  # the second selection prepared nothing new
    assert Selection.objects.filter(student=people.child).count() == 2


def test_with_prepared_statements_off_nothing_is_prepared(people, courses, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    deallocate_all()
    sel = choose(people, courses.jungle)
    assert Selection.objects.filter(pk=sel.pk).exists() and prepared() == []


@pytest.mark.django_db(transaction=True)  # the selection's transaction is the connection's own
def test_refusals_keep_the_connections_prepared_statements(people, courses):
    """A third of a surge's answers are refusals. Each used to roll back, and a ROLLBACK makes
    psycopg deallocate every statement the connection prepared: the next parent's selection parsed
    and planned all four again. A refusal writes nothing, so it now commits."""
    services.select_course(people.other_child, courses.future, acting_user=None)  # its one seat
    choose(people, courses.jungle)
    statements = prepared()
    with pytest.raises(ValidationError, match="不能重复选择"):
        choose(people, courses.jungle)
    with pytest.raises(services.SelectionRefused, match="上课时间冲突"):
        choose(people, courses.luban)
    with pytest.raises(services.SelectionRefused, match="名额已满"):
        choose(people, courses.future)
    assert sorted(prepared()) == sorted(statements)  # nothing deallocated, nothing prepared again
    assert list(Selection.objects.filter(student=people.child).values_list("course__name", flat=True)) == ["丛林穿越"]
