"""Let asn1crypto read the SAT's x500UniqueIdentifier (the holder's RFC).

X.520 defines x500UniqueIdentifier (OID 2.5.4.45) as a BIT STRING; the SAT
writes it as a PrintableString (``RFC / RFC-of-representative``) in every
e.firma subject and in its own CAs' names.  asn1crypto, under pyHanko and
pyhanko-certvalidator, then raises "Error parsing
asn1crypto.core.OctetBitString - tag should have been 3, but 19 was found" on
any look at such a name, so a plain pyHanko setup cannot sign with a real
e.firma.  This is asn1crypto issue #228
(https://github.com/wbond/asn1crypto/issues/228), open as of asn1crypto 1.5.1.

:func:`install` registers, once and for the whole process, a type for that
attribute that accepts the directory strings as well as the BIT STRING.  It
changes parsing only: a certificate keeps its original bytes, so its
signature and its hash are untouched.
"""
from __future__ import annotations

from asn1crypto import core, x509

__all__ = ["install"]


class UniqueIdentifier(x509.DirectoryString):
    """x500UniqueIdentifier as found in the wild: any directory string, or the BIT STRING of X.520."""

    _alternatives = [*x509.DirectoryString._alternatives, ("bit_string", core.OctetBitString)]
    _id_map = None  # built again from the alternatives above, not inherited
    _name_map = None


def install() -> None:
    """Make asn1crypto parse x500UniqueIdentifier with :class:`UniqueIdentifier` (idempotent)."""
    x509.NameTypeAndValue._oid_specs["unique_identifier"] = UniqueIdentifier
