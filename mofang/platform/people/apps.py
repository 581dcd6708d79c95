from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mofang.platform.people"
    label = "people"
    verbose_name = "师生与家长"

    def ready(self):
        from mofang.platform.accounts.registry import grant, register_permissions
        from mofang.platform.web.registry import MenuEntry, register_menu

        from . import importers  # noqa: F401  (registers the student and staff import templates)

        # year-end promotion is a bureau decision over a whole region, never a school's
        register_permissions({"people.promote_students": "学年升级（升级与毕业）"})
        for role in ("province_admin", "city_admin", "county_admin"):
            grant(role, "people.promote_students")
        register_menu(MenuEntry("data", "主数据", "学年升级", "people:promotion", "people.promote_students", 25))
