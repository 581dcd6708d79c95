"""Students, staff and guardians. ID numbers and phones are sealed at rest and shown masked."""

from .common import SealedIdentity, Sex
from .guardians import Guardian, Guardianship
from .roll import ClassPlacement, RollEvent, RollEventKind, RollStatus, SchoolYear, Term, TermNumber
from .staff import Staff
from .students import Student

__all__ = ["ClassPlacement", "Guardian", "Guardianship", "RollEvent", "RollEventKind", "RollStatus",
           "SchoolYear", "SealedIdentity", "Sex", "Staff", "Student", "Term", "TermNumber"]
