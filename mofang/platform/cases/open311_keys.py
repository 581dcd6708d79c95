"""Which systems may file requests on the Open311 endpoint (GeoReport v2 passes `api_key` with each
POST): a platform API key (接口密钥, mofang.platform.api) made on the page /api-keys/ with the right
「Open311/12345 报事」 for an org subtree — the one key mechanism of the platform.

So an Open311 key is revocable on that page (a revoked key is refused at once), limited by the keys'
one rate limiter (api.keys.KEY_LIMIT: a 429 with Retry-After), and scoped: its service account holds
OPEN311_REPORT at the key's org unit, and a report whose place lies in a county outside that subtree
is refused (403). Every filed report is audited with the key's service account 「接口：<系统>」 as the
actor; the case keeps the system's name (data["source_system"]), never the key.

The environment variable MOFANG_OPEN311_API_KEYS of earlier versions is no longer read: a system
check warns when it is still set (create the keys on the page instead).
"""

import os

from django.conf import settings
from django.core import checks

from mofang.platform.accounts.ratelimit import RateLimited
from mofang.platform.accounts.registry import grant, register_permissions
from mofang.platform.api.models import ApiKey
from mofang.platform.api.registry import register_write_kind

OPEN311_REPORT = "cases.open311_report"
KIND = "open311"
OLD_SETTING = "MOFANG_OPEN311_API_KEYS"

register_permissions({OPEN311_REPORT: "通过 Open311 接口报事（12345 热线等外部系统，可授予接口密钥）"})
for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, OPEN311_REPORT)  # what an administrator may give a key on the 接口密钥 page
register_write_kind(KIND, "Open311/12345 报事", OPEN311_REPORT)


class Refused(Exception):
    """The call is refused before anything is read or written: GeoReport's error, with its status."""

    def __init__(self, message: str, status: int, retry_after: int | None = None):
        super().__init__(message)
        self.message, self.status, self.retry_after = message, status, retry_after


def key_for_report(raw: str | None) -> ApiKey:
    """The active key `raw` that may file Open311 reports, its use counted by the keys' rate limiter
    and noted (最近使用); else Refused (403, or 429 with the seconds to wait)."""
    from mofang.platform.api import keys  # its roles need every app's permissions: not at start-up

    key = keys.key_for((raw or "")[:200])
    if key is None:
        raise Refused("api_key（接入密钥）缺失、无效或已吊销：请使用平台「接口密钥」页面为本系统新建的密钥", 403)
    if KIND not in key.kinds:
        raise Refused("该 api_key（接入密钥）无权通过 Open311 报事：新建密钥时须勾选「Open311/12345 报事」", 403)
    try:
        keys.KEY_LIMIT.consume(key.pk)
    except RateLimited as exc:
        message = exc.messages[0]
        wait = next((r.seconds for r in keys.KEY_LIMIT.rates if r.message == message), 60)
        raise Refused(message, 429, wait) from None
    keys.note_use(key)
    return key


@checks.register(checks.Tags.security)
def old_setting_is_not_read(app_configs=None, **kwargs):
    if getattr(settings, OLD_SETTING, None) or os.environ.get(OLD_SETTING):
        return [
            checks.Warning(
                f"{OLD_SETTING} 已不再读取：Open311 的 api_key 请在「接口密钥」页面（/api-keys/）新建，"
                "勾选「Open311/12345 报事」并选择该系统可报事的机构范围",
                id="cases.W311",
            )
        ]
    return []
