"""教育资源's permissions and which core roles hold them (imported from AppConfig.ready()).

Published lessons, courses and 问道名师 sessions are shared with every school: every role may browse
them (BROWSE). A school's teachers upload their own lessons and host their own sessions ("@own":
the scope layer limits them to what they uploaded); the county, city and province bureaus review
and publish what their schools submit (REVIEW over their subtree). Parents and teachers ask
questions in open sessions (students have no accounts: a parent asks for the child).
"""

from mofang.platform.accounts.registry import grant, register_permissions

BROWSE, UPLOAD, REVIEW, HOST, ASK = (
    "lessons.browse",
    "lessons.upload",
    "lessons.review",
    "lessons.host_qa",
    "lessons.ask",
)

register_permissions(
    {
        BROWSE: "浏览共享优课、云校课程与问道名师",
        UPLOAD: "上传教育资源（本人）",
        REVIEW: "审核、发布与下架教育资源",
        HOST: "开设问道名师答疑并解答（本人）",
        ASK: "在问道名师中提问",
    }
)

TEACHING = ("principal", "academic", "psych_teacher", "teacher")
for _role in TEACHING:
    grant(_role, BROWSE, f"{UPLOAD}@own", f"{HOST}@own", ASK)
grant("head_teacher", BROWSE, ASK)
grant("parent", BROWSE, ASK)
for _admin in ("province_admin", "city_admin", "county_admin"):
    grant(_admin, BROWSE, REVIEW)
