from .audit import AuditEntry, AuditLogIsAppendOnly
from .framework import Competency, Domain, FrameworkVersion
from .notifications import Notification
from .pages import HomePage
from .places import Office, Region
from .users import User

__all__ = [
    "AuditEntry",
    "AuditLogIsAppendOnly",
    "Competency",
    "Domain",
    "FrameworkVersion",
    "HomePage",
    "Notification",
    "Office",
    "Region",
    "User",
]
