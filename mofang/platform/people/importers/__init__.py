"""Import templates for students, staff and guardians, through the platform's one import path.

Both declare their model and how a cleaned row maps onto it; the platform writes the rows
(COPY + one upsert on PostgreSQL, bulk upsert elsewhere). A province's student roll is a
million rows, so the per-row code here is kept to dictionary look-ups and the identity checks.
"""

from mofang.platform.imports.base import register_importer

from .guardians import GuardianImporter
from .staff import StaffImporter
from .students import StudentImporter

register_importer(StudentImporter())
register_importer(StaffImporter())
register_importer(GuardianImporter())

__all__ = ["GuardianImporter", "StaffImporter", "StudentImporter"]
