"""A sensible limit on anonymous reports: per client address and per browser session, counted
in the cache (fixed windows). Refusal is a Chinese sentence; the view answers HTTP 429."""

from django.core.cache import cache

PER_ADDRESS = (5, 3600)  # at most 5 reports an hour from one address …
PER_SESSION = (3, 600)  # … and 3 in ten minutes from one browser session


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def hit(request) -> str:
    """The refusal message when this submission would pass a limit, else '' (and it is counted:
    only accepted submissions count, so a refused retry does not extend the wait)."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if not request.session.session_key:
        request.session.save()
    addr_key = f"institutions:report:addr:{address}"
    sess_key = f"institutions:report:sess:{request.session.session_key}"
    if cache.get(sess_key, 0) >= PER_SESSION[0]:
        return "提交过于频繁：同一浏览器10分钟内最多提交3次举报，请稍后再试"
    if cache.get(addr_key, 0) >= PER_ADDRESS[0]:
        return "提交过于频繁：同一网络1小时内最多提交5次举报，请稍后再试"
    _count(addr_key, PER_ADDRESS[1])
    _count(sess_key, PER_SESSION[1])
    return ""
