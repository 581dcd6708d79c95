"""Batch writes that run through a registered importer (mofang.platform.imports): staff, fitness
results, vision screenings, indicator statistics — anything the platform imports from a file.

The records are the importer's columns by key (`{"staff_no": "…", "name": "…", …}`); they go through
exactly the file import's code path (`import_file`: the columns' parsers, `prepare`, `clean_row`,
the natural-key de-duplication, the scope checks, the writer, `after_write`, the import's audit row
— a fitness result scored by its engine as when a school uploads the file), with the key's service
account as the importing user and the key's org unit as the import's. A bad cell comes back as
`"<index>.<column key>"` with the import's own Chinese message; nothing is written.

Staff (教职工) are written this way on purpose, not through a people service function: people has
only `update_staff` (a person's profile edit), and the roster import is the one way staff are created
and updated (its ID-number, duplicate-number and cross-unit checks and its audit); a second create
path would repeat those checks.

`import_write_viewset(kind, importer_code, summary)` builds the viewset a module registers with
`register_api` from its own api.py (the importer is looked up by code at request time).
"""

import csv
import os
import tempfile

from django.conf import settings
from django.db import transaction
from rest_framework import serializers, status

from mofang.platform.imports.base import IMPORTERS, ImportContext, Importer
from mofang.platform.imports.services import import_file

from .models import ApiKey
from .writes import BatchWriteViewSet, StrictCharField, batch_schema

FILENAME = "接口批量写入.csv"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _item_serializer(importer: Importer, name: str) -> type[serializers.Serializer]:
    fields = {
        c.key: StrictCharField(
            required=c.required,
            allow_blank=not c.required,
            max_length=200,
            help_text=f"{c.header}" + (f"：{c.help}" if c.help else "") + (f"（例：{c.example}）" if c.example else ""),
        )
        for c in importer.columns
    }
    return type(name, (serializers.Serializer,), fields)


class ImportedBatchViewSet(BatchWriteViewSet):
    importer_code = ""

    @property
    def importer(self) -> Importer:
        return IMPORTERS[self.importer_code]

    def _write_all(self, data: list, user) -> tuple[int, dict]:
        errors: dict[str, list[str]] = {}
        columns = self.importer.columns
        for i, raw in enumerate(data):
            if not isinstance(raw, dict):
                errors[str(i)] = ["每条记录应为一个 JSON 对象"]
                continue
            item = self.item_serializer(data=raw)
            if not item.is_valid():
                for field, messages in item.errors.items():
                    errors[f"{i}.{field}"] = [str(m) for m in messages]
        # every record also goes through the import (a number where text is due is read as its
        # text there), so that every bad record is reported at once, not only the first kind of fault
        by_header = {c.header: c.key for c in columns}
        directory = os.path.join(settings.DATA_DIR, "tmp")
        os.makedirs(directory, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="", dir=directory) as fh:
            writer = csv.writer(fh)
            writer.writerow([c.header for c in columns])
            for raw in data:
                writer.writerow([_cell(raw.get(c.key)) for c in columns])
            fh.flush()
            key = self.request.auth
            assert isinstance(key, ApiKey)
            ctx = ImportContext(user=user, org=key.org)
            result = import_file(self.importer, fh.name, FILENAME, ctx)
        for problem in result.get("errors") or []:
            row = problem.get("row")
            index = str(row - 2) if isinstance(row, int) and row >= 2 else ""
            key = by_header.get(problem.get("column") or "", "")
            name = f"{index}.{key}" if index and key else (index or "non_field_errors")
            if name not in errors or problem["message"] not in errors[name]:
                errors.setdefault(name, []).append(problem["message"])
        for warning in result.get("warnings") or []:
            errors.setdefault("non_field_errors", []).append(warning)
        if errors or result.get("error_count"):
            transaction.set_rollback(True)  # the import may have written what the schema refused
            return self._refused(errors or {"non_field_errors": ["写入被拒绝"]})
        return status.HTTP_200_OK, {
            "count": result.get("rows", len(data)),
            "created": result.get("created", 0),
            "updated": result.get("updated", 0),
            "results": [],
        }


def import_write_viewset(kind: str, importer_code: str, summary: str, importer: Importer) -> type[ImportedBatchViewSet]:
    """The write endpoint of `kind` through the importer `importer_code` (`importer` gives the schema
    its fields; the request uses the registered one)."""
    item = _item_serializer(importer, f"{''.join(p.title() for p in importer_code.split('_'))}Record")

    class ViewSet(ImportedBatchViewSet):
        @batch_schema(
            summary,
            item,
            f"一批{importer.title}，字段与数据导入模板「{importer.title}」的列相同，按同样的规则校验和写入"
            "（已存在的按唯一标识更新）；全部成功才写入，任何一条有误则一条都不写，并按序号和字段列出每条错误。须用接口密钥认证。",
        )
        def create(self, request):
            return super().create(request)

    ViewSet.kind = kind
    ViewSet.importer_code = importer_code
    ViewSet.item_serializer = item
    ViewSet.__name__ = ViewSet.__qualname__ = f"{item.__name__}WriteViewSet"
    return ViewSet
