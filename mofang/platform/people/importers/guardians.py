"""The guardian import template (家长名册): 学籍号, 家长姓名, 手机号, 关系 — one row per child and guardian.

A phone is one person: the same phone on several rows (several children, even in several
schools) is one guardian with several children. Rows are upserts by (学籍号, 手机号): the
relation and the name are updated, a child's other guardians are kept.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from mofang.platform.imports.base import Column, Importer, RowError
from mofang.platform.imports.parsers import parse_mobile, parse_text

from .. import identity
from ..models import RELATIONS, Guardian, Guardianship, Student
from ..roles import IMPORT_GUARDIAN


def _relation(raw: str) -> str:
    if raw not in RELATIONS:
        raise ValidationError(gettext("关系应为：{value}").format(value="、".join(RELATIONS)))
    return raw


class GuardianImporter(Importer):
    code = "guardians"
    title = "家长名册"
    permission = IMPORT_GUARDIAN
    natural_key = "学籍号+手机号"
    columns = [
        Column(
            "student_no",
            "学籍号",
            parse=parse_text(30),
            example="G330822201809010001",
            help="须为您数据范围内学校的在籍学生",
        ),
        Column("name", "家长姓名", parse=parse_text(50), example="王芳"),
        Column(
            "phone",
            "手机号",
            parse=parse_mobile,
            example="13800000000",
            help="一个手机号即一位家长，可是多个孩子（含不同学校）的家长",
        ),
        Column("relation", "关系", parse=_relation, example="母亲", help="、".join(RELATIONS)),
    ]

    def row_parser(self, positions):
        parse = super().row_parser(positions)

        def with_key(row):
            values, errors = parse(row)
            values[self.natural_key] = (values.get("student_no"), values.get("phone"))
            return values, errors

        return with_key

    def prepare(self, ctx):
        ctx.state["students"] = dict(
            Student.objects.visible_to(ctx.user, self.permission).values_list("student_no", "id")
        )
        ctx.state["names"] = {}  # phone → (first line's name, row number) within this file

    def clean_row(self, v, ctx):
        student_id = ctx.state["students"].get(v["student_no"])
        if student_id is None:
            raise RowError("学籍号不存在或不在您的数据范围内", "学籍号")
        first = ctx.state["names"].setdefault(v["phone"], v["name"])
        if first != v["name"]:
            raise RowError(f"同一手机号在前面的行中姓名为“{first}”，一个手机号只能是一位家长", "家长姓名")
        return {"student_id": student_id, "name": v["name"], "phone": v["phone"], "relation": v["relation"]}

    def write(self, rows, ctx):
        now = timezone.now()
        by_hash = {identity.lookup_hash(r["phone"]): r for r in rows}
        existing = {
            g.phone_hash: g for g in Guardian.objects.select_for_update().filter(phone_hash__in=by_hash).order_by("pk")
        }
        new = []
        for h, r in by_hash.items():
            if h not in existing:
                g = Guardian(name=r["name"], updated_at=now)
                g.set_phone(r["phone"])
                new.append(g)
        renamed = [g for h, g in existing.items() if g.name != by_hash[h]["name"]]
        for g in renamed:
            g.name, g.updated_at = by_hash[g.phone_hash]["name"], now
        Guardian.objects.bulk_update(renamed, ["name", "updated_at"])
        Guardian.objects.bulk_create(new)
        guardian_id = {g.phone_hash: g.pk for g in [*existing.values(), *new]}
        if any(v is None for v in guardian_id.values()):  # backends without RETURNING ids
            guardian_id = dict(Guardian.objects.filter(phone_hash__in=by_hash).values_list("phone_hash", "pk"))
        wanted = {(guardian_id[identity.lookup_hash(r["phone"])], r["student_id"]): r["relation"] for r in rows}
        links = {
            (link.guardian_id, link.student_id): link
            for link in Guardianship.objects.select_for_update()
            .filter(guardian_id__in={g for g, _ in wanted}, student_id__in={s for _, s in wanted})
            .order_by("pk")
        }
        changed = []
        for key, relation in wanted.items():
            link = links.get(key)
            if link is not None and link.relation != relation:
                link.relation, link.updated_at = relation, now
                changed.append(link)
        Guardianship.objects.bulk_update(changed, ["relation", "updated_at"])
        created = [
            Guardianship(guardian_id=g, student_id=s, relation=rel, updated_at=now)
            for (g, s), rel in wanted.items()
            if (g, s) not in links
        ]
        Guardianship.objects.bulk_create(created)
        return len(created), len(wanted) - len(created)
