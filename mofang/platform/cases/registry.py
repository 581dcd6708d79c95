"""Case types, declared in code by modules (AppConfig.ready()) and validated when registered.

A type is data: its states (each open, closed_fixed or closed_not_fixed), the transitions
between them (who may fire each, on which side of the case, whether a comment is required),
a deadline per state by severity, reminders before a deadline, what happens when a case is
overdue, whether the reporter must confirm a fixed closure and whether a closed case may be
re-opened (回头看). A transition out of a closed state *is* the re-opening.

Who may act is always a permission (or a role) held on an org subtree, never a named person:
`at="responsible"` checks the unit the case is assigned to now, `at="reporting"` the unit that
reported it (the reporter personally may always act on the reporting side).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

OPEN = "open"
CLOSED_FIXED = "closed_fixed"
CLOSED_NOT_FIXED = "closed_not_fixed"
STATE_KINDS = {OPEN: "办理中", CLOSED_FIXED: "已办结（已解决）", CLOSED_NOT_FIXED: "已办结（未解决）"}

RESPONSIBLE = "responsible"
REPORTING = "reporting"

# What happens to an overdue case (SPEC §1.8)
TO_PARENT_UNIT = "parent_unit"  # the unit above takes the case over (一键上报)
TO_SUPERVISION = "supervision_order"  # a 督办单 is issued; the unit keeps the case
TO_EXTERNAL = "external"  # handed off to an external platform (基层治理四平台) through an adapter
ESCALATIONS = {TO_PARENT_UNIT: "上报上级", TO_SUPERVISION: "督办", TO_EXTERNAL: "转外部平台"}

DEFAULT_SEVERITIES = (("high", "紧急"), ("normal", "一般"))


class DeclarationError(ValueError):
    """A case type declaration is inconsistent (raised at registration, i.e. at start-up)."""


@dataclass(frozen=True)
class WorkingDays:
    """A deadline of N working days ("N 个工作日"), counted on the working-day calendar of the case's
    responsible unit (mofang.platform.workdays): due at the end of the N-th working day after the
    day the case enters the state (that day itself not counted)."""

    days: int

    def __str__(self) -> str:
        return f"{self.days}个工作日"


Deadline = dt.timedelta | WorkingDays


def deadline_is_positive(d: Deadline) -> bool:
    return d.days > 0 if isinstance(d, WorkingDays) else d > dt.timedelta(0)


@dataclass(frozen=True)
class State:
    code: str
    label: str
    kind: str = OPEN
    # severity -> time allowed in this state: a timedelta, or WorkingDays(n) for "n 个工作日"
    deadline: dict[str, Deadline] = field(default_factory=dict)
    # what the case reads once somebody has claimed it while it is still in this state (a state
    # named 待认领 would otherwise go on saying so after 认领); "" keeps `label`
    claimed_label: str = ""


@dataclass(frozen=True)
class Transition:
    code: str
    label: str
    source: tuple[str, ...]
    target: str
    permission: str | None = None
    role: str | None = None
    at: str = RESPONSIBLE
    needs_comment: bool = False
    claimant_only: bool = False  # only the user who claimed the case (it must be claimed)

    def __post_init__(self):
        if isinstance(self.source, str):
            object.__setattr__(self, "source", (self.source,))


@dataclass(frozen=True)
class Escalation:
    to: str  # TO_PARENT_UNIT / TO_SUPERVISION / TO_EXTERNAL
    adapter: str = "record"  # for TO_EXTERNAL: the adapter code (adapters.ADAPTERS)


@dataclass(frozen=True)
class CaseType:
    code: str
    name: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial: str
    number_prefix: str = "AJ"
    view_permission: str | None = None  # who sees the cases (scope layer), used by lists and reports
    report_permission: str | None = None  # who may open a case, on the reporting unit
    claim_permission: str | None = None  # who may claim (认领) from the responsible unit's queue
    claim_role: str | None = None
    escalate_permission: str | None = None  # who may escalate by hand, on the responsible unit
    severities: tuple[tuple[str, str], ...] = DEFAULT_SEVERITIES
    categories: tuple[tuple[str, str], ...] = ()  # empty: any category
    remind_before: dt.timedelta | None = None
    escalation: Escalation | None = None
    reporter_confirms: bool = False  # every transition into a closed_fixed state is fired by the reporting side
    reopenable: bool = False  # transitions out of closed states (回头看) are allowed
    sms: bool = False  # notifications also go out by SMS
    router: Callable | None = None  # (reporting_org, category, lon, lat) -> responsible OrgUnit or None
    # Open311 GeoReport v2 (/open311/v2/): the type is listed as a service (service_code = code) and
    # its *public* cases are readable by anyone; with `public_intake` the public may also report:
    # (lon, lat) -> the OrgUnit the report is filed at (its reporting unit), or None to refuse the place
    open311: bool = False
    public_intake: Callable | None = None
    # the adapter of 转四平台 by hand; None: the overdue escalation's adapter when that is external,
    # else "record" (the hand-off is recorded, nothing is sent)
    handoff_adapter: str | None = None
    # (case, transition, acting_user, now) -> None, called inside fire()'s transaction after the
    # timeline and audit rows: a module's own records follow the case at once, whichever page
    # fired it (the generic /cases/ page included); an exception undoes the transition
    after_transition: Callable | None = None
    # who may set or change a case's own due date (整改期限 typed by an inspector, a legal time limit),
    # which then overrides the states' deadlines; checked on the reporting or the responsible side
    due_date_permission: str | None = None
    due_date_at: str = REPORTING
    # a type whose cases are read only on its module's own pages (which audit every read, e.g. 心理危机个案):
    # (user, case pk) -> that page's URL if the user may open the case there, else None. The generic
    # surfaces (lists, /cases/<id>/, attachments, the API, 待我单位认领) leave such cases out, and the
    # generic detail page — where the engine's messages link — sends a reader who may see it there
    own_page: Callable[[object, int], str | None] | None = None

    # --- lookups ---------------------------------------------------------------------------
    def state(self, code: str) -> State:
        for s in self.states:
            if s.code == code:
                return s
        raise KeyError(code)

    def state_label(self, code: str) -> str:
        try:
            return self.state(code).label
        except KeyError:
            return code

    def status_label(self, code: str, *, claimed: bool) -> str:
        """What a case in state `code` reads now: the state's claimed_label once it is claimed."""
        try:
            s = self.state(code)
        except KeyError:
            return code
        return s.claimed_label if claimed and s.claimed_label else s.label

    def irreversible(self, t: Transition) -> bool:
        """Whether firing `t` cannot be undone: it closes the case and nothing leads out of that
        closed state (no 回头看). The page asks for a confirmation first."""
        return self.state(t.target).kind != OPEN and not self.transitions_from(t.target)

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.source]

    def transition(self, state: str, code: str) -> Transition | None:
        return next((t for t in self.transitions_from(state) if t.code == code), None)

    def codes_of_kind(self, kind: str) -> list[str]:
        return [s.code for s in self.states if s.kind == kind]

    def deadline(self, state: str, severity: str) -> Deadline | None:
        return self.state(state).deadline.get(severity)

    def is_reopening(self, t: Transition) -> bool:
        return self.state(t.source[0]).kind != OPEN


CASE_TYPES: dict[str, CaseType] = {}


def validate(ct: CaseType) -> None:
    """Refuse a declaration the engine could not run: the rules every module's graph obeys."""
    where = f"case type {ct.code!r}"
    codes = [s.code for s in ct.states]
    if not ct.code or len(ct.code) > 40:
        raise DeclarationError(f"{where}: code must be 1–40 characters")
    if len(set(codes)) != len(codes):
        raise DeclarationError(f"{where}: duplicate state codes")
    if any(len(c) > 30 for c in codes):
        raise DeclarationError(f"{where}: state codes are at most 30 characters")
    severities = {s for s, _ in ct.severities}
    for s in ct.states:
        if s.kind not in STATE_KINDS:
            raise DeclarationError(f"{where}: state {s.code!r} has unknown kind {s.kind!r}")
        if s.kind != OPEN and s.deadline:
            raise DeclarationError(f"{where}: closed state {s.code!r} cannot have a deadline")
        if set(s.deadline) - severities:
            raise DeclarationError(f"{where}: state {s.code!r} has deadlines for unknown severities")
        if any(not isinstance(d, (dt.timedelta, WorkingDays)) for d in s.deadline.values()):
            raise DeclarationError(
                f"{where}: state {s.code!r} has a deadline that is neither a timedelta nor WorkingDays"
            )
        if any(not deadline_is_positive(d) for d in s.deadline.values()):
            raise DeclarationError(f"{where}: state {s.code!r} has a deadline that is not positive")
    if ct.initial not in codes:
        raise DeclarationError(f"{where}: unknown initial state {ct.initial!r}")
    if ct.state(ct.initial).kind != OPEN:
        raise DeclarationError(f"{where}: the initial state must be open")
    if not any(s.kind != OPEN for s in ct.states):
        raise DeclarationError(f"{where}: no closed state")
    seen = set()
    for t in ct.transitions:
        unknown = [c for c in (*t.source, t.target) if c not in codes]
        if unknown:
            raise DeclarationError(f"{where}: transition {t.code!r} names unknown states {unknown}")
        if not t.source:
            raise DeclarationError(f"{where}: transition {t.code!r} has no source state")
        if t.at not in (RESPONSIBLE, REPORTING):
            raise DeclarationError(f"{where}: transition {t.code!r} has unknown side {t.at!r}")
        if t.at == RESPONSIBLE and not (t.permission or t.role):
            raise DeclarationError(f"{where}: transition {t.code!r} names no permission or role")
        kinds = {ct.state(c).kind == OPEN for c in t.source}
        if len(kinds) != 1:
            raise DeclarationError(f"{where}: transition {t.code!r} mixes open and closed source states")
        if ct.is_reopening(t):
            if not ct.reopenable:
                raise DeclarationError(
                    f"{where}: transition {t.code!r} leaves a closed state but the type is not reopenable"
                )
            if ct.state(t.target).kind != OPEN:
                raise DeclarationError(f"{where}: re-opening transition {t.code!r} must lead to an open state")
        if ct.reporter_confirms and ct.state(t.target).kind == CLOSED_FIXED and t.at != REPORTING:
            raise DeclarationError(
                f"{where}: the reporter confirms closure, so {t.code!r} must be fired at='reporting'"
            )
        for src in t.source:
            if (src, t.code) in seen:
                raise DeclarationError(f"{where}: transition {t.code!r} declared twice from {src!r}")
            seen.add((src, t.code))
    # every state reachable from the initial one, and every open state able to reach a closed one
    reachable, frontier = {ct.initial}, [ct.initial]
    while frontier:
        for t in ct.transitions_from(frontier.pop()):
            if t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    unreachable = [c for c in codes if c not in reachable]
    if unreachable:
        raise DeclarationError(f"{where}: unreachable states {unreachable}")
    closing = {s.code for s in ct.states if s.kind != OPEN}
    changed = True
    while changed:
        changed = False
        for t in ct.transitions:
            if t.target in closing:
                for src in t.source:
                    if src not in closing:
                        closing.add(src)
                        changed = True
    stuck = [c for c in codes if c not in closing]
    if stuck:
        raise DeclarationError(f"{where}: states {stuck} can never reach a closed state")
    if ct.reopenable and not any(ct.is_reopening(t) for t in ct.transitions):
        raise DeclarationError(f"{where}: reopenable but no transition leaves a closed state")
    if ct.due_date_at not in (RESPONSIBLE, REPORTING):
        raise DeclarationError(f"{where}: due_date_at has unknown side {ct.due_date_at!r}")
    if ct.escalation is not None and ct.escalation.to not in ESCALATIONS:
        raise DeclarationError(f"{where}: unknown escalation {ct.escalation.to!r}")
    if ct.public_intake is not None and not ct.open311:
        raise DeclarationError(f"{where}: public_intake needs open311=True")
    if ct.claim_permission is None and ct.claim_role is None:
        raise DeclarationError(f"{where}: names no claim permission or role (who works the queue?)")


def register_case_type(ct: CaseType) -> CaseType:
    validate(ct)
    if ct.code in CASE_TYPES and CASE_TYPES[ct.code] is not ct:
        raise DeclarationError(f"case type {ct.code!r} registered twice")
    CASE_TYPES[ct.code] = ct
    # the audit log shows a case's states by their Chinese labels
    from mofang.platform.audit.display import register_audit_labels

    register_audit_labels({s.code: s.label for s in ct.states})
    return ct


def unregister_case_type(code: str) -> None:
    """For tests that declare a type of their own."""
    CASE_TYPES.pop(code, None)


def case_type(code: str) -> CaseType:
    try:
        return CASE_TYPES[code]
    except KeyError:
        raise KeyError(f"unknown case type {code!r}") from None
