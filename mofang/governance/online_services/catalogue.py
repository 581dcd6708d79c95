"""The catalogue's seed: the five services that work end to end (seed 004: 转学, 休学, 复学 fully
online; 学籍证明 and 在读证明). The rest of a region's catalogue (97 in Ningbo) is imported as data
(importers.py). Loaded by migration 0002 and kept by `ensure_seed()` (tests, demo)."""

PDF_IMG = ["pdf", "jpg", "png"]

SEED = (
    {
        "code": "transfer",
        "name": "义务教育阶段学生转学",
        "workflow": "transfer",
        "applicants": ["parent"],
        "handler_kind": "school",
        "materials": [
            {"name": "转学理由证明（户籍、房产或务工证明）", "types": PDF_IMG, "max_mb": 5, "required": False}
        ],
        "form_spec": "转学原因|选项|必填|随迁,户籍迁移,购房,其他\n说明|文本",
        "time_limit_days": 10,
        "description": "县内转学由转出学校同意、转入学校接收；跨县转学依次经转出学校、转出地教育局、转入地教育局、转入学校同意。",
        "order": 10,
    },
    {
        "code": "suspend",
        "name": "学生休学",
        "workflow": "suspend",
        "applicants": ["parent"],
        "handler_kind": "school",
        "materials": [{"name": "病历或其他证明", "types": PDF_IMG, "max_mb": 5, "required": False}],
        "form_spec": "休学原因|选项|必填|疾病,出国,其他\n说明|文本",
        "time_limit_days": 5,
        "description": "因病或其他原因需暂停学业的，由家长申请，学校审核后办理休学，保留学籍。",
        "order": 20,
    },
    {
        "code": "resume",
        "name": "学生复学",
        "workflow": "resume",
        "applicants": ["parent"],
        "handler_kind": "school",
        "materials": [{"name": "康复证明", "types": PDF_IMG, "max_mb": 5, "required": False}],
        "form_spec": "说明|文本",
        "time_limit_days": 5,
        "description": "休学期满或原因消除的，由家长申请，学校审核后复学。",
        "order": 30,
    },
    {
        "code": "roll_certificate",
        "name": "学籍证明",
        "workflow": "roll_certificate",
        "applicants": ["parent", "student"],
        "handler_kind": "school",
        "materials": [],
        "form_spec": "用途|选项|必填|升学,转学,出国,其他",
        "time_limit_days": 3,
        "description": "学校核实后出具带验证码的学籍证明，任何人可在验证页面核对真伪。",
        "order": 40,
    },
    {
        "code": "study_certificate",
        "name": "在读证明",
        "workflow": "study_certificate",
        "applicants": ["parent", "student"],
        "handler_kind": "school",
        "materials": [],
        "form_spec": "用途|选项|必填|出国签证,补贴申请,其他",
        "time_limit_days": 3,
        "description": "学校核实在读后出具带验证码的在读证明。",
        "order": 50,
    },
)


def ensure_seed(Service=None) -> None:
    """Create the seed services that are missing (never overwrites what an administrator changed)."""
    if Service is None:
        from .models import Service
    have = set(Service.objects.values_list("code", flat=True))
    Service.objects.bulk_create(Service(**s) for s in SEED if s["code"] not in have)
