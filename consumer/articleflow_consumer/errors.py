"""Why a message could not be read. Leave such a message on its queue: it reaches the DLQ."""

from __future__ import annotations


class ConsumerError(ValueError):
    """A published message this kit cannot turn into an article."""


class MalformedMessage(ConsumerError):
    """Not JSON, not a published message or pointer, or a record shape we do not know."""


class UnsupportedSchemaVersion(ConsumerError):
    """A major version this kit does not know: fields may have changed meaning."""


class IntegrityError(ConsumerError):
    """A pointer's document does not match the pointer (checksum, article or revision)."""
