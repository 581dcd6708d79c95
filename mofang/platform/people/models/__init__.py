"""Students, staff and guardians. ID numbers and phones are sealed at rest and shown masked."""

from .common import SealedIdentity, Sex
from .guardians import Guardian, Guardianship
from .staff import Staff
from .students import Student

__all__ = ["Guardian", "Guardianship", "SealedIdentity", "Sex", "Staff", "Student"]
