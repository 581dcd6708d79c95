"""Students, staff and guardians. ID numbers and phones are sealed at rest and shown masked."""

from .common import SealedIdentity, Sex
from .guardians import RELATIONS, BindingAttempt, BindingRequest, BindingStatus, Guardian, Guardianship
from .roll import ClassPlacement, RollEvent, RollEventKind, RollStatus, SchoolYear, Term, TermNumber
from .staff import Employment, Staff, StaffCategory, TeacherCertKind
from .students import Student

__all__ = [
    "RELATIONS",
    "BindingAttempt",
    "BindingRequest",
    "BindingStatus",
    "ClassPlacement",
    "Employment",
    "Guardian",
    "Guardianship",
    "RollEvent",
    "RollEventKind",
    "RollStatus",
    "SchoolYear",
    "SealedIdentity",
    "Sex",
    "Staff",
    "StaffCategory",
    "Student",
    "TeacherCertKind",
    "Term",
    "TermNumber",
]
