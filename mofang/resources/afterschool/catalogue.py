"""The catalogue a parent chooses from, cached: a school's terms, and each course of a term with
what its card shows (teacher, institution). When a school's window opens every parent's selection
reads the same term and the same forty courses; from here a selection POST reads them with one
cache round trip (the version; the entries from this process's copy, cacheversion.get_many, else a
second) instead of two queries the ORM builds each time (issue 17).

Coherence: the entries sit under a per-school version that every save or delete of one of the
school's Term or Course rows (or of the school itself) raises, at once and again on commit (signals
below), so a change is seen by the next request and no request can cache the old rows under the new
version. What is not kept coherent, on purpose:

- a course's `taken`: seats move by one conditional UPDATE (services._take_seat) that sends no
  signal. A cached course's `taken` is never shown or trusted: the selection's answer shows the
  count that UPDATE returned, a full course shows its capacity, and any other refusal reads the
  count again (services.seats_taken);
- the teacher's or institution's name on a card may lag a rename by at most SECONDS.

In 抽签 mode a card shows the applications counted now: those courses are read from the database
(services.course_of_term with_applied), never from here.
"""

import copy

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from mofang.platform import cacheversion
from mofang.platform.orgs.models import OrgKind, OrgUnit

from .models import Course, Term

SECONDS = 300


def _version_key(school_id) -> str:
    return f"afterschool:catalogue:{school_id}"


def changed(school_id) -> None:
    """Now (this request sees it) and again on commit (no other request caches the old rows)."""
    cacheversion.bump(_version_key(school_id))


@receiver([post_save, post_delete], sender=Term)
@receiver([post_save, post_delete], sender=Course)
def _row_changed(sender, instance, **kwargs):
    changed(instance.school_id)


@receiver([post_save, post_delete], sender=OrgUnit)
def _school_changed(sender, instance, **kwargs):
    # a school saved anew (or an id used again, as SQLite's rolled-back tests do) starts a catalogue
    if instance.kind == OrgKind.SCHOOL:
        changed(instance.pk)


def current_term(terms: list[Term], now) -> Term | None:
    """The term a parent chooses in (services.term_for): the latest whose window has opened, else
    the next to open."""
    opened = [t for t in terms if t.opens_at <= now]
    if opened:
        return max(opened, key=lambda t: (t.opens_at, t.pk))
    later = [t for t in terms if t.opens_at > now]
    return min(later, key=lambda t: (t.opens_at, t.pk)) if later else None


def term_and_course(school_id, course_pk: int | None, now=None) -> tuple[Term | None, Course | None]:
    """The school's current term (current_term) and its course `course_pk` (None when
    the course is not of that term), each with the other set, from the cache when it holds them."""
    now = now or timezone.now()
    v = cacheversion.version(_version_key(school_id))
    terms_key = f"afterschool:terms:{school_id}:{v}"
    course_key = f"afterschool:course:{school_id}:{course_pk}:{v}"
    found = cacheversion.get_many([terms_key, course_key] if course_pk else [terms_key], SECONDS)
    terms = found.get(terms_key)
    if terms is None:
        terms = list(Term.objects.filter(school_id=school_id).order_by("pk"))
        cacheversion.put(terms_key, terms, SECONDS)
    term = current_term(terms, now)
    if term is None or not course_pk:
        return copy.copy(term), None
    course = found.get(course_key)
    if course is None:
        course = (
            Course.objects.filter(school_id=school_id, pk=course_pk).select_related("teacher", "institution").first()
        )
        if course is not None:  # an id that is no course is not cached: posted ids cannot fill the cache
            cacheversion.put(course_key, course, SECONDS)
    if course is None or course.term_id != term.pk:
        return copy.copy(term), None
    term, course = copy.copy(term), copy.copy(course)  # the request's own: a view sets taken and term
    course.term = term
    return term, course
