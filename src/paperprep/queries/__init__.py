"""Read models: Qt-free functions of a session that return frozen, named records for the views.

Each function takes the session first (the window runs it through its store) and returns records that hold no ORM
object, so a view can never trigger hidden SQL. Editable records carry the row's version, which the view states
when it saves, so that a change made elsewhere since is caught as a conflict.
"""
