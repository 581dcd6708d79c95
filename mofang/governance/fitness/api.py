"""体质健康's write endpoint for other systems (the platform's API registry; see
mofang/platform/api/imported.py): POST /api/fitness-results/ with a list of results, scored by the
fitness engine through exactly the path of the 体质健康测试成绩 import."""

from mofang.platform.api.imported import import_write_viewset
from mofang.platform.api.registry import register_api, register_write_kind

from .importers import IMPORT, FitnessResultImporter

# schools import results; a bureau administrator who oversees the rates may give a key the right
register_write_kind(
    "fitness",
    "体质健康测试成绩",
    IMPORT,
    "people.view_student",
    maker_needs=("fitness.view_rates", "people.view_student"),
)
register_api(
    "fitness-results",
    import_write_viewset("fitness", "fitness_results", "体质健康测试成绩（外部系统批量写入）", FitnessResultImporter()),
    "fitness-result",
)
