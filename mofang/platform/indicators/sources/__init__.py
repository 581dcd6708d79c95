"""Fact sources for the modules already on main, one file per module (registry.FactSource).

They live here rather than in each module only because the modules were built before the
indicators core; a new module registers its own sources in its AppConfig.ready().
Each source counts in one grouped query and reports at the lowest org the records belong to.
"""

from django.apps import apps


def register_all() -> None:
    from . import orgs, people

    orgs.register()
    people.register()
    if apps.is_installed("mofang.governance.timebank"):
        from . import timebank

        timebank.register()
    if apps.is_installed("mofang.governance.supervision"):
        from . import supervision

        supervision.register()
    if apps.is_installed("mofang.governance.campus_safety"):
        from . import campus_safety

        campus_safety.register()
    if apps.is_installed("mofang.governance.enrollment"):
        from . import enrollment

        enrollment.register()
