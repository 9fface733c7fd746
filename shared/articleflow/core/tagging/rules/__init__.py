"""Per-language rules: each takes a `Context` (one text, tokenised) and returns `Candidate`s; one
module per rule family.

Reusable by other backends: `find_dates`, `find_quantities`, `find_designators` and `NameIndex`
work on any text; the Arabic rules (`arabic_title_persons`, `arabic_org_patterns`) and the Latin
rule (`capitalised_sequences`) need the tokens only.
"""

from articleflow.core.tagging.rules.acronyms import find_acronyms
from articleflow.core.tagging.rules.arabic_clubs import arabic_clubs
from articleflow.core.tagging.rules.arabic_facilities import arabic_facilities
from articleflow.core.tagging.rules.arabic_organisations import (
    arabic_named_organisations,
    arabic_org_patterns,
    says_what_for,
)
from articleflow.core.tagging.rules.arabic_persons import arabic_title_persons, is_definite
from articleflow.core.tagging.rules.arabic_surnames import definite_surnames, surnames_after_saying
from articleflow.core.tagging.rules.bylines import byline_candidates
from articleflow.core.tagging.rules.context import Context, NameIndex
from articleflow.core.tagging.rules.dates import find_dates
from articleflow.core.tagging.rules.designators import find_designators
from articleflow.core.tagging.rules.latin_facilities import romance_facilities
from articleflow.core.tagging.rules.latin_organisations import (
    descriptor_organisations,
    lower_org_heads,
    romance_org_names,
)
from articleflow.core.tagging.rules.latin_sequences import capitalised_sequences
from articleflow.core.tagging.rules.names import curated_index, find_names, find_places
from articleflow.core.tagging.rules.quantities import find_quantities

__all__ = [
    "Context",
    "NameIndex",
    "arabic_clubs",
    "arabic_facilities",
    "arabic_named_organisations",
    "arabic_org_patterns",
    "arabic_title_persons",
    "byline_candidates",
    "capitalised_sequences",
    "curated_index",
    "definite_surnames",
    "descriptor_organisations",
    "find_acronyms",
    "find_dates",
    "find_designators",
    "find_names",
    "find_places",
    "find_quantities",
    "is_definite",
    "lower_org_heads",
    "romance_facilities",
    "romance_org_names",
    "says_what_for",
    "surnames_after_saying",
]
