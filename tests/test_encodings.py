"""Decoding in the one module that touches bytes: UTF-8, BOMs, GBK and kin."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure import ReadError
from govdisclosure._files import decode, read_text

CORPUS = Path(__file__).parent / "corpus"
_TEXT = "平潭综合实验区2021年度政府信息公开工作年度报告（一）主动公开：“三安全一稳定”。\n"
_CHINESE = ("gbk", "gb2312", "gb18030")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", *_CHINESE])
@pytest.mark.parametrize("declared", [None, "utf-8", "gb2312", "gbk", "GB18030", "iso-8859-1"])
def test_html_in_every_encoding_and_declaration(encoding: str, declared: str | None) -> None:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' \
        if declared else ""
    page = f"<html><head>{meta}</head><body><p>{_TEXT}</p></body></html>"
    assert decode(page.encode(encoding)) == page


def test_a_wrong_declaration_does_not_win_over_the_bytes() -> None:
    # UTF-8 bytes under a gb2312 template, and GBK bytes under a utf-8 one.
    page = f'<meta charset="gb2312"><p>{_TEXT}</p>'
    assert decode(page.encode("utf-8")) == page
    page = f'<meta charset="utf-8"><p>{_TEXT}</p>'
    assert decode(page.encode("gbk")) == page


def test_gb18030_only_characters() -> None:
    text = "㐀𠀀龥鿿€" + _TEXT  # outside GBK: only GB18030 encodes them
    assert decode(text.encode("gb18030")) == text


@given(st.text(alphabet=_TEXT + "0123456789 |，。abc\n", min_size=1, max_size=300))
def test_gbk_round_trip(text: str) -> None:
    assert decode(text.encode("gbk")) == text
    assert decode(codecs.BOM_UTF8 + text.encode("utf-8")) == text


def test_undecodable_bytes_give_a_clear_error() -> None:
    data = bytes(range(0x80, 0x100)) * 20
    with pytest.raises(ReadError) as info:
        decode(data, "report.html")
    message = str(info.value)
    assert message.startswith("report.html: cannot decode the bytes")
    assert "UTF-8" in message and "GBK" in message


def test_binary_data_is_refused() -> None:
    with pytest.raises(ReadError, match="NUL bytes"):
        decode(b"PK\x03\x04\x00\x00binary")


def test_gb18030_that_is_not_chinese_is_refused() -> None:
    # Any byte pair decodes as GB18030; bytes that give no real Chinese are refused
    # rather than read as nonsense.
    data = bytes([0xA6, 0xA1, 0xA7, 0xA2]) * 200  # Greek and Cyrillic letters in GBK
    with pytest.raises(ReadError, match="no readable Chinese text"):
        decode(data)


def test_a_declared_gbk_page_is_taken_at_its_word() -> None:
    page = '<meta charset="gbk">' + "丂" * 50  # rare but valid GBK characters
    assert decode(page.encode("gbk")) == page


def test_corpus_page_in_gbk_reads_as_the_original(tmp_path: Path) -> None:
    original = (CORPUS / "pingtan-2021.html").read_text(encoding="utf-8")
    copy = tmp_path / "pingtan-2021-gbk.html"
    copy.write_bytes(original.replace('charset="utf-8"', 'charset="gbk"').encode("gbk"))
    assert read_text(copy) == original.replace('charset="utf-8"', 'charset="gbk"')
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(original.replace('charset="utf-8" ', "").encode("gb18030"))
    assert read_text(undeclared) == original.replace('charset="utf-8" ', "")
