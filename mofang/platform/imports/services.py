"""Running an import as a job: read → validate every row → upsert in one transaction."""

import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.jobs.models import Job
from mofang.platform.jobs.services import JobReporter, run_job, start_job

from .base import IMPORTERS, ImportContext, Importer, RowError
from .readers import read_table

MAX_ERRORS_SHOWN = 500
UPLOAD_DIR = "imports"


class _Rollback(Exception):
    """Raised inside the import transaction to undo every write when any row is bad."""


def save_upload(uploaded) -> str:
    folder = os.path.join(settings.MEDIA_ROOT, UPLOAD_DIR)
    os.makedirs(folder, exist_ok=True)
    ext = ".xlsx" if uploaded.name.lower().endswith(".xlsx") else ".csv"
    path = os.path.join(folder, f"{uuid.uuid4().hex}{ext}")
    with open(path, "wb") as fh:
        for chunk in uploaded.chunks():
            fh.write(chunk)
    return path


def start_import(*, importer: Importer, uploaded, org, acting_user) -> Job:
    name = uploaded.name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": "仅支持 xlsx 或 csv 文件"})
    path = save_upload(uploaded)
    return start_job(
        task=run_import_task,
        kind=f"import:{importer.code}",
        title=f"导入{importer.title}：{name}",
        org=org,
        acting_user=acting_user,
        params={"importer": importer.code, "path": path, "filename": name},
    )


@task()
def run_import_task(job_id: int) -> dict:
    return run_job(job_id, _import_body)


def _import_body(job: Job, reporter: JobReporter) -> dict:
    importer = IMPORTERS[job.params["importer"]]
    ctx = ImportContext(user=job.created_by, org=job.org)
    return import_file(importer, job.params["path"], job.params["filename"], ctx, reporter=reporter, job=job)


def import_file(importer: Importer, path: str, filename: str, ctx: ImportContext, *, reporter=None, job=None) -> dict:
    """Validate and write; returns counts and errors. Nothing is written if any row is bad."""
    try:
        header, rows, total = read_table(path, filename)
        positions = importer.header_map(header)
    except ValidationError as exc:
        return _fail(reporter, {"errors": [{"row": 1, "column": "", "message": m} for m in exc.messages],
                                "error_count": len(exc.messages), "created": 0, "updated": 0, "rows": 0})
    if reporter:
        reporter.progress(0, total=total, message="正在校验并写入")
    importer.prepare(ctx)
    errors: list[dict] = []
    bad_rows: dict[int, list[str]] = {}
    kept_rows: list[tuple[int, list[str]]] = []  # for the annotated file: every bad row, with its cells
    seen_keys: dict[object, int] = {}
    created = updated = count = 0
    chunk: list[dict] = []
    try:
        with transaction.atomic():
            for count, row in enumerate(rows, start=1):
                line = count + 1  # row 1 is the header
                if not any(row):
                    continue
                values, cell_errors = importer.parse_cells(row, positions)
                if not cell_errors:
                    key = values.get(importer.natural_key)
                    if key in seen_keys:
                        cell_errors.append((_header(importer, importer.natural_key),
                                            f"与第{seen_keys[key]}行重复"))
                    else:
                        seen_keys[key] = line
                if not cell_errors:
                    try:
                        cleaned = importer.clean_row(values, ctx)
                    except RowError as exc:
                        cell_errors.append((exc.column, exc.message))
                if cell_errors:
                    for column, message in cell_errors:
                        errors.append({"row": line, "column": column, "message": message})
                    bad_rows[line] = [f"{c}：{m}" if c else m for c, m in cell_errors]
                    kept_rows.append((line, row))
                    continue
                if errors:
                    continue  # all-or-nothing: keep validating, stop writing
                chunk.append(cleaned)
                if len(chunk) >= importer.chunk_size:
                    c, u = importer.write(chunk, ctx)
                    created, updated, chunk = created + c, updated + u, []
                    if reporter:
                        reporter.progress(count, message=f"已处理 {count} 行")
            if chunk and not errors:
                c, u = importer.write(chunk, ctx)
                created, updated = created + c, updated + u
            if errors:
                raise _Rollback
            record(actor=ctx.user, action=AuditAction.IMPORT, org=ctx.org,
                   summary=f"导入{importer.title} {filename}：新增{created}条，更新{updated}条")
    except _Rollback:
        result = {"errors": errors[:MAX_ERRORS_SHOWN], "error_count": len(errors), "bad_rows": len(bad_rows),
                  "created": 0, "updated": 0, "rows": count}
        if job is not None:
            job.result_file.save(f"errors-{job.pk}.xlsx", ContentFile(annotated_workbook(header, kept_rows, bad_rows)),
                                 save=True)
        return _fail(reporter, result)
    result = {"errors": [], "error_count": 0, "created": created, "updated": updated, "rows": count,
              "message": f"导入成功：新增{created}条，更新{updated}条"}
    if reporter:
        reporter.progress(count, total=count)
    return result


def _header(importer: Importer, key: str) -> str:
    return next((c.header for c in importer.columns if c.key == key), key)


def _fail(reporter, result: dict) -> dict:
    if reporter:
        reporter.finish(result=result, failed=True,
                        message=f"导入未完成：{result['error_count']}处错误，未写入任何数据")
    return result


def annotated_workbook(header: list[str], rows: list[tuple[int, list[str]]], problems: dict[int, list[str]]) -> bytes:
    """The bad rows as they were sent, with 原行号 and 错误说明 columns, erroneous cells marked red."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
    wb = openpyxl.Workbook(write_only=False)
    ws = wb.active
    ws.title = "错误行"
    ws.append(["原行号", *header, "错误说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for line, row in rows:
        ws.append([line, *row, "；".join(problems.get(line, []))])
        bad_headers = {p.split("：", 1)[0] for p in problems.get(line, [])}
        for i, h in enumerate(header, start=2):
            if h in bad_headers:
                ws.cell(row=ws.max_row, column=i).fill = red
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_workbook(importer: Importer) -> bytes:
    """The downloadable template: Chinese headers, one example row, a sheet of column notes."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = importer.title
    ws.append([c.header for c in importer.columns])
    ws.append([c.example for c in importer.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(importer.columns, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(12, len(col.header) * 2 + 4)
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for col in importer.columns:
        notes.append([col.header, "必填" if col.required else "选填", col.help])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
