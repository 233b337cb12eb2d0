"""Every change a clerk can make, as a named operation run by one workbench: see paperprep.ops.base."""

from paperprep.ops.base import Done, Operation, Step, Workbench
from paperprep.ops.changes import Changes, Kind, Origin

__all__ = ["Changes", "Done", "Kind", "Operation", "Origin", "Step", "Workbench"]
