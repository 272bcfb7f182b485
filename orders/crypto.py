"""Provider API keys are stored encrypted (Fernet) with a key derived from PROVIDER_KEYS_SECRET."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@cache
def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(f"provider-keys:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: str) -> str:
    return _fernet(settings.PROVIDER_KEYS_SECRET).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.PROVIDER_KEYS_SECRET).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "The stored API key cannot be decrypted: PROVIDER_KEYS_SECRET changed since it "
            "was saved. Enter the provider's key again."
        ) from None


def mask(plain: str) -> str:
    """What staff see of a key: enough to recognise it, never enough to use it."""
    if len(plain) <= 8:
        return "•" * len(plain)
    return f"{plain[:2]}{'•' * 8}{plain[-4:]}"
