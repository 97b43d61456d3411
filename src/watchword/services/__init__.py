"""Use cases: each takes the environment (database, key ring, clock) and returns a result."""
