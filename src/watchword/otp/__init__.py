"""Pure one-time-password algorithms: no I/O, no clock, no framework.

Time and counters are arguments, so every function here is deterministic.
"""
