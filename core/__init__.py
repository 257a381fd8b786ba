"""What both apps stand on: the one door for access and the roles, the refusals of a write and
the retry of a collision, raw loads, the security log, the health check, the language, and
downloads written at a lower priority. It imports neither app."""
