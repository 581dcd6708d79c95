"""The time bank's rows in the permission matrix (see mofang.platform.matrix).

`make_objects(tree)` opens a bank at tree.school ("inside") and at tree.other_school ("outside",
another county) and gives each one teacher with a credited substitution record, a pending leave
request, a generated statement and a publication. It returns {"inside": {...}, "outside": {...}}
with the keys bank, account, staff, entry, substitution, leave, leave2, statement, publication, marker.

`endpoints(objs)` returns one `Endpoint` per page, export and API route (and the change actions),
each with the permission that governs it and, for both objects, the URL and a marker — the
teacher's name, a record number or the school code — that appears only when that object is shown.
Change endpoints carry an empty marker: they count as shown when answered below 400.
"""

import datetime as dt

from mofang.platform.matrix import Endpoint, Target, register_matrix_place
from mofang.platform.testing import make_staff

from . import services
from .models import Account, LedgerEntry, MonthlyStatement, Publication
from .services.bank import school_year_start
from .services.common import month_key, today

register_matrix_place("bank_auditor", "school")  # 银行专管员 of one school


def _side(school, name: str, suffix: str) -> dict:
    last_month = (today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    bank = services.open_bank(school, started_on=school_year_start(last_month), acting_user=None)
    staff = make_staff(school, name)
    sub = services.record_substitution(
        bank, staff, date=last_month.replace(day=10), periods=4, record_no=f"MATRIX-{suffix}", acting_user=None
    )
    account = Account.objects.get(bank=bank, staff=staff)
    leave, leave2 = (
        services.request_leave(
            account, kind="leave", date=today(), hours=1, reason=f"矩阵请假{suffix}{n}", acting_user=None
        )
        for n in (1, 2)
    )
    services.generate_monthly_statements(bank, month_key(last_month), acting_user=None)
    return {
        "bank": bank,
        "account": account,
        "staff": staff,
        "substitution": sub,
        "leave": leave,
        "leave2": leave2,
        "entry": LedgerEntry.objects.get(substitution=sub),
        "statement": MonthlyStatement.objects.get(account=account, month=month_key(last_month)),
        "publication": Publication.objects.get(bank=bank, month=month_key(last_month)),
        "marker": name,
        "record_no": f"MATRIX-{suffix}",
        "code": school.code,
        "orgs": [school],
    }


def make_objects(tree) -> dict:
    return {"inside": _side(tree.school, "时光矩阵甲", "A"), "outside": _side(tree.other_school, "时光矩阵乙", "B")}


def endpoints(objs) -> list[Endpoint]:
    i, o = objs["inside"], objs["outside"]

    def ep(name, kind, perm, url, marker="marker", **kw):
        """`url` and `marker` are functions of one side's objects (or a key of them)."""

        def target(side):
            text = side[marker] if isinstance(marker, str) else marker(side)
            return Target(url=url(side), marker=text, orgs=side["orgs"])

        return Endpoint(name=name, kind=kind, perm=perm, inside=target(i), outside=target(o), **kw)

    year = today().year
    return [
        ep("时间银行列表", "list", "timebank.view_bank", lambda s: "/timebank/banks/", "code"),
        ep("时间银行概览", "detail", "timebank.view_bank", lambda s: f"/timebank/banks/{s['bank'].pk}/", "code"),
        ep("本行账户列表", "list", "timebank.view_account", lambda s: f"/timebank/banks/{s['bank'].pk}/accounts/"),
        ep("个人时间账户列表", "list", "timebank.view_account", lambda s: "/timebank/accounts/"),
        ep("个人时间账户计数", "count", "timebank.view_account", lambda s: "/timebank/accounts/"),
        ep("首页时间账户数", "count", "timebank.view_account", lambda s: "/", count_label="教师时间账户"),
        ep("个人时间账户列表导出", "export", "timebank.view_account", lambda s: "/timebank/accounts/?export=xlsx"),
        ep("个人时间账户", "detail", "timebank.view_account", lambda s: f"/timebank/accounts/{s['account'].pk}/"),
        ep("时间账户分录", "list", "timebank.view_account", lambda s: "/timebank/entries/"),
        ep("代课记录", "list", "timebank.view_record", lambda s: "/timebank/substitutions/", "record_no"),
        ep("抵假申请", "list", "timebank.view_leave", lambda s: "/timebank/leaves/"),
        ep("抵假审批", "list", "timebank.approve_leave", lambda s: "/timebank/approvals/"),
        ep("月度对账单列表", "list", "timebank.view_statement", lambda s: "/timebank/statements/"),
        ep("月度对账单", "detail", "timebank.view_statement", lambda s: f"/timebank/statements/{s['statement'].pk}/"),
        ep("余额公示列表", "list", "timebank.view_publication", lambda s: "/timebank/publications/", "code"),
        ep(
            "余额公示",
            "detail",
            "timebank.view_publication",
            lambda s: f"/timebank/publications/{s['publication'].pk}/",
        ),
        ep("年终结余导出", "export", "timebank.export", lambda s: f"/timebank/export/?year={year}"),
        ep(
            "本校年终结余导出",
            "export",
            "timebank.export",
            lambda s: f"/timebank/banks/{s['bank'].pk}/export/?year={year}",
        ),
        ep("API 账户列表", "list", "timebank.view_account", lambda s: "/api/timebank/accounts/", api=True),
        ep(
            "API 账户详情",
            "detail",
            "timebank.view_account",
            lambda s: f"/api/timebank/accounts/{s['account'].pk}/",
            api=True,
        ),
        ep(
            "API 分录列表",
            "list",
            "timebank.view_account",
            lambda s: "/api/timebank/entries/",
            lambda s: f'"id":{s["entry"].pk},',
            api=True,
        ),
        ep(
            "API 对账单",
            "detail",
            "timebank.view_statement",
            lambda s: f"/api/timebank/statements/{s['statement'].pk}/",
            api=True,
        ),
        ep(
            "API 抵假申请",
            "list",
            "timebank.view_leave",
            lambda s: "/api/timebank/leave-requests/",
            lambda s: s["leave"].reason,
            api=True,
        ),
        # changes: allowed (any answer below 400) exactly where the role may act; refused is 403/404
        ep(
            "批准抵假",
            "change",
            "timebank.approve_leave",
            lambda s: f"/timebank/leaves/{s['leave'].pk}/approve/",
            lambda s: "",
            method="POST",
        ),
        ep(
            "驳回抵假",
            "change",
            "timebank.approve_leave",
            lambda s: f"/timebank/leaves/{s['leave2'].pk}/reject/",
            lambda s: "",
            method="POST",
            data={"note": "矩阵驳回"},
        ),
        ep(
            "冲正分录",
            "change",
            "timebank.post_correction",
            lambda s: f"/timebank/entries/{s['entry'].pk}/correct/",
            lambda s: "",
            method="POST",
            data={"reason": "矩阵冲正"},
        ),
    ]
