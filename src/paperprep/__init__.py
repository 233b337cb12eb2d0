"""paperprep: committee agendas, minutes, actions and inspections for UK council clerks."""

__version__ = "0.1.0"
