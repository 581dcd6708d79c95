"""Running an import as a job: read → validate every row → write in one transaction.

1. Validate: every row is parsed and checked; good rows are staged by the writer (see
   writers.py), bad rows go to the error log. Progress is reported as rows are checked, outside
   any transaction, so the job page moves.
2. Write (only if no row is bad): in one transaction, refuse rows whose natural key belongs to
   a record outside the user's scope, upsert the rest, write the audit entry. On SQLite (one
   writer at a time) in short committed batches that let logins and API calls in, undone as a
   whole on any failure (writers.OrmWriter).

On PostgreSQL, outside a caller's transaction, the two steps overlap: the rows checked so far are
written chunk by chunk, in one transaction on a connection of the writer's own, while the next
chunk is checked (writers.PostgresPipelineWriter), and that transaction is rolled back unless
every row turned out good. Progress still goes out from this connection, outside it.

Nothing is written unless every row is good; the bad rows, as they were sent, go to an
annotated xlsx with the reason next to each and the offending cells in red.
"""

import io
import logging
import pickle
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext
from django_tasks import task

from mofang.platform.audit.services import AuditAction, record
from mofang.platform.files import local_path
from mofang.platform.jobs.models import Job
from mofang.platform.jobs.services import JobReporter, run_job, start_job
from mofang.platform.text import xlsx_safe

from .base import IMPORTERS, ImportContext, Importer, RowError
from .readers import Table, open_table
from .writers import writer_for

logger = logging.getLogger(__name__)

MAX_ERRORS_SHOWN = 500
PROGRESS_EVERY = 10_000  # rows between progress updates of the job
UPLOAD_DIR = "imports"


class _Rollback(Exception):
    """Raised inside the import transaction to undo every write when any row is bad."""


def save_upload(uploaded) -> str:
    """Store an uploaded import file (local folder or the shared store) and return its storage
    name: the job may run in a worker on another machine, which reads it through the storage."""
    ext = ".xlsx" if uploaded.name.lower().endswith(".xlsx") else ".csv"
    return default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{ext}", uploaded)


def start_import(*, importer: Importer, uploaded, org, acting_user, target=None) -> Job:
    """Save the file and start the import job; `target` is the object an importer with a
    `target_param` imports into (checked again, through the scope layer, when the job runs)."""
    name = uploaded.name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": gettext("仅支持 xlsx 或 csv 文件")})
    params = {"importer": importer.code, "file": save_upload(uploaded), "filename": name}
    if target is not None:
        params["target"] = target.pk
    into = f"（{target}）" if target is not None else ""
    return start_job(
        task=run_import_task,
        kind=f"import:{importer.code}",
        title=f"导入{importer.title}{into}：{name}"[:200],
        org=org,
        acting_user=acting_user,
        params=params,
    )


@task()
def run_import_task(job_id: int) -> dict:
    return run_job(job_id, _import_body)


def _import_body(job: Job, reporter: JobReporter) -> dict:
    importer = IMPORTERS[job.params["importer"]]
    ctx = ImportContext(user=job.created_by, org=job.org, confirmed=bool(job.params.get("confirm")))
    if importer.target_param:
        ctx.target = importer.resolve_target(job.created_by, job.params.get("target"))
        if ctx.target is None:  # removed, or out of the user's scope, since the upload
            return _fail(reporter, _refusal(["导入对象不存在或不在您的数据范围内，未写入任何数据"], row=""))
    stored = job.params.get("file")
    if stored is None:  # a job queued before uploads were stored by name: an absolute path
        return import_file(importer, job.params["path"], job.params["filename"], ctx, reporter=reporter, job=job)
    try:
        with local_path(stored) as path:
            result = import_file(importer, path, job.params["filename"], ctx, reporter=reporter, job=job)
    except FileNotFoundError:
        return _fail(reporter, _refusal([gettext("上传的文件已不在存储中，未写入任何数据，请重新上传")], row=""))
    # The file has given its answer (written, or refused with its errors in the error workbook):
    # it holds personal data, so it goes. A run that raised keeps it for the retry, one that asks
    # for confirmation for the confirmed run.
    if not result.get("needs_confirmation"):
        default_storage.delete(stored)
    return result


def _refusal(messages: list, *, row=1, rows: int = 0) -> dict:
    """The result of an import refused before any row was checked; `messages` are texts or
    (column, text) pairs."""
    errors = [
        {"row": row, "column": m[0], "message": m[1]}
        if isinstance(m, tuple)
        else {"row": row, "column": "", "message": m}
        for m in messages
    ]
    return {"errors": errors, "error_count": len(errors), "bad_rows": 0, "created": 0, "updated": 0, "rows": rows}


def _file_errors(exc: ValidationError) -> list:
    """A file-level refusal's messages; a dict of them names the column each is about."""
    if hasattr(exc, "error_dict"):
        return [(column, m) for column, errors in exc.message_dict.items() for m in errors]
    return exc.messages


class ErrorLog:
    """Every bad row with its (column header, message) pairs, in file order.

    The first MAX_ERRORS_SHOWN errors are kept for the job page; all of them are spilled to a
    temporary file for the annotated workbook, so a file that is wrong on every one of its
    million rows does not fill the memory.
    """

    def __init__(self):
        self.shown: list[dict] = []
        self.count = 0
        self.bad_rows = 0
        self._file = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 lives as long as the log; closed by close()

    def add(self, line: int, errors: list[tuple[str, str]]) -> None:
        self.count += len(errors)
        self.bad_rows += 1
        for column, message in errors:
            if len(self.shown) < MAX_ERRORS_SHOWN:
                self.shown.append({"row": line, "column": column, "message": message})
        pickle.dump((line, errors), self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[tuple[int, list[tuple[str, str]]]]:
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()


def import_file(importer: Importer, path: str, filename: str, ctx: ImportContext, *, reporter=None, job=None) -> dict:
    """Validate and write; returns counts and errors. Nothing is written if any row is bad."""
    try:
        table = open_table(path, filename, expect=[c.header for c in importer.columns if c.required])
    except ValidationError as exc:
        return _fail(reporter, _refusal([importer.unreadable_message] if importer.unreadable_message else exc.messages))
    try:
        positions = importer.header_map(table.header)
    except ValidationError as exc:
        return _fail(reporter, _refusal(_file_errors(exc)))
    if reporter:
        reporter.progress(0, total=table.total, message="正在校验")
    importer.prepare(ctx)
    log = ErrorLog()
    writer = writer_for(importer, ctx)
    started = time.perf_counter()
    try:
        rows = _validate(importer, table, positions, ctx, writer, log, reporter)
        validated = time.perf_counter()
        if rows == 0 and not log.count:
            return _fail(
                reporter,
                {
                    "errors": [{"row": table.header_line + 1, "column": "", "message": "文件中没有数据行"}],
                    "error_count": 1,
                    "bad_rows": 0,
                    "created": 0,
                    "updated": 0,
                    "rows": 0,
                },
            )
        created = updated = 0
        if not log.count and not ctx.confirmed:
            warnings = importer.anomalies(ctx)
            if warnings:
                return _ask(reporter, rows, warnings)
        if not log.count:
            if reporter:
                reporter.progress(rows, total=rows, message=f"校验通过，正在写入 {rows} 行")
            try:
                created, updated = _write(importer, writer, log, ctx, filename)
            except (IntegrityError, DataError) as exc:
                # e.g. a school deleted between checking and writing: the transaction is undone
                logger.warning("import %s refused by the database: %s", filename, exc)
                return _fail(
                    reporter,
                    {
                        "errors": [
                            {
                                "row": "",
                                "column": "",
                                "message": (
                                    "写入数据库时被拒绝，未写入任何数据（可能有相关数据在导入期间被修改）。请重新导入；如仍出错请联系管理员。"
                                ),
                            }
                        ],
                        "error_count": 1,
                        "bad_rows": 0,
                        "created": 0,
                        "updated": 0,
                        "rows": rows,
                    },
                )
        writer.close()
        seconds = {"validate": round(validated - started, 3), "write": round(time.perf_counter() - validated, 3)}
        if log.count:
            result = {
                "errors": log.shown,
                "error_count": log.count,
                "bad_rows": log.bad_rows,
                "created": 0,
                "updated": 0,
                "rows": rows,
                "seconds": seconds,
            }
            if reporter:
                reporter.progress(rows, total=rows)  # every row was checked, even though none was written
            if job is not None:
                content = annotated_xlsx(table.header, _bad_rows(table, log))
                job.result_file.save(f"errors-{job.pk}.xlsx", ContentFile(content), save=False)
                # only the file column: a full save would put back the progress read when the job began
                Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
            return _fail(reporter, result)
    finally:
        writer.close()
        log.close()
    if reporter:
        reporter.progress(rows, total=rows)
    return {
        "errors": [],
        "error_count": 0,
        "created": created,
        "updated": updated,
        "rows": rows,
        "seconds": seconds,
        "message": f"导入成功：新增{created}条，更新{updated}条",
    }


def _write(importer: Importer, writer, log: "ErrorLog", ctx: ImportContext, filename: str) -> tuple[int, int]:
    """The write step, in one transaction; rows found out of scope go to the log and undo it all."""
    if getattr(writer, "batched", False):
        return _write_in_batches(importer, writer, log, ctx, filename)
    if getattr(writer, "pipelined", False):
        return _write_pipelined(importer, writer, log, ctx, filename)
    key_header = importer.header_of(importer.natural_key)
    try:
        with transaction.atomic():
            for line in writer.out_of_scope():
                log.add(line, [(key_header, f"该{key_header}已登记在您数据范围以外的单位，不能导入覆盖")])
            if log.count:
                raise _Rollback
            created, updated = writer.write()
            importer.after_write(ctx)
            _audit(importer, ctx, filename, created, updated)
    except _Rollback:
        return 0, 0
    return created, updated


def _write_pipelined(importer: Importer, writer, log: "ErrorLog", ctx: ImportContext, filename: str):
    """PostgreSQL: the rows were written while the file was checked, in the writer's one open
    transaction (writers.PostgresPipelineWriter); any row out of scope rolls it back, else the
    audit entry is written in it and it commits."""
    key_header = importer.header_of(importer.natural_key)
    for line in writer.out_of_scope():
        log.add(line, [(key_header, f"该{key_header}已登记在您数据范围以外的单位，不能导入覆盖")])
    if log.count:
        writer.close()  # rolls back
        return 0, 0
    return writer.write(finish=lambda created, updated: _audit(importer, ctx, filename, created, updated))


def _write_in_batches(importer: Importer, writer, log: "ErrorLog", ctx: ImportContext, filename: str):
    """SQLite: the same write in short committed batches, so that logins and API calls get the
    write lock between them; any failure undoes what the batches wrote (see OrmWriter)."""
    key_header = importer.header_of(importer.natural_key)
    for line in writer.out_of_scope():  # every such row for the report; each batch checks again
        log.add(line, [(key_header, f"该{key_header}已登记在您数据范围以外的单位，不能导入覆盖")])
    if log.count:
        return 0, 0
    try:
        created, updated = writer.write()
        with transaction.atomic():
            importer.after_write(ctx)
            _audit(importer, ctx, filename, created, updated)
    except BaseException:
        try:
            writer.undo()
        except Exception:
            logger.exception("import %s: undoing the written batches failed", filename)
        raise
    return created, updated


def _audit(importer: Importer, ctx: ImportContext, filename: str, created: int, updated: int) -> None:
    record(
        actor=ctx.user,
        action=AuditAction.IMPORT,
        org=ctx.org,
        summary=f"导入{importer.title} {filename}：新增{created}条，更新{updated}条",
    )


def _validate(
    importer: Importer, table: Table, positions: dict, ctx: ImportContext, writer, log: ErrorLog, reporter
) -> int:
    """The per-row loop: parse, de-duplicate by natural key, clean, stage. Returns data rows seen.

    Kept flat on purpose — it runs a million times for a province's roll.
    """
    parse = importer.row_parser(positions)
    clean = importer.clean_row
    to_db = None if importer.writes_itself else importer.to_db_row
    stage = writer.add
    stop = getattr(writer, "stop", None)  # a pipelined writer stops writing at the first bad row
    key = importer.natural_key
    key_header = importer.header_of(key)
    seen: dict[object, int] = {}
    rows = 0
    next_report = PROGRESS_EVERY
    for line, row in enumerate(table.rows(), start=table.header_line + 1):  # the spreadsheet's row numbers
        if not any(row):
            continue
        values, errors = parse(row)
        if errors is not None and not any(c.strip() for c in row):
            continue  # a row of blanks, e.g. spaces left in cells by a spreadsheet
        rows += 1
        if errors is None:
            k = values.get(key)
            first = seen.setdefault(k, line)
            if first != line:
                errors = [(key_header, importer.duplicate_message(k, first))]
            else:
                try:
                    cleaned = clean(values, ctx)
                except RowError as exc:
                    errors = exc.errors
        if errors is not None:
            log.add(line, errors)
            if stop is not None:
                stop()
        elif not log.count:  # after the first bad row: keep checking, stop staging
            stage(line, to_db(cleaned, ctx) if to_db is not None else cleaned)
        if rows >= next_report:
            next_report += PROGRESS_EVERY
            if reporter:
                found = f"，发现 {log.count} 处错误" if log.count else ""
                reporter.progress(rows, message=f"已校验 {rows} 行{found}")
    return rows


def _bad_rows(table: Table, log: ErrorLog) -> Iterator[tuple[int, list[str], list[tuple[str, str]]]]:
    """Read the file again and pick out the bad rows, as they were sent, with their errors."""
    problems = iter(log)
    want = next(problems, None)
    if want is None:
        return
    for line, row in enumerate(table.rows(), start=table.header_line + 1):
        while want is not None and want[0] < line:
            want = next(problems, None)
        if want is None:
            return
        if want[0] == line:
            yield line, row, want[1]


def _ask(reporter, rows: int, warnings: list[str]) -> dict:
    """Every row is good but the file as a whole looks wrong: nothing written, confirmation asked."""
    result = {
        "errors": [],
        "error_count": 0,
        "bad_rows": 0,
        "created": 0,
        "updated": 0,
        "rows": rows,
        "warnings": warnings,
        "needs_confirmation": True,
    }
    if reporter:
        reporter.progress(rows, total=rows)
        reporter.finish(
            result=result,
            failed=True,
            message=gettext("需要确认：发现{count}项异常，未写入任何数据。请核对后确认导入或修改文件重新上传").format(
                count=len(warnings)
            ),
        )
    return result


def confirm_import(*, importer: Importer, job_id, acting_user) -> Job:
    """确认导入: run the file of an import that asked for confirmation again, writing despite its
    anomalies. Only the person who uploaded it, once; the file is still in storage."""
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        pk = 0
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .filter(pk=pk, kind=f"import:{importer.code}", created_by=acting_user, status="failed")
            .first()
        )
        if job is None or not job.result.get("needs_confirmation") or "file" not in job.params:
            raise ValidationError(gettext("该导入不需要确认，或已经确认过"))
        if not default_storage.exists(job.params["file"]):
            raise ValidationError(gettext("上传的文件已不在存储中，请重新上传"))
        Job.objects.filter(pk=job.pk).update(result={**job.result, "needs_confirmation": False})
        confirmed = start_job(
            task=run_import_task,
            kind=job.kind,
            title=f"确认{job.title}"[:200],
            org=job.org,
            acting_user=acting_user,
            params={**job.params, "confirm": True},
        )
        record(
            actor=acting_user,
            action=AuditAction.ACTION,
            obj=job,
            org=job.org,
            summary=f"确认导入：{job.title}（异常：{'；'.join(job.result.get('warnings', []))}）"[:500],
        )
    return confirmed


def _fail(reporter, result: dict) -> dict:
    if reporter:
        reporter.finish(
            result=result, failed=True, message=f"导入未完成：{result['error_count']}处错误，未写入任何数据"
        )
    return result


def annotated_xlsx(header: list[str], rows: Iterable[tuple[int, list[str], list[tuple[str, str]]]]) -> bytes:
    """The bad rows as they were sent, with 原行号 and 错误说明 columns, erroneous cells marked red.

    Written in openpyxl's write-only mode, so its memory does not grow with the number of rows.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("错误行")
    bold = Font(bold=True)
    head = []
    for title in ["原行号", *header, "错误说明"]:
        cell = WriteOnlyCell(ws, value=xlsx_safe(title))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    position: dict[str, int] = {}
    for i, h in enumerate(header):
        position.setdefault(h, i)
    width = len(header)
    for line, row, errors in rows:
        cells = list(row[:width]) + [""] * (width - len(row))
        marked = {position[c] for c, _m in errors if c in position}
        out: list[object] = [line]
        for i, value in enumerate(cells):
            value = xlsx_safe(value)  # the row as sent, less what no xlsx may hold (NUL …)
            if i in marked:
                cell = WriteOnlyCell(ws, value=value)
                cell.fill = red
                out.append(cell)
            else:
                out.append(value)
        out.append(xlsx_safe("；".join(f"{c}：{m}" if c else m for c, m in errors)))
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def annotated_workbook(header: list[str], rows: list[tuple[int, list[str]]], problems: dict[int, list[str]]) -> bytes:
    """The annotated file from rows in memory; `problems` maps a row to "列名：说明" strings."""
    known = set(header)

    def split(p: str) -> tuple[str, str]:
        column, sep, message = p.partition("：")
        return (column, message) if sep and column in known else ("", p)

    return annotated_xlsx(header, ((line, row, [split(p) for p in problems.get(line, [])]) for line, row in rows))


def template_workbook(importer: Importer) -> bytes:
    """The downloadable template: Chinese headers, one example row, a sheet of column notes."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]  # a new workbook's one sheet
    ws.title = importer.title
    ws.append([c.header for c in importer.columns])
    ws.append([c.example for c in importer.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(importer.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(col.header) * 2 + 4)
        # Cells are text: Excel would otherwise turn 330106201809011232 into 3.30106E+17.
        ws.column_dimensions[get_column_letter(i)].number_format = "@"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for col in importer.columns:
        notes.append([col.header, "必填" if col.required else "选填", col.help])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
