"""The password hasher: Argon2id with OWASP's profile (19 MiB of memory, 2 passes, one lane).

Django's own Argon2 defaults (100 MiB, 8 lanes) cost about as much CPU per login as the
PBKDF2 they replace (bench/login.py: 175 ms against 183 ms), so a rush of logins would still
fill the processors. OWASP's Password Storage Cheat Sheet gives this profile as Argon2id's
minimum: memory-hard (what makes guessing on graphics cards expensive) at some 20 ms of CPU
per check. A hash made with other parameters — PBKDF2, or Argon2 with Django's — still
verifies, and is made anew with these at the user's next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
