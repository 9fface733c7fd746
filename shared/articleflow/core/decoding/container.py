"""A Word .docx upload's container, checked by ingest before a byte of it is inflated (stdlib only).

`check_container(data)` refuses, with ``RejectedInput('zip_bomb')`` or ``('malformed_docx')``:
more than `MAX_MEMBERS` members, a declared uncompressed total above `MAX_TOTAL_UNCOMPRESSED`, a
member above `MAX_MEMBER_UNCOMPRESSED`, a member whose compression ratio is above `MAX_RATIO`
(Word's XML compresses about 5-20x; bombs 1000x and more), encrypted members, and an archive
without ``word/document.xml``. normalize's extractor (`articleflow.core.formats.docx`) re-checks it.
"""

from __future__ import annotations

import io
import zipfile

from articleflow.core.errors import RejectedInput

__all__ = ["check_container", "open_zip"]

MAX_MEMBERS = 2000
MAX_TOTAL_UNCOMPRESSED = 64 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 32 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FLOOR = 64 * 1024  # members this small may compress as well as they like


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The upload as a ZIP archive; ``malformed_docx`` when it is not one."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RejectedInput("malformed_docx", f"the .docx is not a readable ZIP archive: {error}") from error


def check_container(data: bytes) -> None:
    """Refuse a ZIP that would inflate to too much, or is not a Word document (see module doc)."""
    with open_zip(data) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise RejectedInput("zip_bomb", f"the .docx has {len(members)} members; the limit is {MAX_MEMBERS}")
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise RejectedInput("malformed_docx", f"the .docx member {member.filename} is encrypted")
            total += member.file_size
            if member.file_size > MAX_MEMBER_UNCOMPRESSED:
                raise RejectedInput(
                    "zip_bomb",
                    f"the .docx member {member.filename} inflates to {member.file_size} bytes; "
                    f"the limit is {MAX_MEMBER_UNCOMPRESSED}",
                )
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
                raise RejectedInput(
                    "zip_bomb",
                    f"the .docx member {member.filename} has a compression ratio of {ratio:.0f}:1 "
                    f"({member.compress_size} -> {member.file_size} bytes); the limit is {MAX_RATIO}:1",
                )
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise RejectedInput(
                "zip_bomb", f"the .docx inflates to {total} bytes in all; the limit is {MAX_TOTAL_UNCOMPRESSED}"
            )
        if "word/document.xml" not in archive.namelist():
            raise RejectedInput("malformed_docx", "the ZIP has no word/document.xml: not a Word document")
