"""控辍保学's permissions: county bureaus import their register, see the lists and handle the cases;
city and province administrators (and the 督学) see the counts per county."""

from mofang.platform.accounts.registry import grant, register_permissions

VIEW = "dropout_control.view"
IMPORT = "dropout_control.import_register"
HANDLE = "dropout_control.handle"

register_permissions(
    {VIEW: "查看控辍保学比对结果", IMPORT: "导入户籍适龄儿童名册", HANDLE: "办理控辍保学案件（核查、劝返、复学、说明）"}
)

grant("county_admin", VIEW, IMPORT, HANDLE)
for _admin in ("city_admin", "province_admin", "inspector"):
    grant(_admin, VIEW)
