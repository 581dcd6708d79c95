"""The import pages list templates declared in code, not rows (see mofang/platform/budgets.py)."""

COVERS = ()
NOT_LISTS = {"imports:index": "the import templates registered in code, not rows"}
