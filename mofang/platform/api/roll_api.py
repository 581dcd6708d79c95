"""学籍异动 by another system: POST /api/roll-changes/ with a list of changes, each one of
入学 (enrol), 转出 (transfer_out), 转入 (transfer_in), 休学 (suspend), 复学 (resume), 辍学 (dropout),
made by people.roll's service functions — the same ones the school's pages use."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from rest_framework import serializers

from mofang.platform.imports.parsers import parse_code, parse_date, parse_id_number, parse_sex, parse_text
from mofang.platform.orgs.models import OrgKind, OrgUnit
from mofang.platform.people import roll
from mofang.platform.people.models import Student

from .writes import BatchWriteViewSet, ParsedField, batch_schema

ACTIONS = {
    "enrol": "入学",
    "transfer_out": "转出",
    "transfer_in": "转入",
    "suspend": "休学",
    "resume": "复学",
    "dropout": "辍学",
}
PERM = roll.CHANGE
# the fields each action needs beyond student_no
REQUIRED = {
    "enrol": ("school_code", "name", "sex", "birth_date", "id_number"),
    "transfer_in": ("school_code",),
    "dropout": ("reason",),
}
FIELD_LABELS = {
    "school_code": "学校标识码",
    "name": "姓名",
    "sex": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "reason": "原因",
}


class RollChangeSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(ACTIONS.items()),
        help_text="异动类型：enrol 入学，transfer_out 转出，transfer_in 转入，suspend 休学，resume 复学，dropout 辍学",
        error_messages={
            "invalid_choice": "异动类型应为 enrol、transfer_out、transfer_in、suspend、resume、dropout 之一"
        },
    )
    student_no = ParsedField(parse_text(30), max_length=30, help_text="全国学籍号")
    school_code = ParsedField(
        parse_code(10, "学校标识码"), required=False, max_length=20, help_text="学校标识码（入学、转入时必填）"
    )
    name = ParsedField(parse_text(50), required=False, max_length=50, help_text="姓名（入学时必填）")
    sex = ParsedField(parse_sex, required=False, max_length=2, help_text="性别：男 或 女（入学时必填）")
    birth_date = ParsedField(
        parse_date, required=False, max_length=20, help_text="出生日期，如 2018-09-01（入学时必填）"
    )
    id_number = ParsedField(parse_id_number, required=False, max_length=18, help_text="18位居民身份证号（入学时必填）")
    class_name = ParsedField(
        parse_text(30), required=False, max_length=30, help_text="班级名称，须为该校已有班级；可不填"
    )
    grade = serializers.IntegerField(
        required=False, min_value=1, max_value=12, help_text="年级（入学、转入、复学时可填；不填按默认）"
    )
    occurred_on = ParsedField(parse_date, required=False, max_length=20, help_text="异动日期，不填为今天")
    other_school = ParsedField(parse_text(100), required=False, max_length=100, help_text="转出去向或转入来源学校名称")
    reason = ParsedField(parse_text(200), required=False, max_length=200, help_text="原因（辍学时必填）")

    def validate(self, attrs):
        missing = {
            f: [f"{ACTIONS[attrs['action']]}须填写{FIELD_LABELS[f]}"]
            for f in REQUIRED.get(attrs["action"], ())
            if not attrs.get(f)
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


def _school(code: str, user) -> OrgUnit:
    school = OrgUnit.objects.visible_to(user, PERM).filter(code=code, kind=OrgKind.SCHOOL).first()
    if school is None:
        raise ValidationError({"school_code": gettext("学校不存在或不在您的数据范围内")})
    return school


def _class(school: OrgUnit, name: str | None, user) -> OrgUnit | None:
    if not name:
        return None
    klass = (
        OrgUnit.objects.visible_to(user, PERM)
        .filter(kind=OrgKind.CLASS, name=name, path__startswith=school.path)
        .first()
    )
    if klass is None:
        raise ValidationError({"class_name": gettext("该校没有这个班级")})
    return klass


# A 转入 from another county: the student is on the sending county's roll, outside the receiving
# key's subtree, and reads as unknown. The platform moves a child across counties only when both
# bureaus agree in turn (一网通办 跨县转学: 转出学校 → 转出县教育局 → 转入县教育局 → 转入学校), so
# one county's system cannot pull the child in alone; the refusal says how it is done.
CROSS_COUNTY = (
    "学籍号 {student_no} 不存在或不在本密钥的数据范围内。若从本密钥范围以外的区县转入，本接口不能办理：跨区县转学须两县教育局"
    "依次同意，请由家长或学校在「一网通办」申请「跨县转学」（转出学校、转出县教育局、转入县教育局、转入学校依次同意，"
    "办结时平台自动完成转出和转入）；本接口的 transfer_in 只接收本密钥范围内已转出的学生"
)


def _student(student_no: str, user, action: str = "") -> Student:
    student = Student.objects.visible_to(user, PERM).select_related("school").filter(student_no=student_no).first()
    if student is None:
        text = CROSS_COUNTY if action == "transfer_in" else gettext("学籍号 {student_no} 不存在或不在您的数据范围内")
        raise ValidationError({"student_no": text.format(student_no=student_no)})
    return student


class RollChangeViewSet(BatchWriteViewSet):
    kind = "roll"
    item_serializer = RollChangeSerializer

    @batch_schema(
        "学籍异动（外部系统批量写入）",
        RollChangeSerializer,
        "一批学籍异动，全部成功才写入；任何一条有误则一条都不写，并按序号和字段列出每条错误。须用接口密钥认证。",
    )
    def create(self, request):
        return super().create(request)

    def write(self, item: dict, user) -> dict:
        action, on, reason = item["action"], item.get("occurred_on"), item.get("reason") or ""
        if action == "enrol":
            school = _school(item["school_code"], user)
            student = roll.enrol_student(
                acting_user=user,
                school=school,
                student_no=item["student_no"],
                name=item["name"],
                sex=item["sex"],
                birth_date=item["birth_date"],
                id_number=item["id_number"],
                grade=item.get("grade"),
                klass=_class(school, item.get("class_name"), user),
                occurred_on=on,
                transferred_from=item.get("other_school") or "",
                reason=reason,
            )
        else:
            student = _student(item["student_no"], user, action)
            if action == "transfer_out":
                roll.transfer_out(
                    student, acting_user=user, to_school=item.get("other_school") or "", occurred_on=on, reason=reason
                )
            elif action == "transfer_in":
                school = _school(item["school_code"], user)
                roll.transfer_in(
                    student,
                    acting_user=user,
                    school=school,
                    grade=item.get("grade"),
                    klass=_class(school, item.get("class_name"), user),
                    from_school=item.get("other_school") or "",
                    occurred_on=on,
                    reason=reason,
                )
            elif action == "suspend":
                roll.suspend(student, acting_user=user, reason=reason, occurred_on=on)
            elif action == "resume":
                roll.resume(
                    student,
                    acting_user=user,
                    grade=item.get("grade"),
                    klass=_class(student.school, item.get("class_name"), user),
                    reason=reason,
                    occurred_on=on,
                )
            else:
                roll.record_dropout(student, acting_user=user, reason=reason, occurred_on=on)
            student.refresh_from_db()
        return {"student_no": student.student_no, "id": student.pk, "status": student.status}
