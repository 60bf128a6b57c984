"""The strict plain-YAML reader on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digcomp_app.framework import plainyaml
from digcomp_app.framework.plainyaml import PlainYamlError

P = Path("test.yaml")


def test_plain_data_reads_like_yaml_12_core():
    data = plainyaml.loads(
        "a: 1\nb: 1.5\nc: true\nd: no\ne: ~\nf: '3.0'\ng: 2025-11-24\nh: [x, {y: z}]\n", P
    )
    assert data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": "no",
        "e": None,
        "f": "3.0",
        "g": "2025-11-24",
        "h": ["x", {"y": "z"}],
    }


def test_it_gives_the_same_data_as_pyyaml_for_our_files():
    from digcomp_app.resources import frameworks_dir

    for path in sorted(frameworks_dir().glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert plainyaml.loads(text, path) == yaml.load(text, Loader=yaml.CSafeLoader), path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: &x 1\nb: *x\n", 1, "aliases"),
        ("a: !!str 1\n", 1, "'!!str'"),
        ("a: !!binary aGk=\n", 1, "'!!binary'"),
        ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "'c' appears twice"),
        ("? [a, b]\n: 1\n", 1, "plain value"),
        ("a: [1, 2\n", 2, "not valid YAML"),
    ],
)
def test_refuses_what_is_not_plain_data(text, line, words):
    with pytest.raises(PlainYamlError) as raised:
        plainyaml.loads(text, P)
    assert raised.value.line == line
    assert words in raised.value.message


def test_merge_keys_are_refused():
    with pytest.raises(PlainYamlError) as raised:
        plainyaml.loads("base: &b {x: 1}\nother:\n  <<: *b\n", P)
    assert "aliases" in raised.value.message or "merge" in raised.value.message


def test_locate_finds_lines_of_nested_keys():
    text = "a:\n  - id: x\n  - id: y\n    name: z\n"
    assert plainyaml.locate(text, P, [("a", 1, "name"), ("a", 0), ("missing",)]) == [4, 2, 1]


def test_a_number_too_long_to_convert_is_a_plain_yaml_error_with_its_line():
    with pytest.raises(PlainYamlError) as raised:
        plainyaml.loads("a: 1\nb: " + "9" * 5000 + "\n", P)
    assert raised.value.line == 2
    assert "the number on line 2 is too long" in raised.value.message
    # where such a file is located (for other problems), the long key is no one's
    assert plainyaml.locate("? " + "1" * 5000 + "\n: x\n", P, [(1,)]) == [1]
