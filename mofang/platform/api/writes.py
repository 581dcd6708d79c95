"""Batch writes by other systems (外部系统写入), authenticated by a per-system API key.

A body is a JSON list of records. The batch is all or nothing: every record is checked — first its
fields, with the same parsers as the file import of that kind (mofang.platform.imports.parsers), so
the API and the import refuse the same things with the same Chinese messages; then the write itself,
through the owning service function with the key's service account as `acting_user` — and if any
record is refused, nothing is written and the 400 names every bad record by its index and field
(`"2.id_number": ["身份证号校验位错误"]`). Records are looked up only among what the key's subtree
sees (visible_to), so a record outside it reads as unknown.

An `Idempotency-Key` header makes a retry safe: the same key with the same body replays the first
answer without writing again; the same key with a different body is a 409.
"""

import hashlib
import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from .auth import ApiKeyAuthentication, HasKeyFor, KeyRateThrottle
from .errors import error_body, field_errors_body
from .models import IdempotentAnswer

MAX_RECORDS = 500
MAX_IDEMPOTENCY_KEY = 100


class StrictCharField(serializers.CharField):
    """A text field that takes only a JSON string (a number or a boolean is refused, as the
    published description says), so a record means exactly what it says."""

    default_error_messages = {"invalid": "应为文本（JSON 字符串）"}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ParsedField(StrictCharField):
    """A text field read by an import column's parser (its Chinese refusal kept)."""

    def __init__(self, parse, **kwargs):
        self.parse = parse
        kwargs.setdefault("max_length", 100)
        if not kwargs.get("required", True):
            kwargs.setdefault("allow_blank", True)
            kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        text = super().run_validation(data)  # a string within max_length (or absent/blank when optional)
        if text is None or not str(text).strip():
            return None
        try:
            return self.parse(str(text).strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class BatchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="写入的记录数")
    created = serializers.IntegerField(required=False, help_text="新增的记录数（按导入模板写入的接口）")
    updated = serializers.IntegerField(required=False, help_text="更新的记录数（按导入模板写入的接口）")
    results = serializers.ListField(child=serializers.DictField(), help_text="每条记录的写入结果，顺序同请求")


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="幂等键（不超过 100 个字符）：同一键、同一内容重复提交时返回第一次的应答，不会重复写入；同一键、不同内容返回 409",
)


class BatchWriteViewSet(viewsets.ViewSet):
    """POST a list of records; see the module docstring. Subclasses set `kind`, `item_serializer`,
    `write(item, user) -> dict` and the schema's summary."""

    kind = ""
    item_serializer: type[serializers.Serializer] = serializers.Serializer
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasKeyFor]
    throttle_classes = [KeyRateThrottle]
    parser_classes = [JSONParser]

    def get_serializer(self, *args, **kwargs):  # for the schema generator
        return self.item_serializer(*args, **kwargs)

    def throttled(self, request, wait):
        message = getattr(request, "key_limit_message", None)
        exc = exceptions.Throttled(wait, detail=message)
        exc.chinese_detail = bool(message)  # kept by errors.exception_handler
        raise exc

    def write(self, item: dict, user) -> dict:
        raise NotImplementedError

    def create(self, request):
        key = request.auth
        data = request.data
        if not isinstance(data, list):
            raise exceptions.ValidationError({"non_field_errors": ["请求内容应为记录的列表（JSON 数组）"]})
        if not data:
            raise exceptions.ValidationError({"non_field_errors": ["请求内容为空：至少要有一条记录"]})
        if len(data) > MAX_RECORDS:
            raise exceptions.ValidationError({"non_field_errors": [f"一次最多 {MAX_RECORDS} 条记录"]})
        idem = request.headers.get("Idempotency-Key")
        if idem is not None and not (0 < len(idem) <= MAX_IDEMPOTENCY_KEY):
            raise exceptions.ValidationError({"Idempotency-Key": [f"幂等键应为 1 到 {MAX_IDEMPOTENCY_KEY} 个字符"]})
        body_hash = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        endpoint = self.basename
        if idem is not None:
            replay = self._replay(key, endpoint, idem, body_hash)
            if replay is not None:
                return replay
        try:
            with transaction.atomic():
                claim = None
                if idem is not None:
                    # claim the key first: a concurrent delivery of the same key waits here for this
                    # transaction and then replays its answer (IntegrityError below), never writes
                    claim = IdempotentAnswer.objects.create(
                        api_key=key, idempotency_key=idem, endpoint=endpoint, body_hash=body_hash, status=0, body={}
                    )
                code, body = self._write_all(data, request.user)
                if claim is not None and code == status.HTTP_200_OK:
                    claim.status, claim.body = code, body
                    claim.save(update_fields=["status", "body"])
        except IntegrityError:  # a concurrent request with the same Idempotency-Key answered first
            replay = self._replay(key, endpoint, idem, body_hash) if idem is not None else None
            if replay is None:
                raise
            return replay
        if idem is not None and code != status.HTTP_200_OK:
            IdempotentAnswer.objects.get_or_create(
                api_key=key,
                idempotency_key=idem,
                endpoint=endpoint,
                defaults={"body_hash": body_hash, "status": code, "body": body},
            )
        return Response(body, status=code)

    def _replay(self, key, endpoint: str, idem: str, body_hash: str) -> Response | None:
        first = IdempotentAnswer.objects.filter(api_key=key, endpoint=endpoint, idempotency_key=idem).first()
        if first is None:
            return None
        if first.body_hash != body_hash:
            return Response(
                error_body("该幂等键（Idempotency-Key）已用于另一份不同的请求内容，请换一个幂等键"),
                status=status.HTTP_409_CONFLICT,
            )
        return Response(first.body, status=first.status, headers={"Idempotent-Replayed": "true"})

    def _write_all(self, data: list, user) -> tuple[int, dict]:
        """Every record checked and written inside the caller's transaction; any refusal rolls all back."""
        errors: dict[str, list[str]] = {}
        results = []
        for i, raw in enumerate(data):
            if not isinstance(raw, dict):
                errors[str(i)] = ["每条记录应为一个 JSON 对象"]
                continue
            item = self.item_serializer(data=raw, context={"user": user})
            if not item.is_valid():
                for field, messages in item.errors.items():
                    errors[f"{i}.{field}"] = (
                        [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
                    )
                continue
            try:
                with transaction.atomic():
                    results.append(self.write(item.validated_data, user))
            except DjangoValidationError as exc:
                found = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
                for field, messages in found.items():
                    name = f"{i}.{field}" if field not in ("__all__", "non_field_errors") else str(i)
                    errors.setdefault(name, []).extend(messages)
            except DjangoPermissionDenied as exc:
                errors[str(i)] = [str(exc) or "无权写入该记录"]
        if errors:
            transaction.set_rollback(True)
            body = field_errors_body(errors)
            body["detail"] = (
                f"共 {len({k.split('.')[0] for k in errors})} 条记录有误，本批未写入任何记录：" + body["detail"]
            )
            return status.HTTP_400_BAD_REQUEST, body
        return status.HTTP_200_OK, {"count": len(results), "results": results}

    def _refused(self, errors: dict[str, list[str]]) -> tuple[int, dict]:
        records = {k.split(".")[0] for k in errors if k[:1].isdigit()}
        body = field_errors_body(errors)
        lead = f"共 {len(records)} 条记录有误，" if records else ""
        body["detail"] = f"{lead}本批未写入任何记录：" + body["detail"]
        return status.HTTP_400_BAD_REQUEST, body


def batch_schema(summary: str, item_serializer, description: str):
    return extend_schema(
        summary=summary,
        description=description,
        request=item_serializer(many=True),
        responses={200: BatchResultSerializer, 409: _conflict()},
        parameters=[IDEMPOTENCY_PARAMETER],
        tags=["data-exchange"],
    )


def _conflict():
    from drf_spectacular.utils import OpenApiResponse

    return OpenApiResponse(response={"$ref": "#/components/schemas/Error"}, description="幂等键已用于不同的请求内容")
