"""A password hasher for the test run: Django's PBKDF2 with few iterations.

Hashes stay ``pbkdf2_sha256`` with their iteration count inside, so a server started with the
production settings on a copy of a test database (the SQLite concurrency test) still verifies them.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
