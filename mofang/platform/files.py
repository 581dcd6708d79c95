"""Uploaded evidence (证明材料, 案件附件, 督查照片): what a file is, from its first bytes.

Every stored file goes through Django's storage API (the local folder, or a shared S3-compatible
store: settings STORAGES), never by a path on this machine's disk; `local_path` gives a reader that
needs a path a temporary copy.

One check for every module: the type comes from the content, never from the name or the
browser's claim, and only PDF, JPG and PNG are accepted.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext

SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


# A lesson's media (教育资源) may also be a video: MP4 (an ISO media file, "ftyp" at byte 4).
VIDEO = "video/mp4"


def sniff(upload, *, label: str, max_bytes: int, video: bool = False) -> str:
    """The content type of `upload`; ValidationError naming `label` (e.g. "附件") when it is too
    big ("too_big") or not a PDF, JPG or PNG — or an MP4 video where `video` is allowed
    ("file_type"). The file is left at its start."""
    if upload.size > max_bytes:
        raise ValidationError(
            gettext("{label}不能超过{value}MB").format(label=label, value=max_bytes // (1024 * 1024)), code="too_big"
        )
    head = upload.read(12)
    upload.seek(0)
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            return kind
    if video and head[4:8] == b"ftyp":
        return VIDEO
    if video:
        raise ValidationError(gettext("{label}只能是MP4视频、PDF、JPG或PNG文件").format(label=label), code="file_type")
    raise ValidationError(gettext("{label}只能是PDF、JPG或PNG文件").format(label=label), code="file_type")


# --- stored files on this machine's disk -------------------------------------------------------


@contextmanager
def local_path(name: str, storage=None) -> Iterator[str]:
    """A path on this machine's disk holding the stored file `name` (e.g. for openpyxl and csv,
    which read by path): the file itself on the local storage, else a temporary copy fetched from
    the shared store (S3), removed on exit. FileNotFoundError when no such file is stored."""
    storage = storage or default_storage
    try:
        path = storage.path(name)
    except NotImplementedError:  # a remote store has no path
        path = None
    if path is not None:
        if not os.path.isfile(path):
            raise FileNotFoundError(name)
        yield path
        return
    with (
        storage.open(name, "rb") as src,
        tempfile.NamedTemporaryFile(prefix="mofang-", suffix=os.path.splitext(name)[1], delete=False) as tmp,
    ):
        shutil.copyfileobj(src, tmp, 1 << 20)
    try:
        yield tmp.name
    finally:
        os.unlink(tmp.name)
