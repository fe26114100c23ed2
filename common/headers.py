"""Column headers compared the way a person reads them, whatever the spreadsheet did to them.

`Förnamn`, `FÖRNAMN`, `förnamn` typed with a combining diaeresis (NFD, as macOS writes it),
`fornamn`, `För-namn` and `för_namn` are one header. Both the data contract (which columns are
read) and the personal-data check (which headers announce identifiers) match on these forms.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["compact_header", "normalise_header"]


def normalise_header(header: object) -> str:
    """NFC, case-folded, punctuation and underscores as single spaces: 'Har  BankID' -> 'har bankid'."""
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "").casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def compact_header(header: object) -> str:
    """Letters and digits only, without accents: 'Hem adress' -> 'hemadress', 'Person-nr' -> 'personnr',
    'förnamn' (composed or decomposed) -> 'fornamn'."""
    decomposed = unicodedata.normalize("NFKD", str(header).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain)
