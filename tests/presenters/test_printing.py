"""The print dialog's rules, without Qt (presenters/printing.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.presenters import printing as presenter
from digcomp_app.services.certificates import CertificateInfo
from digcomp_app.services.printing import PrintResult, Skipped


@pytest.fixture(autouse=True)
def english():
    set_language("en")


def cert(serial: str, status: str = "issued", mobility: str = "M-1") -> CertificateInfo:
    when = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    return CertificateInfo(
        serial, 1, 1, f"Holder {serial}", mobility, when, "Ilze", status, None, "", "", "",
        {}, when.date(),
    )  # fmt: skip


def test_the_presenters_load_no_qt():
    code = (
        "import sys, digcomp_app.presenters.validation, digcomp_app.presenters.printing;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_language_choices_and_their_accessible_names():
    with_both = presenter.language_choices(True)
    assert with_both[-1] == (("lv", "en"), "Both in &one document (Latvian, then English)")
    assert ("both" not in str(presenter.language_choices(False))) and len(with_both) == len(
        presenter.language_choices(False)
    ) + 1
    assert (("lv",), "&Latvian") in with_both
    assert presenter.plain("Save into the &folder:") == "Save into the folder"
    assert presenter.plain("Tom && Jerry…") == "Tom & Jerry"


def test_mobilities_offered_are_those_with_certificates_in_force():
    register = [cert("B", mobility="M-2"), cert("A"), cert("C", "revoked"), cert("D", mobility="")]
    choices = presenter.mobility_choices(register, {"M-1": "Munich"})
    assert [(c.code, c.title, c.serials) for c in choices] == [
        ("M-1", "Munich", ("A",)),
        ("M-2", "", ("B",)),
    ]
    assert choices[0].label == "M-1 — Munich (1 certificate)"


def test_what_the_dialog_says_of_the_chosen_certificates():
    assert presenter.chosen_note([]) == "No certificate is chosen in the register."
    assert presenter.chosen_note([cert("A", "revoked")]).startswith(
        "The chosen certificate is revoked"
    )
    assert presenter.chosen_note([cert("A"), cert("B", "revoked")]) == (
        "1 of them is revoked and is not printed: B."
    )
    four = [cert(s) for s in "ABCD"]
    assert presenter.chosen_note(four) == "Holder A (A), Holder B (B), Holder C (C) …"
    assert presenter.chosen_text(four) == "The &chosen certificates (4)"


def test_where_the_dialog_starts_and_when_it_can_print():
    choices = presenter.mobility_choices([cert("A")], {})
    assert presenter.starts_with_chosen([cert("A")], "", choices) is True
    assert presenter.starts_with_chosen([cert("A")], "M-1", choices) is False
    assert presenter.starts_with_chosen([cert("A", "revoked")], "", choices) is False
    assert presenter.starts_with_chosen([], "", []) is None
    assert presenter.initial_mobility([cert("A", mobility="M-9")], "") == "M-9"
    assert presenter.initial_mobility([cert("A")], "M-3") == "M-3"
    assert not presenter.can_print(True, [cert("A", "revoked")], choices)
    assert presenter.can_print(False, [], choices)
    assert not presenter.can_print(False, [cert("A")], [])


def test_the_request_of_an_accepted_dialog(tmp_path):
    chosen = [cert("A"), cert("B", "revoked")]
    request = presenter.print_request(f" {tmp_path} ", None, chosen, ["lv", "en"], True)
    assert request == presenter.PrintRequest(("A",), ("lv", "en"), tmp_path, "", True)
    mobility = presenter.MobilityChoice("M-1", "Munich", ("A", "C"))
    request = presenter.print_request(str(tmp_path), mobility, chosen, ["en"], False)
    assert (request.serials, request.mobility_code) == (("A", "C"), "M-1")
    assert presenter.folder_of("~/x") == Path.home() / "x"


def test_a_request_is_refused_without_a_folder_or_anything_to_print(tmp_path):
    with pytest.raises(presenter.Refused, match="Choose the folder") as refused:
        presenter.print_request("  ", None, [cert("A")], ["lv"], False)
    assert refused.value.field == "folder"
    with pytest.raises(presenter.Refused, match="nothing to print") as refused:
        presenter.print_request(str(tmp_path), None, [cert("A", "revoked")], ["lv"], False)
    assert refused.value.field == "scope"


def test_what_a_print_job_wrote_in_words(tmp_path):
    files = (tmp_path / "a.pdf", tmp_path / "b.pdf")
    done = PrintResult(files, tmp_path / "all.pdf", False, (Skipped("C", "revoked"),))
    text, details = presenter.print_outcome(done, 3, tmp_path)
    assert text.startswith(f"2 attestations saved as PDF into {tmp_path}.")
    assert "All in one file for printing: all.pdf" in text
    assert text.endswith("1 certificate was not printed (see the details).")
    assert details.splitlines() == ["a.pdf", "b.pdf", "all.pdf", "Not printed: revoked"]
    cancelled = PrintResult(files[:1], None, True, ())
    text, details = presenter.print_outcome(cancelled, 3, tmp_path)
    assert text.startswith("Printing was cancelled: 1 of 3 attestations were written")
    assert details == "a.pdf"
