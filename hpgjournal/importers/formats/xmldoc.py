"""XML documents, parsed safely: no entity expansion, no DTD, no network (defusedxml).

A file whose text starts with ``<`` is read as XML (:func:`parse_xml`), for the formats of
kind ``xml`` (C-CDA). Element and attribute names are compared by their local part
(:func:`local`): C-CDA documents put everything in ``urn:hl7-org:v3``, fragments cut out of
them often in no namespace at all.

A fragment that uses a prefix it never declares (HL7's own example sections use ``xsi:type``
so) is not namespace-well-formed: it is read again with the missing prefixes declared on its
root, and the reading says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hpgjournal.importers.errors import UnknownFormatError
from hpgjournal.importers.source import SourceFile

__all__ = ["XmlDocument", "attr", "child", "children", "local", "looks_like_xml", "parse_xml",
           "text_of"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
_KNOWN_PREFIXES = {"xsi": XSI, "sdtc": "urn:hl7-org:sdtc"}
_EXPAT_UNBOUND_PREFIX = 27  # xml.parsers.expat.errors.XML_ERROR_UNBOUND_PREFIX
_START = re.compile(r"<(?:[?!]|[A-Za-z_])")
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)
_ROOT_NAME = re.compile(r"<[A-Za-z_][\w.\-]*(?::[\w.\-]+)?")
_PREFIX_USE = re.compile(r"[<\s/]([A-Za-z_][\w.\-]*):[A-Za-z_]")
_DECLARED = re.compile(r"xmlns:([A-Za-z_][\w.\-]*)\s*=")
_ENCODING_DECL = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*(['\"])[^'\"]*\2")


@dataclass
class XmlDocument:
    """A parsed XML file: its root element and what was done to read it."""

    root: Any
    notes: list[str] = field(default_factory=list)

    @property
    def root_name(self) -> str:
        return local(self.root.tag)


def looks_like_xml(text: str, start: int) -> bool:
    """Does the text (from ``start``, past leading white space) start like XML?"""
    return _START.match(text, start) is not None


def local(name: object) -> str:
    """The local part of an element or attribute name (``{urn:hl7-org:v3}value`` -> ``value``)."""
    return name.rpartition("}")[2] if isinstance(name, str) else ""


def children(element: Any, name: str) -> Iterator[Any]:
    """The child elements called ``name`` (by local name)."""
    return (c for c in element if local(c.tag) == name)


def child(element: Any, name: str) -> Any:
    """The first child element called ``name``, or None."""
    return next(children(element, name), None) if element is not None else None


def attr(element: Any, name: str) -> str:
    """An attribute by local name (``type`` finds ``xsi:type``), stripped; "" when absent."""
    if element is None:
        return ""
    found = element.get(name)
    if found is None:
        for key, value in element.attrib.items():
            if local(key) == name:
                found = value
                break
    return " ".join(found.split()) if found else ""


def text_of(element: Any) -> str:
    """The text of an element and its descendants, white space collapsed."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _declare_missing(text: str) -> tuple[str, list[str]]:
    """The text with the prefixes it uses but never declares declared on its root."""
    used = set(_PREFIX_USE.findall(text)) - {"xml", "xmlns"}
    missing = sorted(used - set(_DECLARED.findall(text)))
    if not missing:
        return text, []
    # (type: ignore below: _PROLOG only has optional parts: it matches every text)
    root = _ROOT_NAME.match(text, _PROLOG.match(text).end())  # type: ignore[union-attr]
    if root is None:
        return text, []
    declarations = "".join(f' xmlns:{p}="{_KNOWN_PREFIXES.get(p, "urn:undeclared:" + p)}"'
                           for p in missing)
    return text[:root.end()] + declarations + text[root.end():], missing


def parse_xml(source: SourceFile) -> XmlDocument:
    """Parse a file's text as XML, safely; raise UnknownFormatError naming what is wrong."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    # the text is already decoded: an encoding declaration no longer applies to it
    text = _ENCODING_DECL.sub(r"\1", source.text, count=1)
    notes: list[str] = []
    try:
        try:
            root = fromstring(text, forbid_dtd=True)
        except ParseError as exc:
            if exc.code != _EXPAT_UNBOUND_PREFIX:
                raise
            fixed, missing = _declare_missing(text)
            if not missing:
                raise
            root = fromstring(fixed, forbid_dtd=True)
            listed = ", ".join(f"{p}:" for p in missing)
            notes.append(f"the file uses the prefix {listed} without declaring it (it is not "
                         "namespace-well-formed XML): it was read as the usual one")
    except DefusedXmlException:
        raise UnknownFormatError(source.path, f"{source.name} is an XML document with a DTD or "
                                 "entity declarations, which are not read (they can expand to "
                                 "gigabytes or fetch files): export the document again without "
                                 "them") from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise UnknownFormatError(source.path, f"{source.name} starts like XML but is not "
                                 f"well-formed XML ({reason} on line {line}, column {column + 1}): "
                                 "export it again, or choose the CSV export of your results"
                                 ) from None
    except RecursionError:
        raise UnknownFormatError(source.path, f"{source.name} is XML nested too deeply to read: "
                                 "choose another file") from None
    return XmlDocument(root, notes)
