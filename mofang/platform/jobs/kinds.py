"""Job kinds declared by the apps that start them (AppConfig.ready()): a Chinese title for the
pages, whether a job of the kind is safe to run again (the reaper re-queues it when its worker
died, and the 失败任务 page offers 重试), and the app's hooks for a run that was abandoned or retried.

A kind is an exact job kind ("enrollment:draw") or a family ending in ":*" ("import:*").
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    kind: str
    title: str
    # Safe to run again from the start: the work is all-or-nothing (one transaction) or idempotent
    # (a re-run after a partial or even a complete run changes nothing more).
    retry_safe: bool = False
    # Called (inside the reaper's transaction) when a job of this kind is given up as failed
    # because its worker died: release what the app marked as "in progress" for it.
    on_abandoned: Callable | None = None  # (job) -> None
    # Called (inside the retry's transaction) before a person re-queues a failed job: check the
    # app's own permission and state, mark it in progress again; raise ValidationError to refuse.
    before_retry: Callable | None = None  # (job, acting_user) -> None


JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(
    kind: str,
    title: str,
    *,
    retry_safe: bool = False,
    on_abandoned: Callable | None = None,
    before_retry: Callable | None = None,
) -> JobKind:
    spec = JobKind(kind, title, retry_safe, on_abandoned, before_retry)
    JOB_KINDS[kind] = spec
    return spec


def job_kind(kind: str) -> JobKind | None:
    """The declaration of `kind`: its own, else its family's ("import:*" for "import:schools")."""
    if kind in JOB_KINDS:
        return JOB_KINDS[kind]
    family, sep, _rest = kind.partition(":")
    return JOB_KINDS.get(f"{family}:*") if sep else None
