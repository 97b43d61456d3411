"""Parse untrusted XML with no DTD, no entities and nothing fetched.

Seed files come from outside, so before python-pskc sees a byte we parse it
ourselves with defusedxml's expat parser, refusing any document type
declaration. python-pskc would use lxml if it were ever installed, whose
defaults differ; this check makes the choice of its back end irrelevant.
Entity declarations are refused as they are read, so a "billion laughs"
document is rejected at its first ``<!ENTITY`` and never expands.
"""

from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import errors as expat_errors

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from watchword.seedfile.errors import FileRejected

# expat errors that mean "the input stopped early", as opposed to bad syntax.
_TRUNCATION = frozenset(
    expat_errors.codes[message]
    for message in (
        expat_errors.XML_ERROR_NO_ELEMENTS,
        expat_errors.XML_ERROR_UNCLOSED_TOKEN,
        expat_errors.XML_ERROR_PARTIAL_CHAR,
        expat_errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
)

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def looks_like_xml(data: bytes) -> bool:
    """True if the content starts like an XML document (after a BOM and blanks)."""
    if data.startswith(_UTF16_BOMS):  # UTF-16: expat reads it, a CSV reader would not
        return True
    return data.removeprefix(UTF8_BOM).lstrip().startswith(b"<")


def trim_leading_blanks(data: bytes) -> bytes:
    """Drop a UTF-8 BOM and blank lines that exports put before the XML declaration."""
    if data.startswith(_UTF16_BOMS):
        return data
    return data.removeprefix(UTF8_BOM).lstrip()


def _doctype_start(name: str, sysid: str | None, pubid: str | None, internal: bool) -> None:
    if sysid or pubid:
        raise FileRejected("external_entity", f"external DTD {sysid or pubid!r}")
    if not internal:
        raise FileRejected("dtd_forbidden", f"DOCTYPE {name}")
    # An internal subset: let its entity declarations be classified first.


def _doctype_end() -> None:
    raise FileRejected("dtd_forbidden", "internal DTD subset")


def parse_untrusted(data: bytes) -> Element:
    """Parse ``data`` into an element tree or raise ``FileRejected``.

    Codes: ``external_entity``, ``entity_declaration``, ``dtd_forbidden``,
    ``truncated``, ``malformed_xml``.
    """
    parser: Any = DefusedXMLParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    # defusedxml's handlers stay in place for entities; ours refuse the DTD itself.
    parser.parser.StartDoctypeDeclHandler = _doctype_start
    parser.parser.EndDoctypeDeclHandler = _doctype_end
    try:
        parser.feed(data)
        root: Element = parser.close()
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise FileRejected("external_entity", f"entity {exc.name!r}") from None
        raise FileRejected("entity_declaration", f"entity {exc.name!r}") from None
    except ExternalReferenceForbidden:
        raise FileRejected("external_entity", "external reference") from None
    except ParseError as exc:
        code = "truncated" if exc.code in _TRUNCATION else "malformed_xml"
        raise FileRejected(code, str(exc)) from None
    return root
