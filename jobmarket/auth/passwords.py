"""Password hashing with argon2id; hashes are upgraded on login when the parameters change."""
from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()  # argon2id, the library's current recommended parameters


def hash_password(password: str) -> str:
    """Hash a password for storage (NFC first: a phone keyboard may send NFD Vietnamese)."""
    return _hasher.hash(unicodedata.normalize("NFC", password))


def verify_password(stored_hash: str, password: str) -> bool:
    """Check a password against its stored hash."""
    try:
        return _hasher.verify(stored_hash, unicodedata.normalize("NFC", password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the stored hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
