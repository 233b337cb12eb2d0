"""Reading things back in: officers' action log updates and pasted minute text."""
