"""The API documentation page (接口文档): a Chinese reference rendered on the server from the
platform's own OpenAPI description (the generator behind /api/schema/), for administrators only
(api.view_docs; anyone else gets the API's Chinese 403, an anonymous visitor the sign-in page).

Nothing is written twice: each operation's summary, parameters, answers and fields are what the
description says. Only text written for a reader is shown — a description with Chinese in it; the
viewsets' English docstrings (which drf-spectacular also copies into the description) are notes
for developers. Identifiers (paths, names, types) are printed in <code>. No script, no <style>:
the look is static/mofang/api_docs.css."""

import json
import re
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from drf_spectacular.generators import SchemaGenerator

from mofang.platform.accounts.scope import has_perm
from mofang.platform.web.roles import VIEW_API_DOCS

from .schema import ERROR_COMPONENT

_CJK = re.compile(r"[\u4e00-\u9fff]")
# drf-spectacular writes an enum's choices into its description as "* `value` - label" lines
_CHOICE = re.compile(r"^\* `([^`]*)` - (.*)$", re.M)
_TYPES = {
    "string": "字符串",
    "integer": "整数",
    "number": "数值",
    "boolean": "布尔值",
    "array": "列表",
    "object": "对象",
}
_FORMATS = {"date": "日期", "date-time": "日期时间", "decimal": "小数", "double": "数值", "uri": "网址"}
_LOCATIONS = {"query": "查询参数", "path": "路径", "header": "请求头", "cookie": "Cookie"}
_METHODS = ("get", "post", "put", "patch", "delete")


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _for_readers(text: str | None) -> SafeString:
    """The text if it was written for a reader (has Chinese), else nothing; enum choice lists aside.
    A `code span` (CommonMark, as OpenAPI descriptions are written) is an identifier: <code>."""
    text = _CHOICE.sub("", text or "").strip()
    if not _CJK.search(text):
        return mark_safe("")
    return mark_safe(_CODE_SPAN.sub(r"<code>\1</code>", str(conditional_escape(text))))


@dataclass
class Field:
    name: str
    type: str  # 中文类型名
    type_code: str  # the OpenAPI type (or component name), shown in <code>
    required: bool
    description: str
    choices: list[tuple[str, str]]
    nullable: bool
    location: str = ""  # a parameter's place: 查询参数, 路径 …


@dataclass
class Answer:
    code: str
    description: str
    is_error: bool
    headers: list[tuple[str, str]]


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field]
    body: list[Field]
    answers: list[Answer]
    paginated: bool
    item_type: str  # the component a success answer carries (one object, or one list item)
    fields: list[Field]


@dataclass
class Section:
    tag: str
    title: str
    operations: list[Operation] = field(default_factory=list)


class _Reader:
    """Reads one generated description into sections for the template."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.components = schema.get("components", {}).get("schemas", {})

    def resolve(self, node: dict) -> tuple[str, dict]:
        """(component name or "", the schema) behind a $ref or a one-element allOf."""
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return name, self.components.get(name, {})
        if len(node.get("allOf", [])) == 1:
            name, inner = self.resolve(node["allOf"][0])
            return name, {**inner, **{k: v for k, v in node.items() if k != "allOf"}}
        return "", node

    def field(self, name: str, node: dict, required: bool) -> Field:
        component, resolved = self.resolve(node)
        kind = resolved.get("type", "")
        if kind == "array":
            item_name, item = self.resolve(resolved.get("items", {}))
            type_name = f"{_TYPES.get(item.get('type', ''), '对象')}列表"
            type_code = f"{item_name or item.get('type', '')}[]"
        elif component and kind == "object":
            type_name, type_code = "对象", component
        else:
            fmt = resolved.get("format", "")
            type_name = _FORMATS.get(fmt) or _TYPES.get(kind, "取值")
            type_code = f"{kind} ({fmt})" if fmt else kind or "enum"
        described = node.get("description") or resolved.get("description") or ""
        label = node.get("title") or resolved.get("title") or ""
        text = _for_readers(described) or _for_readers(label)
        if label and described and _for_readers(described) and label not in text:
            text = mark_safe(f"{conditional_escape(label)}：{text}")
        choices = _CHOICE.findall(resolved.get("description") or node.get("description") or "")
        if not choices and resolved.get("enum"):
            choices = [(str(v), "") for v in resolved["enum"] if v not in ("", None)]
        return Field(
            name=name,
            type=type_name,
            type_code=type_code,
            required=required,
            description=text,
            choices=choices,
            nullable=bool(node.get("nullable") or resolved.get("nullable")),
        )

    def fields(self, node: dict) -> list[Field]:
        _, resolved = self.resolve(node)
        required = set(resolved.get("required", []))
        return [self.field(n, p, n in required) for n, p in resolved.get("properties", {}).items()]

    def parameter(self, p: dict) -> Field:
        f = self.field(p["name"], p.get("schema", {}), bool(p.get("required")))
        f.description = _for_readers(p.get("description"))
        f.choices = _CHOICE.findall(p.get("description") or "") or f.choices
        f.location = _LOCATIONS.get(p.get("in", ""), p.get("in", ""))
        return f

    def operation(self, method: str, path: str, op: dict) -> Operation:
        parameters = [self.parameter(p) for p in op.get("parameters", [])]
        body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        answers: list[Answer] = []
        fields: list[Field] = []
        item_type, paginated = "", False
        for code, answer in op.get("responses", {}).items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            name, resolved = self.resolve(schema) if schema else ("", {})
            is_error = name == ERROR_COMPONENT
            description = _for_readers(answer.get("description")) or ("成功" if code.startswith("2") else "")
            headers = [(h, str(_for_readers(v.get("description")))) for h, v in answer.get("headers", {}).items()]
            answers.append(Answer(code, description, is_error, headers))
            if code.startswith("2") and resolved and not fields:
                props = resolved.get("properties", {})
                if {"count", "results"} <= set(props):
                    paginated = True
                    item_type, _ = self.resolve(props["results"].get("items", {}))
                    fields = self.fields(props["results"].get("items", {}))
                else:
                    item_type, fields = name, self.fields(schema)
        return Operation(
            method=method.upper(),
            path=path,
            anchor=op.get("operationId", f"{method}-{path}"),
            summary=_for_readers(op.get("summary")) or path,
            description=_for_readers(op.get("description")),
            parameters=parameters,
            body=self.fields(body_schema) if body_schema else [],
            answers=answers,
            paginated=paginated,
            item_type=item_type,
            fields=fields,
        )

    def sections(self) -> list[Section]:
        titles = {t["name"]: _for_readers(t.get("description")) for t in self.schema.get("tags", [])}
        sections: dict[str, Section] = {name: Section(name, title) for name, title in titles.items()}
        for path, item in self.schema.get("paths", {}).items():
            for method in _METHODS:
                if method in item:
                    tag = (item[method].get("tags") or ["其他"])[0]
                    section = sections.setdefault(tag, Section(tag, titles.get(tag, "")))
                    section.operations.append(self.operation(method, path, item[method]))
        return [s for s in sections.values() if s.operations]


def reference() -> dict:
    """The page's content from the description /api/schema/ serves (every operation, as there)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    reader = _Reader(schema)
    return {
        "info": schema.get("info", {}),
        "sections": reader.sections(),
        "error_fields": reader.fields({"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}),
        "error_name": ERROR_COMPONENT,
        "error_example_json": json.dumps(
            reader.components.get(ERROR_COMPONENT, {}).get("example", {}), ensure_ascii=False
        ),
    }


@login_required
def api_docs(request):
    if not has_perm(request.user, VIEW_API_DOCS):
        raise PermissionDenied  # under /api/ the site's handler answers the API's Chinese 403
    return render(request, "web/api_docs.html", {"page_title": "接口文档", **reference()})
