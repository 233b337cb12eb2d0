"""Use cases: committees, meetings, agenda, attendance, minutes, decisions, actions and search.

Each function takes a Session and leaves committing to the caller, who owns the unit of work
(`with db.transaction() as s: ...`). Nothing here imports Qt.
"""
