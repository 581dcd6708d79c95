"""视力健康's write endpoint for other systems (the platform's API registry; see
mofang/platform/api/imported.py): POST /api/vision-screenings/ with a list of screenings, through
exactly the path of the 视力筛查结果 import."""

from mofang.platform.api.imported import import_write_viewset
from mofang.platform.api.registry import register_api, register_write_kind

from .importers import ScreeningImporter
from .roles import FIGURES, IMPORT

# schools import screenings; a bureau administrator who oversees the figures may give a key the right
register_write_kind(
    "vision", "视力筛查结果", IMPORT, "people.view_student", maker_needs=(FIGURES, "people.view_student")
)
register_api(
    "vision-screenings",
    import_write_viewset("vision", "vision_screenings", "视力筛查结果（外部系统批量写入）", ScreeningImporter()),
    "vision-screening",
)
