"""Uploaded evidence (证明材料, 案件附件, 督查照片): what a file is, from its first bytes.

One check for every module: the type comes from the content, never from the name or the
browser's claim, and only PDF, JPG and PNG are accepted.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff(upload, *, label: str, max_bytes: int) -> str:
    """The content type of `upload`; ValidationError naming `label` (e.g. "附件") when it is too
    big ("too_big") or not a PDF, JPG or PNG ("file_type"). The file is left at its start."""
    if upload.size > max_bytes:
        raise ValidationError(
            gettext("{label}不能超过{value}MB").format(label=label, value=max_bytes // (1024 * 1024)), code="too_big"
        )
    head = upload.read(8)
    upload.seek(0)
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            return kind
    raise ValidationError(gettext("{label}只能是PDF、JPG或PNG文件").format(label=label), code="file_type")
