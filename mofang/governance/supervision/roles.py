"""教育督导 permissions and which roles hold them (imported from AppConfig.ready()).

- a 督学 (inspector, a member at a county) records visits and issues 整改通知 for the schools of
  the county, verifies the schools' replies and does the 回头看;
- the county administrator (督导室) sees compliance, adopts assignments, publishes results and keeps
  the county's checklists and inspector roster (configure);
- a principal sees the notices to the school and replies (the school rectifies).
"""

from mofang.platform.accounts.registry import allow_grant, grant, register_permissions, register_role
from mofang.platform.indicators.roles import VIEW as VIEW_INDICATORS
from mofang.platform.workdays.roles import VIEW as VIEW_CALENDAR

# 督学: a member at a county (责任督学 for its schools) or at a city/the province (督学 of that level).
register_role("inspector", "督学", rank=35)
grant("inspector", "orgs.view_org", "people.view_student", "people.view_staff", VIEW_INDICATORS, VIEW_CALENDAR)
allow_grant("province_admin", "inspector", at=("province", "city", "county"))
allow_grant("city_admin", "inspector", at=("city", "county"))
allow_grant("county_admin", "inspector", at=("county",))

register_permissions(
    {
        "supervision.view_compliance": "查看督学配备情况",
        "supervision.assign": "调整督学责任区",
        "supervision.view_visit": "查看进校督查记录",
        "supervision.record_visit": "记录进校督查",
        "supervision.view_rectification": "查看整改通知",
        "supervision.issue_notice": "下达整改通知",
        "supervision.verify": "核查整改（销号、回头看）",
        "supervision.rectify": "报送整改情况（学校）",
        "supervision.publish": "公开整改结果",
        "supervision.configure": "维护督查清单与督学名册",
    }
)

for _admin in ("county_admin", "city_admin", "province_admin"):
    grant(_admin, "supervision.view_compliance", "supervision.view_visit", "supervision.view_rectification")
grant("county_admin", "supervision.assign", "supervision.publish", "supervision.configure")
grant(
    "inspector",
    "supervision.view_compliance",
    "supervision.view_visit",
    "supervision.record_visit",
    "supervision.view_rectification",
    "supervision.issue_notice",
    "supervision.verify",
    "supervision.publish",
)
grant("principal", "supervision.view_visit", "supervision.view_rectification", "supervision.rectify")
