"""The parsed copy of a cached day: the same papers as parsing the day's JSON, used only
while it matches that file, and never trusted beyond what `parsing.clean` allows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from api_shapes import all_shapes

from parsing.synthetic import generate, render_hf_json
from tui.core.day_cache import DayCache
from tui.core.parsed_days import COLUMNS, read_parsed, source_stamp

DAY = date(2025, 9, 8)
FETCHED = datetime(2025, 9, 9, 1, 0, tzinfo=UTC)


def parsed_afresh(cache: DayCache) -> list:
    """The day parsed from its JSON, the copy set aside."""
    cache.parsed_path(DAY).unlink(missing_ok=True)
    return list(cache.papers(DAY))


def test_the_copy_gives_every_field_of_every_paper_back(tmp_path):
    cache = DayCache(tmp_path)
    items = json.loads(render_hf_json(generate(40, seed=2), DAY)) + all_shapes()
    cache.write(DAY, items, FETCHED)
    assert cache.parsed_path(DAY).is_file()  # written with the day
    from_copy = read_parsed(cache.parsed_path(DAY), source_stamp(cache.path(DAY)))
    parsed = parsed_afresh(cache)
    assert from_copy is not None and len(from_copy) == len(items)
    for copied, paper in zip(from_copy, parsed, strict=True):
        assert [getattr(copied, name) for name in COLUMNS] == [
            getattr(paper, name) for name in COLUMNS
        ]
    assert list(cache.papers(DAY)) == parsed


def test_a_copy_of_another_version_of_the_day_is_not_used(tmp_path):
    cache = DayCache(tmp_path)
    cache.write(DAY, json.loads(render_hf_json(generate(3, seed=1), DAY)), FETCHED)
    copy = cache.parsed_path(DAY).read_bytes()
    cache.write(DAY, json.loads(render_hf_json(generate(5, seed=9), DAY)), FETCHED)
    cache.parsed_path(DAY).write_bytes(copy)  # the copy of the first version
    assert len(list(cache.papers(DAY))) == 5
    assert len(read_parsed(cache.parsed_path(DAY), source_stamp(cache.path(DAY))) or []) == 5


def test_a_damaged_copy_is_parsed_again_and_written_anew(tmp_path):
    cache = DayCache(tmp_path)
    cache.write(DAY, json.loads(render_hf_json(generate(4, seed=1), DAY)), FETCHED)
    expected = list(cache.papers(DAY))
    for damage in (b"{", b'{"format": 1}', b"[]", b"\xff\xfe"):
        cache.parsed_path(DAY).write_bytes(damage)
        assert list(cache.papers(DAY)) == expected
        assert read_parsed(cache.parsed_path(DAY), source_stamp(cache.path(DAY))) == expected


def test_text_a_copy_should_not_hold_is_cleaned(tmp_path):
    """A copy edited to hold an escape sequence gives clean papers: as a JSON escape, made
    through `Paper`; raw, refused (JSON allows no control character in a string)."""
    cache = DayCache(tmp_path)
    cache.write(DAY, json.loads(render_hf_json(generate(2, seed=1), DAY)), FETCHED)
    path = cache.parsed_path(DAY)
    original = path.read_text(encoding="utf-8")
    title = json.loads(original)["papers"][0][0]
    source = source_stamp(cache.path(DAY))

    path.write_text(original.replace(title, title + "\\u001b[2J", 1), encoding="utf-8")
    papers = read_parsed(path, source)
    assert papers is not None and papers[0].title == title + "[2J"

    path.write_text(original.replace(title, title + "\x1b]52;c;eA==\x07", 1), encoding="utf-8")
    assert read_parsed(path, source) is None
    assert next(iter(cache.papers(DAY))).title == title
