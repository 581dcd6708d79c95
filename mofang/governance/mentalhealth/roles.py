"""心理健康护航 permissions and who holds them (imported from AppConfig.ready()).

The strictest data in the platform. Individual records — a student's answers, a crisis alert, a
case, a hotline record — are held only `@assigned`: a 心理教师 or 班主任 sees a student's record
only when assigned to that student (CareAssignment), inside the membership's subtree. 校长 and
the bureaus hold aggregate permissions only (counts by risk level, small counts suppressed).
"""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW_RECORD = "mentalhealth.view_record"
ASSIGN = "mentalhealth.assign"
MANAGE = "mentalhealth.manage_campaign"
AGGREGATE = "mentalhealth.view_aggregate"

register_permissions(
    {
        VIEW_RECORD: "查看学生心理个人记录（答卷、预警）——仅限分配给本人的学生",
        ASSIGN: "分配护航责任人（心理教师、班主任）",
        MANAGE: "组织心理筛查（新建、发放作答码）",
        AGGREGATE: "查看心理筛查汇总（小数抑制）",
    }
)

for _professional in ("psych_teacher", "head_teacher"):
    grant(_professional, f"{VIEW_RECORD}@assigned")
grant("psych_teacher", ASSIGN, MANAGE)
grant("principal", ASSIGN, MANAGE, AGGREGATE)
for _bureau in ("county_admin", "city_admin", "province_admin"):
    grant(_bureau, AGGREGATE)

# the crisis case (cases.py): the school's professionals act on it (the pages check the assignment
# first), and the county's 心理健康指导中心 takes over what is escalated to the county
from mofang.platform.accounts.registry import allow_grant, register_role  # noqa: E402

from .cases import HANDLE, VIEW  # noqa: E402

HOTLINE = "mentalhealth.hotline"
register_permissions(
    {HANDLE: "办理心理危机个案", VIEW: "查看心理危机个案（心理健康指导中心）", HOTLINE: "心理热线：登记与查看来电记录"}
)
register_role("mh_centre", "心理健康指导中心", rank=35)
grant("mh_centre", "orgs.view_org", HANDLE, VIEW, AGGREGATE, HOTLINE)
grant("psych_teacher", HANDLE)
grant("head_teacher", HANDLE)
for _granter in ("county_admin", "city_admin", "province_admin"):
    allow_grant(_granter, "mh_centre", at=("county",))
