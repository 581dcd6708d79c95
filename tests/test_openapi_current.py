"""docs/openapi.yaml is the published API description: it must match what the code serves."""

import pathlib

from django.core.management import call_command

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


def test_published_openapi_description_matches_the_code(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(fresh))
    assert fresh.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8"), (
        "API 描述已过期：运行 `mofang spectacular --file docs/openapi.yaml` 更新"
    )
