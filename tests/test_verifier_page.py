"""The self-contained verification page (``keys export --html``), checked in a real browser.

Headless Chromium (Debian's ``chromium``) opens the page as a phone would, with the code in
the URL fragment, and the verdict is read from its DOM once the page has finished. One
browser serves the module through its DevTools pipe: each opening is a new document, with
the reader's language (``navigator.language``) set for it. The codes are made here by
a small encoder written from docs/attestation-format.md (CBOR + zlib + base45, Ed25519), so
these tests check the page against the contract, not against the app's own payload code.

Without chromium the tests are skipped, unless ``DIGCOMP_REQUIRE_BROWSER=1`` (CI) makes
them fail instead.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import select
import shutil
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digcomp_app.documents.revocations import sign_revocation_list
from digcomp_app.documents.verifier_page import render_verifier_page
from tests.conftest import ROOT

cbor2 = pytest.importorskip("cbor2")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("DIGCOMP_REQUIRE_BROWSER") == "1"
if CHROMIUM is None:
    if REQUIRED:
        pytest.fail("chromium is not installed (DIGCOMP_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(
        "chromium is not installed (apt-get install chromium); set DIGCOMP_REQUIRE_BROWSER=1 "
        "to make this a failure",
        allow_module_level=True,
    )

SCHOOL = "Daugavkrastu tehnikums"
ADDRESS = "https://www.daugavkrasts.lv/apliecinajumi/"
CONTEXT = b"digcomp-app attestation v2\x00"
B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
SERIAL_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXZ"
EPOCH = dt.date(2000, 1, 1)
ISSUED = dt.date(2026, 11, 20)


# --- an independent encoder, from the contract ---------------------------------------------


def key_id(private: Ed25519PrivateKey) -> bytes:
    return hashlib.sha256(private.public_key().public_bytes_raw()).digest()[:8]


def base45(data: bytes) -> str:
    out = []
    for i in range(0, len(data), 2):
        if i + 1 < len(data):
            n = data[i] * 256 + data[i + 1]
            n, c0 = divmod(n, 45)
            c2, c1 = divmod(n, 45)
            out += [B45[c0], B45[c1], B45[c2]]
        else:
            c1, c0 = divmod(data[i], 45)
            out += [B45[c0], B45[c1]]
    return "".join(out)


def luhn_serial() -> str:
    """DC- + 15 random symbols and a Luhn mod 27 check symbol, in groups of four (section 5)."""
    n = len(SERIAL_ALPHABET)
    body = [secrets.randbelow(n) for _ in range(15)]
    factor, total = 2, 0
    for code_point in reversed(body):
        addend = factor * code_point
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    check = (n - total % n) % n
    symbols = "".join(SERIAL_ALPHABET[c] for c in [*body, check])
    return "DC-" + "-".join(symbols[i : i + 4] for i in range(0, 16, 4))


def content(changes: dict | None = None) -> dict:
    fields = {
        1: 2,
        2: luhn_serial(),
        3: (ISSUED - EPOCH).days,
        4: "Anna Bērziņa",
        5: "2007-03-14",
        6: SCHOOL,
        7: ADDRESS,
        8: "digcomp",
        9: "3.0",
        10: [["1.1", 4], ["2.1", 3], ["5.2", 5]],
        11: "2026-1-LV01-KA122-VET-000123456",
    }
    fields.update(changes or {})
    return {key: value for key, value in fields.items() if value is not None}


def encode(private: Ed25519PrivateKey, fields: dict, *, signed_as: bytes | None = None) -> str:
    """``DC2:`` + base45(zlib(CBOR [key id, content, signature])); ``signed_as`` signs other
    content bytes than the ones carried (a forgery)."""
    body = cbor2.dumps(fields, canonical=True)
    signature = private.sign(CONTEXT + (signed_as if signed_as is not None else body))
    envelope = cbor2.dumps([key_id(private), body, signature])
    return "DC2:" + base45(zlib.compress(envelope, 9))


def url_fragment(code: str) -> str:
    """The code as it follows ``#`` in a URL: space and "%" percent-escaped."""
    return code.replace("%", "%25").replace(" ", "%20")


# --- the browser ---------------------------------------------------------------------------


class Dom(HTMLParser):
    """Attributes and text of every element with an id in a dumped DOM."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.attrs: dict[str, dict[str, str]] = {}
        self.texts: dict[str, list[str]] = {}
        self.all_attrs: list[dict[str, str]] = []
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        found = {name: value or "" for name, value in attrs}
        self.all_attrs.append(found)
        if tag in {"meta", "br", "img", "input", "link"}:
            if "id" in found:
                self.attrs[found["id"]] = found
            return
        self._open.append(found.get("id"))
        if found.get("id"):
            self.attrs[found["id"]] = found
            self.texts[found["id"]] = []

    def handle_endtag(self, tag):
        if self._open and tag not in {"meta", "br", "img", "input", "link"}:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            if element:
                self.texts[element].append(data)

    def text(self, element: str) -> str:
        return " ".join("".join(self.texts.get(element, [])).split())

    def verdict(self) -> str:
        return self.attrs["result"]["data-verdict"]


class Browser:
    """One headless Chromium for the module, driven through its DevTools pipe: each page is
    opened as a new document in a tab of its own language, and read once it has finished."""

    WAIT = 30.0  # seconds a page may take to finish its check

    def __init__(self, profile: Path) -> None:
        to_browser, self._to_browser = os.pipe()
        self._from_browser, from_browser = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4; numbers above 9 first so
        # the redirections cannot close one another
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser, from_browser)]
        os.close(to_browser)
        os.close(from_browser)
        self.log = profile.with_suffix(".log")
        command = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--accept-lang=en",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", f'exec "$@" 3<&{high[0]} 4>&{high[1]}', "bash", *command],
                pass_fds=high,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        for fd in high:
            os.close(fd)
        self._received = b""
        self._events: list[dict] = []
        self._last_id = 0
        self.user_agent = self.send("Browser.getVersion")["userAgent"]
        self._context = self.send("Target.createBrowserContext")["browserContextId"]
        self._tab: tuple[str, str] | None = None  # target id, session id

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._received:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"chromium did not answer: {self._log_tail()}")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise AssertionError(f"chromium ended: {self._log_tail()}")
            self._received += chunk
        message, self._received = self._received.split(b"\0", 1)
        return json.loads(message)

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def send(self, method: str, tab: str | None = None, **params) -> dict:
        self._last_id += 1
        message: dict = {"id": self._last_id, "method": method, "params": params}
        if tab:
            message["sessionId"] = tab
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 2 * self.WAIT  # an answer may wait for a page's check
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._last_id:
                assert "error" not in answer, (method, answer["error"])
                return answer["result"]
            self._events.append(answer)

    def _navigate(self, tab: str, url: str) -> None:
        self._events.clear()
        self.send("Page.navigate", tab, url=url)
        deadline = time.monotonic() + self.WAIT
        while not any(
            event.get("method") == "Page.loadEventFired" and event.get("sessionId") == tab
            for event in self._events
        ):
            self._events.append(self._message(deadline))

    def _new_tab(self) -> tuple[str, str]:
        target = self.send(
            "Target.createTarget", url="about:blank", browserContextId=self._context
        )["targetId"]
        tab = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", tab)
        return target, tab

    def open(self, url: str, until: str, lang: str = "en", tab: str | None = None) -> str:
        """Opens ``url`` as a new document in a browser set to ``lang`` and waits until the
        JavaScript condition ``until`` holds (or WAIT seconds pass); the tab's session id."""
        if tab is None:
            if self._tab is None:
                self._tab = self._new_tab()
            tab = self._tab[1]
        try:
            self.send(
                "Emulation.setUserAgentOverride",
                tab,
                userAgent=self.user_agent,
                acceptLanguage=lang,
            )
            # through a blank page: a new code in the fragment is a new document, not a jump
            self._navigate(tab, "about:blank")
            self._navigate(tab, url)
            self.send(
                "Runtime.evaluate",
                tab,
                expression=(
                    f"new Promise((done) => {{ const end = Date.now() + {self.WAIT * 1000:.0f};"
                    f" (function poll() {{ if (({until}) || Date.now() > end) done();"
                    " else setTimeout(poll, 10); })(); })"
                ),
                awaitPromise=True,
            )
        except BaseException:
            if self._tab and self._tab[1] == tab:
                self._tab = None  # a tab that failed is not used again
            raise
        return tab

    def dom(self, tab: str) -> str:
        return self.send(
            "Runtime.evaluate",
            tab,
            expression="document.documentElement.outerHTML",
            returnByValue=True,
        )["result"]["value"]

    def dump_dom(self, url: str, until: str, lang: str = "en") -> str:
        return self.dom(self.open(url, until, lang))

    def screenshot(self, url: str, until: str, target: Path, width: int, height: int) -> None:
        window, tab = self._new_tab()
        try:
            self.send(
                "Emulation.setDeviceMetricsOverride",
                tab,
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            self.open(url, until, tab=tab)
            data = self.send("Page.captureScreenshot", tab, format="png")["data"]
            target.write_bytes(base64.b64decode(data))
        finally:
            self.send("Target.closeTarget", targetId=window)

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=self.WAIT)
        except (AssertionError, TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)


DONE = "document.getElementById('result')?.getAttribute('data-done') === '1'"


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Browser]:
    started = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield started
    started.close()


def open_page(browser: Browser, page: Path, code: str | None = None, lang: str = "en") -> Dom:
    url = page.as_uri() + ("#" + url_fragment(code) if code else "")
    dom = Dom(browser.dump_dom(url, DONE, lang=lang))
    assert dom.attrs["result"].get("data-done") == "1", "the page did not finish checking"
    return dom


@pytest.fixture(scope="module")
def signer() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def retired() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def write_page(folder: Path, keys, revocations: str | None = None, name="page.html") -> Path:
    html = render_verifier_page(
        SCHOOL,
        ADDRESS,
        [(key_id(k).hex(), k.public_key().public_bytes_raw()) for k in keys],
        revocations,
        dt.date(2026, 12, 4),
    )
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory, signer, retired) -> Path:
    return write_page(tmp_path_factory.mktemp("page"), [retired, signer])


# --- the tests -----------------------------------------------------------------------------


def test_the_page_is_self_contained(page):
    html = page.read_text(encoding="utf-8")
    assert (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:" in html.replace("&#x27;", "'")
    )
    assert 'name="viewport"' in html
    for outside in ("src=", "href=", "@import", "url(", "fetch(", "XMLHttpRequest", "//fonts"):
        assert outside not in html, outside


def test_a_genuine_attestation_is_valid_with_its_content(browser, page, signer):
    fields = content()
    dom = open_page(browser, page, encode(signer, fields))
    assert dom.verdict() == "valid"
    assert dom.text("verdict-text") == "VALID"
    shown = dom.text("content")
    for expected in (
        "Anna Bērziņa",
        "14 March 2007",
        SCHOOL,
        "20 November 2026",
        fields[2],
        "DigComp 3.0",
        "2026-1-LV01-KA122-VET-000123456",
    ):
        assert expected in shown
    levels = [
        (a["data-competence"], a["data-level"]) for a in dom.all_attrs if "data-competence" in a
    ]
    assert levels == [("1.1", "4"), ("2.1", "3"), ("5.2", "5")]
    assert "Compare this with the paper: every line must match." in dom.text("compare")
    assert SCHOOL in dom.text("keys-line") and ADDRESS in dom.text("keys-line")
    assert dom.attrs["revocation-line"]["data-state"] == "none"
    assert "revocation could not be checked" in dom.text("revocation-line")
    # opened from a file: the address could not be compared, the signed one is shown
    assert dom.attrs["address-line"]["data-state"] == "not-checked"


def test_without_a_date_of_birth_and_mobility_nothing_is_invented(browser, page, signer):
    dom = open_page(browser, page, encode(signer, content({5: None, 11: ""})))
    assert dom.verdict() == "valid"
    assert "birth" not in dom.texts and "Date of birth" not in dom.text("content")
    assert "Mobility" not in dom.text("content")


def test_a_code_signed_by_a_retired_key_of_the_school_is_valid(browser, page, retired):
    assert open_page(browser, page, encode(retired, content())).verdict() == "valid"


def test_every_single_character_change_is_refused(browser, page, signer, tmp_path):
    """Every position of the base45 text, each with three other characters, in one page
    load through ``window.verifyCode``: never valid."""
    code = encode(signer, content({4: "Ēriks Ozols", 10: [["1.1", 8]], 11: ""}))
    body = code[4:]
    codes = []
    for position, original in enumerate(body):
        at = B45.index(original)
        for step in (1, 17, 44):
            changed = body[:position] + B45[(at + step) % 45] + body[position + 1 :]
            codes.append("DC2:" + changed)
    verdicts = batch(browser, page, tmp_path, [code, *codes])
    assert verdicts[0] == "valid"
    changed_verdicts = verdicts[1:]
    assert len(changed_verdicts) == 3 * len(body)
    assert "valid" not in changed_verdicts and "revoked" not in changed_verdicts
    assert set(changed_verdicts) <= {"not-valid", "unreadable", "unknown-key"}
    # a change in the key id bytes names a key nobody has
    assert "unknown-key" in changed_verdicts or "unreadable" in changed_verdicts


def batch(
    browser: Browser, page: Path, tmp_path: Path, codes: list[str], addresses=None
) -> list[str]:
    html = page.read_text(encoding="utf-8")
    hook = (
        '<script type="application/json" id="batch">'
        + json.dumps({"codes": codes, "addresses": addresses or [None] * len(codes)}).replace(
            "<", "\\u003c"
        )
        + "</script>\n<script>(async () => {"
        "const job = JSON.parse(document.getElementById('batch').textContent);"
        "const out = [];"
        "for (let i = 0; i < job.codes.length; i++) {"
        " out.push((await window.verifyCode(job.codes[i], job.addresses[i])).verdict); }"
        "const pre = document.createElement('pre'); pre.id = 'batch-results';"
        "pre.textContent = JSON.stringify(out); document.body.append(pre);"
        "})();</script>\n</body>"
    )
    test_page = tmp_path / "batch.html"
    test_page.write_text(html.replace("</body>", hook), encoding="utf-8")
    results = "document.getElementById('batch-results') !== null"
    dom = Dom(browser.dump_dom(test_page.as_uri(), results))
    assert "batch-results" in dom.texts, "the batch did not finish"
    return json.loads(dom.text("batch-results"))


def test_forgeries_and_damage_are_refused(browser, page, signer, tmp_path):
    genuine = content()
    forged = {**genuine, 4: "Mallory Forger", 10: [["1.1", 8], ["2.1", 8]]}
    stranger = Ed25519PrivateKey.generate()
    body = cbor2.dumps(genuine, canonical=True)
    not_canonical = cbor2.dumps(dict(sorted(genuine.items(), reverse=True)))  # keys unsorted
    codes = {
        # another content under the genuine signature (a forged paper with a copied QR)
        "forged": encode(signer, forged, signed_as=body),
        "unknown key": encode(stranger, genuine),
        "not canonical": _raw_code(signer, not_canonical),
        "extra key": encode(signer, {**genuine, 12: "x"}),
        "level 9": encode(signer, {**genuine, 10: [["1.1", 9]]}),
        "version 1 content": encode(signer, {**genuine, 1: 1}),
        "truncated": encode(signer, genuine)[:-3],
        "lower case": encode(signer, genuine).lower(),
        "nothing": "DC2:",
        "old format": "DC1:AEAQCAIBAEAQCAIB",
        "junk": "https://example.org/",
    }
    verdicts = dict(zip(codes, batch(browser, page, tmp_path, list(codes.values())), strict=True))
    assert verdicts == {
        "forged": "not-valid",
        "unknown key": "unknown-key",
        "not canonical": "not-valid",
        "extra key": "not-valid",
        "level 9": "not-valid",
        "version 1 content": "not-valid",
        "truncated": "unreadable",
        "lower case": "unreadable",
        "nothing": "unreadable",
        "old format": "unreadable",
        "junk": "unreadable",
    }


def _raw_code(private: Ed25519PrivateKey, body: bytes) -> str:
    signature = private.sign(CONTEXT + body)
    envelope = cbor2.dumps([key_id(private), body, signature])
    return "DC2:" + base45(zlib.compress(envelope, 9))


def test_nonzero_padding_bits_after_the_deflate_stream_are_refused(browser, page, signer, tmp_path):
    """Inflaters ignore the unused bits of the deflate stream's last byte; the page does not."""
    changed: list[str] = []
    for _ in range(40):  # about one stream in eight ends on a full byte: try another serial
        envelope_code = encode(signer, content())
        raw = bytearray(zlib.compress(zlib.decompress(_b45decode(envelope_code[4:])), 9))
        for bit in range(8):
            probe = bytearray(raw)
            probe[-5] ^= 1 << bit
            try:
                if zlib.decompress(bytes(probe)) == zlib.decompress(bytes(raw)):
                    changed.append("DC2:" + base45(bytes(probe)))
            except zlib.error:
                pass
        if changed:
            break
    assert changed, "no deflate stream with unused bits in 40 tries"
    assert set(batch(browser, page, tmp_path, changed)) == {"unreadable"}


def _b45decode(text: str) -> bytes:
    out = bytearray()
    for i in range(0, len(text), 3):
        digits = [B45.index(c) for c in text[i : i + 3]]
        n = sum(d * 45**k for k, d in enumerate(digits))
        out += n.to_bytes(2 if len(digits) == 3 else 1, "big")
    return bytes(out)


def test_an_unknown_key_is_named(browser, page):
    stranger = Ed25519PrivateKey.generate()
    dom = open_page(browser, page, encode(stranger, content()))
    assert dom.verdict() == "unknown-key"
    assert key_id(stranger).hex() in dom.text("reason")
    assert "Anna" not in dom.text("result")  # nothing unverified is shown


def test_a_revoked_attestation_shows_the_date_and_reason(browser, signer, retired, tmp_path):
    fields = content()
    listed = sign_revocation_list(
        signer,
        SCHOOL,
        ADDRESS,
        dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC),
        [(fields[2].lower().replace("-", ""), dt.date(2026, 11, 28), "the level of 2.1 was wrong")],
    )
    page = write_page(tmp_path, [retired, signer], listed)
    dom = open_page(browser, page, encode(signer, fields))
    assert dom.verdict() == "revoked"
    assert dom.text("verdict-text") == "REVOKED"
    assert "28 November 2026" in dom.text("reason")
    assert "the level of 2.1 was wrong" in dom.text("reason")
    assert "Anna Bērziņa" in dom.text("content")
    assert dom.attrs["revocation-line"]["data-state"] == "checked"
    assert "3 December 2026" in dom.text("revocation-line")
    # another attestation, not on the list: valid, and the page says of when the list is
    other = open_page(browser, page, encode(signer, content()))
    assert other.verdict() == "valid"
    assert other.text("revocation-line") == (
        "Revocation list of 3 December 2026: this attestation is not on it."
    )


def test_a_revocation_list_not_signed_by_the_school_is_ignored_with_a_warning(
    browser, signer, retired, tmp_path
):
    fields = content()
    forger = Ed25519PrivateKey.generate()
    when = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
    entry = [(fields[2], dt.date(2026, 11, 28), "withdrawn by a forger")]
    cases = {
        "another key": sign_revocation_list(forger, SCHOOL, ADDRESS, when, entry),
        "changed": sign_revocation_list(signer, SCHOOL, ADDRESS, when, entry).replace(
            "withdrawn by a forger", "withdrawn by the school"
        ),
    }
    for name, listed in cases.items():
        page = write_page(tmp_path, [retired, signer], listed, name=f"{name}.html")
        dom = open_page(browser, page, encode(signer, fields))
        assert dom.verdict() == "valid", name
        assert dom.attrs["revocation-line"]["data-state"] == "ignored", name
        assert "ignored" in dom.text("revocation-line")


def test_a_code_copied_under_another_address_is_not_valid(browser, page, signer, tmp_path):
    code = encode(signer, content())
    verdicts = batch(
        browser,
        page,
        tmp_path,
        [
            ADDRESS + "#" + url_fragment(code),
            "https://www.daugavkrasts.lv.forger.example/apliecinajumi/#" + url_fragment(code),
            code,
            "DC2:" + code[4:],
            code,
        ],
        [None, None, None, None, "https://forger.example/"],
    )
    assert verdicts == ["valid", "not-valid", "valid", "valid", "not-valid"]


def test_opened_through_the_qr_address_the_address_is_compared(browser, signer, retired, tmp_path):
    """Served over http as the school's website would be: the page's own address is the
    QR's address part, compared with the signed one."""
    folder = tmp_path / "site"
    folder.mkdir()
    write_page(folder, [retired, signer], name="index.html")
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        here = f"http://127.0.0.1:{server.server_port}/"
        genuine = encode(signer, content({7: here}))
        copied = encode(signer, content())  # signed for the school's real address
        dom = Dom(browser.dump_dom(here + "#" + url_fragment(genuine), DONE))
        assert dom.verdict() == "valid"
        assert dom.attrs["address-line"]["data-state"] == "match"
        dom = Dom(browser.dump_dom(here + "#" + url_fragment(copied), DONE))
        assert dom.verdict() == "not-valid" and dom.attrs["result"]["data-reason"] == "address"
        assert ADDRESS in dom.text("reason") and here in dom.text("reason")
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def test_the_reader_s_language_latvian_or_english(browser, page, signer):
    code = encode(signer, content())
    latvian = open_page(browser, page, code, lang="lv")
    assert latvian.attrs["result"]["data-verdict"] == "valid"
    assert latvian.text("verdict-text") == "DERĪGS"
    assert "Salīdziniet ar papīru: katrai rindai jāsakrīt." in latvian.text("compare")
    assert "2026. gada 20. novembris" in latvian.text("content")
    assert "4. līmenis" in latvian.text("content")
    assert "atsaukšanu nevarēja pārbaudīt" in latvian.text("revocation-line")
    english = open_page(browser, page, code, lang="en-GB")
    assert english.text("verdict-text") == "VALID"
    assert "level 4" in english.text("content")
    forged = open_page(browser, page, code[:-6] + "000000", lang="lv-LV")
    assert forged.text("verdict-text") in {"NEDERĪGS", "NENOLASĀMS"}


def test_without_a_code_the_page_says_what_to_do(browser, page):
    dom = open_page(browser, page)
    assert dom.verdict() == "none"
    assert "Scan the QR code" in dom.text("reason")


def test_codes_made_by_the_app_s_own_payload_code(browser, page, signer, tmp_path):
    payload = pytest.importorskip("digcomp_app.documents.payload")
    if not hasattr(payload, "sign_v2"):
        pytest.skip("digcomp_app.documents.payload.sign_v2 does not exist yet")
    signed = payload.sign_v2(
        signer,
        payload.SignedContent(
            serial=payload.new_serial(),
            issued_on=ISSUED,
            holder="Jānis Bērziņš",
            birth_date=None,
            school=SCHOOL,
            address=ADDRESS,
            framework_id="digcomp",
            framework_version="3.0",
            competences=(("1.1", 4), ("2.1", 3)),
            mobility_code="",
        ),
    )
    dom = open_page(browser, page, signed.code())
    assert dom.verdict() == "valid"
    assert "Jānis Bērziņš" in dom.text("content") and signed.content.serial in dom.text("content")
    assert batch(
        browser, page, tmp_path, [signed.code(), signed.code()], [ADDRESS, "https://x.example/"]
    ) == [
        "valid",
        "not-valid",
    ]


SCREENSHOTS = ROOT / "docs"


def test_phone_sized_screenshots_of_a_valid_and_a_forged_attestation(
    browser, page, signer, tmp_path
):
    fields = content({2: "DC-7BKQ-M4XT-9HNC-2PRV"})
    genuine = encode(signer, fields)
    forged = encode(
        signer,
        {**fields, 4: "Mallory Forger"},
        signed_as=cbor2.dumps(fields, canonical=True),
    )
    for name, code in (("valid", genuine), ("forged", forged)):
        target = tmp_path / f"verifier-{name}.png"
        browser.screenshot(page.as_uri() + "#" + url_fragment(code), DONE, target, 390, 844)
        assert target.stat().st_size > 5000
        if os.environ.get("DIGCOMP_WRITE_SCREENSHOTS") == "1":
            shutil.copyfile(target, SCREENSHOTS / f"verifier-{name}.png")
