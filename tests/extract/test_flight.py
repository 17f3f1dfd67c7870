"""The React Flight stream a client-rendered page carries its story in (crawler.extract.flight)."""

from __future__ import annotations

import json

from crawler.extract.flight import flight_html, flight_payload, text_rows


def _page(*chunks: str) -> str:
    # React escapes "<" in the pushed strings, so a chunk never closes its <script>.
    literals = [json.dumps(c).replace("<", "\\u003c") for c in chunks]
    pushed = "".join(f"<script>self.__next_f.push([1,{lit}])</script>" for lit in literals)
    return f"<html><body><main></main>{pushed}</body></html>"


def test_a_text_row_is_cut_by_its_length_in_bytes_not_characters() -> None:
    text = "<p>Irène – “two degrees”</p>"
    payload = f'1:"$Sreact.fragment"\n5:T{len(text.encode()):x},{text}6:["$","p",null,{{}}]\n'
    assert text_rows(payload.encode()) == [text]


def test_the_pushed_chunks_are_joined_before_the_rows_are_read() -> None:
    text = "<div><p>First paragraph of the story.</p><p>Second one.</p></div>"
    html = _page(f"2:T{len(text.encode()):x},", text[:20], text[20:], "3:null\n")
    assert flight_payload(html).endswith(b"3:null\n")
    assert flight_html(html) == text


def test_rows_without_markup_and_pages_without_a_stream_give_nothing() -> None:
    assert flight_html(_page("4:T5,hello")) == ""
    assert flight_html("<html><body><p>Plain page.</p></body></html>") == ""
