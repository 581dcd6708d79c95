"""Hand-off to external platforms (转四平台), tracked apart from the case state.

An adapter sends a case and returns the platform's id for it, and later reads the status the
platform reports. `RecordOnlyAdapter` (the default) records the hand-off and sends nothing;
`GridPlatformAdapter` speaks JSON over HTTP to the 基层治理四平台 at a configured URL:

    POST {url}/cases          {"number", "title", ...}  → 200/201 {"id": "..."}
    GET  {url}/cases/{id}                               → 200 {"status": "..."}

The URL comes from the setting or environment variable MOFANG_GRID_PLATFORM_URL (token:
MOFANG_GRID_PLATFORM_TOKEN, sent as a Bearer header).
"""

import datetime as dt
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import CaseEvent, EventKind, ExternalHandoff, SendState
from .registry import OPEN

MAX_ATTEMPTS = 5


class AdapterError(Exception):
    """The external platform refused or could not be reached (the message is kept as last_error)."""


class Adapter:
    code = ""
    name = ""

    def send(self, case) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def fetch_status(self, external_id: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class RecordOnlyAdapter(Adapter):
    """No external system: the hand-off is recorded so the case shows it was passed on."""

    code = "record"
    name = "仅登记"

    def send(self, case) -> str:
        return f"LOCAL-{case.number}"

    def fetch_status(self, external_id: str) -> str:
        return "已登记"


def _setting(name: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name, "")


class GridPlatformAdapter(Adapter):
    """基层治理四平台 over HTTP/JSON."""

    code = "grid"
    name = "基层治理四平台"
    timeout = 10

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = (url or _setting("MOFANG_GRID_PLATFORM_URL")).rstrip("/")
        self.token = token if token is not None else _setting("MOFANG_GRID_PLATFORM_TOKEN")

    def _call(self, method: str, path: str, payload: dict | None = None) -> dict:
        if not self.url:
            raise AdapterError("未配置基层治理四平台地址（MOFANG_GRID_PLATFORM_URL）")
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
        req = urllib.request.Request(
            self.url + path,
            data=body,
            method=method,
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        )
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise AdapterError(f"四平台返回错误 {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise AdapterError(f"无法连接四平台：{exc}") from exc
        except ValueError as exc:
            raise AdapterError("四平台返回的不是有效的JSON") from exc

    def send(self, case) -> str:
        answer = self._call(
            "POST",
            "/cases",
            {
                "number": case.number,
                "title": case.title,
                "description": case.description,
                "category": case.category,
                "severity": case.severity,
                "lon": str(case.lon) if case.lon is not None else None,
                "lat": str(case.lat) if case.lat is not None else None,
                "address": case.address,
                "reporting_org": case.reporting_org.name,
                "responsible_org": case.responsible_org.name,
                "due_at": case.due_at.isoformat() if case.due_at else None,
            },
        )
        external_id = str(answer.get("id") or "")
        if not external_id:
            raise AdapterError("四平台未返回案件编号")
        return external_id

    def fetch_status(self, external_id: str) -> str:
        return str(self._call("GET", f"/cases/{urllib.parse.quote(external_id)}").get("status") or "")


ADAPTERS: dict[str, type[Adapter] | Adapter] = {"record": RecordOnlyAdapter, "grid": GridPlatformAdapter}


def register_adapter(code: str, adapter) -> None:
    """An adapter class (instantiated per use) or instance, under its code."""
    ADAPTERS[code] = adapter


def adapter_for(code: str) -> Adapter:
    a = ADAPTERS[code]
    return a() if isinstance(a, type) else a


def _timeline(handoff, comment: str, data: dict, now) -> None:
    case = handoff.case
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=EventKind.EXTERNAL,
        actor_name="系统",
        org=case.responsible_org,
        from_state=case.state,
        to_state=case.state,
        comment=comment[:2000],
        data=data,
    )


def send_handoff(handoff_id: int, *, now=None) -> str:
    """One attempt to deliver a pending hand-off: "sent", "retry", "failed" or "skipped".

    The attempt is claimed with a conditional UPDATE first, so two workers never send it twice;
    no row lock is held while the remote platform answers.
    """
    now = now or timezone.now()
    handoff = (
        ExternalHandoff.objects.select_related("case__reporting_org", "case__responsible_org")
        .filter(pk=handoff_id, send_state=SendState.PENDING)
        .first()
    )
    if handoff is None:
        return "skipped"
    taken = ExternalHandoff.objects.filter(
        pk=handoff.pk, send_state=SendState.PENDING, attempts=handoff.attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=now)
    if not taken:
        return "skipped"
    attempts = handoff.attempts + 1
    adapter = adapter_for(handoff.adapter)
    try:
        external_id = adapter.send(handoff.case)
    except Exception as exc:  # noqa: BLE001 adapter boundary: any failure recorded, retried until MAX_ATTEMPTS
        failed = attempts >= MAX_ATTEMPTS
        with transaction.atomic():
            ExternalHandoff.objects.filter(pk=handoff.pk).update(
                last_error=str(exc)[:300], send_state=SendState.FAILED if failed else SendState.PENDING
            )
            if failed:
                _timeline(handoff, f"转{adapter.name}失败：{exc}", {"handoff": handoff.pk, "attempts": attempts}, now)
        return "failed" if failed else "retry"
    with transaction.atomic():
        ExternalHandoff.objects.filter(pk=handoff.pk).update(
            send_state=SendState.SENT, sent_at=now, external_id=external_id[:100], last_error=""
        )
        _timeline(
            handoff,
            f"已转{adapter.name}，对方编号{external_id}",
            {"handoff": handoff.pk, "external_id": external_id, "attempts": attempts},
            now,
        )
    return "sent"


def refresh_status(handoff_id: int, *, now=None) -> str | None:
    """Read the platform's status for a sent hand-off; a change is written to the case's timeline."""
    now = now or timezone.now()
    handoff = ExternalHandoff.objects.select_related("case__responsible_org").get(pk=handoff_id)
    if handoff.send_state != SendState.SENT:
        return None
    adapter = adapter_for(handoff.adapter)
    try:
        status = adapter.fetch_status(handoff.external_id)[:100]
    except Exception as exc:  # noqa: BLE001 adapter boundary: the status stays as last seen, the error is kept
        ExternalHandoff.objects.filter(pk=handoff.pk).update(last_checked_at=now, last_error=str(exc)[:300])
        return handoff.external_status
    with transaction.atomic():
        ExternalHandoff.objects.filter(pk=handoff.pk).update(last_checked_at=now, external_status=status, last_error="")
        if status != handoff.external_status:
            _timeline(
                handoff,
                f"{adapter.name}状态：{status}",
                {"handoff": handoff.pk, "before": handoff.external_status, "after": status},
                now,
            )
    return status


def send_pending_handoffs(now=None) -> dict:
    """Every pending hand-off gets one more attempt (the scan calls this each run)."""
    outcomes: dict[str, int] = {}
    for pk in ExternalHandoff.objects.filter(send_state=SendState.PENDING).order_by("pk").values_list("pk", flat=True):
        outcome = send_handoff(pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def refresh_sent_handoffs(now=None, *, every=dt.timedelta(minutes=30)) -> int:
    """Read the status of hand-offs of cases still open here, each at most once per `every`."""
    now = now or timezone.now()
    due = (
        ExternalHandoff.objects.filter(send_state=SendState.SENT, case__state_kind=OPEN)
        .filter(Q(last_checked_at__isnull=True) | Q(last_checked_at__lte=now - every))
        .order_by("pk")
    )
    n = 0
    for pk in due.values_list("pk", flat=True):
        refresh_status(pk, now=now)
        n += 1
    return n


@task()
def send_handoff_task(handoff_id: int) -> str:
    return send_handoff(handoff_id)


@task()
def send_pending_handoffs_task() -> dict:
    return send_pending_handoffs()


@task()
def refresh_sent_handoffs_task() -> int:
    return refresh_sent_handoffs()
