"""Writes of the partners app: organisations (organisations.py), pots and matches (pots.py), open calls
(calls.py), the quadratic round (rounds.py)."""
