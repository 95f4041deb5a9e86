"""How passwords are stored: Argon2id (Django's recommended hasher) with the parameters OWASP's Password
Storage Cheat Sheet gives as its first choice: 19 MiB of memory, 2 passes, 1 lane.

Why not Django's default PBKDF2 (1,000,000 SHA-256 rounds): about 0.6 s of one core per sign-in here, so
a handful of people signing in at once held both cores of a small server for seconds (bench/README.md,
the load test). Argon2id at these parameters costs about 40 ms and, being memory-hard, costs a guesser
with GPUs far more than PBKDF2's rounds do. Hashes stored earlier with PBKDF2 are still accepted and are
rewritten as Argon2id at the owner's next sign-in (Django upgrades a hash made by a hasher that is not
the first, or by the first with other parameters)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, m = 19 MiB, t = 2, p = 1 (OWASP). The algorithm name stays Django's "argon2", so a
    change of these parameters is upgraded at sign-in like any other."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
