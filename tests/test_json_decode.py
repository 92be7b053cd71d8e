"""The JSON reader's strict decoding without per-value hooks (formats/json.py).

The first parse has no hook on the way of a usual document; what it cannot
see (a repeated key, an integer over the bound) is found by counting keys and
by the converter's bounds. These tests put each refused thing in each place the
shortcut could miss it: objects with only numbers (which the key count reads
by their length), strings holding colons or ``":`` (which change the counts of
the text), whitespace before colons, arrays.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure as gd
from editions import body
from govdisclosure.errors import ReadError
from govdisclosure.formats.json import _count_keys, _plain, decode
from govdisclosure.model import Edition
from govdisclosure.testing.samples import sample_report


def document(edition: Edition = "2021") -> dict[str, Any]:
    report = gd.loads(gd.dumps(sample_report(3, edition)))
    data: dict[str, Any] = json.loads(gd.dumps(report))
    data["provenance"] = {"applications/received/natural_person": {"line": 12},
                          "applications/received/total": {"line": 12, "printed": "一"}}
    data["read_findings"] = [{"rule": "read-unplaced-text", "severity": "info",
                              "status": "failed", "message": "x", "message_en": "x",
                              "line": 3}]
    return data


def read_error(text: str) -> ReadError:
    with pytest.raises(ReadError) as caught:
        gd.loads(text, "json")
    return caught.value


def repeated_paths(text: str) -> list[str | None]:
    error = read_error(text)
    assert "more than once" in str(error)
    return [p.path for p in error.problems]


def test_the_sample_document_reads() -> None:
    text = json.dumps(document(), ensure_ascii=False, indent=2)
    assert gd.loads(text, "json").provenance


def test_the_key_count_counts_every_object_and_only_objects() -> None:
    data = json.loads('{"a": {"b": 1, "c": [{"d": null}, [], {"e": {"f": "g:h"}}]}, "i": []}')
    assert _count_keys(data) == 7  # a b c d e f i
    assert _count_keys([]) == 0
    assert _count_keys(json.loads('[{"a": 1}, {"b": 2, "c": 3}]')) == 3


# Each place: a key to repeat, found by its first occurrence in the document
# written with indent=2; the path the error must name.
PLACES = [
    ('"agency":', "$.agency"),
    ('"natural_person":', "$.applications.received.natural_person"),  # a row of numbers
    ('"line": 12', "$.provenance.applications/received/natural_person.line"),
    ('"severity":', "$.read_findings[0].severity"),  # an object in an array
]


@pytest.mark.parametrize(("key", "path"), PLACES)
@pytest.mark.parametrize("layout", ["indented", "compact", "spaced colons", "colons in prose",
                                    "quote-colon in prose", "spaced colons, colons in prose"])
def test_a_repeated_key_is_refused_wherever_it_is(key: str, path: str, layout: str) -> None:
    data = document()
    if "colons in prose" in layout:
        data["overview"]["body"] = "联系方式:电话:8328117，时间 9:30"
    if layout == "quote-colon in prose":
        data["overview"]["body"] = 'a string that holds ": twice ":'
    text = json.dumps(data, ensure_ascii=False, indent=2,
                      separators=(",", ":") if layout == "compact" else None)
    if layout == "compact":
        key = key.replace(": ", ":")
    if layout.startswith("spaced colons"):
        text = text.replace('": ', '" : ')
        key = key.replace('":', '" :')
    assert key in text
    name = key[:key.index(":")]
    doubled = text.replace(key, f"{name}: 0, {key}", 1)
    assert repeated_paths(doubled) == [path]


def test_a_repeated_key_spaced_from_its_colon_is_refused_beside_colons_in_prose() -> None:
    # The colons of the text outnumber its keys (prose), and the repeated key
    # does not end in '":': counted by '":' alone, the keys would match.
    data = document()
    data["overview"]["body"] = "地址:市政府大楼"
    text = json.dumps(data, ensure_ascii=False)
    doubled = text.replace('"agency": ', '"agency" : "x", "agency": ', 1)
    assert repeated_paths(doubled) == ["$.agency"]


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\r\n", " \n  "])
def test_a_repeated_key_is_refused_whatever_whitespace_precedes_its_colon(space: str) -> None:
    # Prose colons after other characters are taken off the text's colons; a
    # key's colon after any JSON whitespace must stay counted.
    data = document()
    data["overview"]["body"] = "地址:市政府大楼 电话:8328117"
    text = json.dumps(data, ensure_ascii=False)
    doubled = text.replace('"agency": ', f'"agency"{space}: "x", "agency": ', 1)
    assert repeated_paths(doubled) == ["$.agency"]


@pytest.mark.parametrize("prose", ["a : b", 'x": y', "a \\u003a b", "\t:", "a:b"])
def test_colons_in_prose_anywhere_leave_a_valid_document_readable(prose: str) -> None:
    # A colon in a string after a space or a quote is counted as a key's: a
    # false alarm, which the exact parse then clears.
    data = document()
    data["problems"]["body"] = prose
    text = json.dumps(data, ensure_ascii=False)
    assert body(gd.loads(text, "json").problems) == prose
    doubled = text.replace('"agency": ', '"agency": "x", "agency": ', 1)
    assert repeated_paths(doubled) == ["$.agency"]


def test_prose_with_more_colons_than_are_looked_for_reads_and_refuses_repeats() -> None:
    # Past the bound the colons in strings are not looked for one by one: the
    # exact parse decides.
    data = document()
    data["problems"]["body"] = "时间:" * 10_001
    text = json.dumps(data, ensure_ascii=False)
    assert not _plain(text, json.loads(text))
    assert body(gd.loads(text, "json").problems) == data["problems"]["body"]
    data["problems"]["body"] = "时间:" * 10_000
    within = json.dumps(data, ensure_ascii=False)
    assert _plain(within, json.loads(within))
    doubled = text.replace('"agency": ', '"agency": "x", "agency": ', 1)
    assert repeated_paths(doubled) == ["$.agency"]


def test_a_key_repeated_with_the_same_value_is_refused() -> None:
    text = json.dumps(document(), ensure_ascii=False)
    doubled = text.replace('"total": ', '"total": 1, "total": ', 1)
    assert "more than once" in str(read_error(doubled))


@given(st.data())
def test_any_repeated_key_is_refused(data: st.DataObject) -> None:
    # One key of the document, chosen at random, repeated in its own object,
    # in a text with colons in its prose and some keys spaced from their colon.
    doc = document()
    doc["problems"]["body"] = data.draw(st.sampled_from(
        ["", "一:二", 'x":y', "::", "a :b", "\t:"]))
    text = json.dumps(doc, ensure_ascii=False)
    keys = [m.start() for m in re.finditer(r'"[^"\\]*": ', text)]
    at = data.draw(st.sampled_from(keys))
    end = text.index('": ', at) + 1
    name = text[at:end]
    spaced = data.draw(st.booleans())
    doubled = text[:at] + f"{name}{' ' if spaced else ''}: null, " + text[at:]
    with pytest.raises(ReadError, match="more than once"):
        gd.loads(doubled, "json")


@pytest.mark.parametrize(("where", "path"), [
    (lambda d, v: d.update(year=v), "$.year"),
    (lambda d, v: d["provenance"]["applications/received/natural_person"].update(line=v),
     "$.provenance.applications/received/natural_person.line"),
    (lambda d, v: d["provenance"]["applications/received/total"].update(line=v),
     "$.provenance.applications/received/total.line"),
    (lambda d, v: d["read_findings"][0].update(line=v), "$.read_findings[0].line"),
    (lambda d, v: d["read_findings"][0].update(expected=v), "$.read_findings[0].expected"),
    (lambda d, v: d["active"]["art20_8"]["fees"].update(amount=v),
     "$.active.art20_8.fees.amount"),
    (lambda d, v: d["provenance"]["applications/received/total"].update(x=v),
     "$.provenance.applications/received/total.x"),
])
@pytest.mark.parametrize("digits", [31, 200, 4300])
def test_an_integer_over_the_bound_is_refused_where_it_is(where: Any, path: str,
                                                          digits: int) -> None:
    data = document()
    where(data, int("7" * digits))
    error = read_error(json.dumps(data))
    assert [p.path for p in error.problems] == [path]
    assert f"an integer of {digits:,} digits" in str(error)
    assert len(str(error)) < 500  # the number is not printed back
    where(data, int("7" * 30) if path != "$.year" else 2021)
    if "amount" in path:
        return  # 30 digits is within what an integer reads as, not an amount's bound
    gd.loads(json.dumps(data))  # 30 digits is within the bound


def test_a_count_over_the_bound_is_refused_with_its_row() -> None:
    data = document()
    data["applications"]["received"]["natural_person"] = int("7" * 31)
    error = read_error(json.dumps(data))
    assert "natural_person" in str(error) and "more than 15 digits" in str(error)


def test_the_version_and_edition_are_not_printed_back_whole() -> None:
    data = document()
    data["version"] = int("9" * 4000)
    error = read_error(json.dumps(data))
    assert error.problems[0].path == "$.version"
    assert "4,000 digits" in str(error) and len(str(error)) < 300


def test_constants_and_huge_integers_stop_the_first_parse_and_are_named() -> None:
    text = json.dumps(document()).replace('"year": 20', '"year": NaN, "x": 20', 1)
    assert read_error(text).problems[0].path == "$.year"
    huge = json.dumps(document()).replace('"year": 20', f'"year": {"9" * 5000}20', 1)
    assert [p.path for p in read_error(huge).problems] == ["$.year"]


def test_decode_returns_what_json_loads_returns() -> None:
    text = json.dumps(document(), ensure_ascii=False, indent=1)
    assert decode(text) == json.loads(text)
    spaced = text.replace('": ', '"  :  ')
    assert decode(spaced) == json.loads(spaced)
