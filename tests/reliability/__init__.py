"""Reliability harnesses: the program killed at random moments, and checked afterwards (docs/reliability.md)."""
