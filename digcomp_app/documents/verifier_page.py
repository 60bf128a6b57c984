"""The self-contained verification page a school puts on its website (``keys export --html``).

One HTML file with inline CSS and JavaScript and no requests of any kind (its
Content-Security-Policy forbids them). It holds the school's public keys and, when given, a
signed revocation list. Opened from an attestation's QR code (``<address>#DC2:…``: the code
is in the URL fragment, which a browser never sends to the server) or with a code pasted
into it, it checks the code as docs/attestation-format.md says — base45, zlib (the browser's
``DecompressionStream``), strict canonical CBOR, Ed25519 with WebCrypto — and shows, in
Latvian or English, the verdict and the signed content to compare with the paper.

For tests and other pages, ``window.verifyCode(text, openedAt)`` returns a promise of the
result; the shown result carries ``data-verdict`` (valid, not-valid, revoked, unknown-key,
unreadable; none before a code; unsupported when the browser cannot check Ed25519).
Pure: no database.
"""

# The page's JavaScript keeps its user-facing sentences on one line each.
# ruff: noqa: E501

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable
from html import escape

from digcomp_app.documents.payload import key_id_of

CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element (no "<", ">" or "&" left to end it)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_verifier_page(
    school: str,
    address: str,
    keys: Iterable[tuple[str, bytes]],
    revocation_json: str | None,
    exported_on: dt.date,
) -> str:
    """The page for ``school`` at ``address`` with its public ``keys`` ((key id, raw 32
    bytes) each) and optionally a signed revocation list (its JSON text, inlined as is:
    the page checks its signature itself and ignores it, saying so, when it is not
    signed by one of ``keys``)."""
    listed = []
    for key_id, given in keys:
        raw = bytes(given)
        if len(raw) != 32 or key_id_of(raw) != key_id:
            raise ValueError(f"key {key_id} is not a raw Ed25519 public key with that id")
        listed.append({"id": key_id, "public": base64.b64encode(raw).decode("ascii")})
    data = {
        "school": school,
        "address": address,
        "exported": exported_on.isoformat(),
        "keys": listed,
    }
    revocations = ""
    if revocation_json is not None:
        revocations = (
            '<script type="application/json" id="revocations">'
            + _script_json(json.loads(revocation_json))
            + "</script>\n"
        )
    return (
        TEMPLATE.replace("@@CSP@@", escape(CSP))
        .replace(
            "@@TITLE@@", escape(f"{school} — attestation check" if school else "Attestation check")
        )
        .replace("@@DATA@@", _script_json(data))
        .replace("@@REVOCATIONS@@\n", revocations)
        .replace("@@STYLE@@", STYLE)
        .replace("@@SCRIPT@@", SCRIPT)
    )


STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "DejaVu Sans", sans-serif; color: #1a1a1a; background: #f4f5f7; }
.page { max-width: 40rem; margin: 0 auto; padding: 0.75rem 1rem 2rem; }
header { display: flex; align-items: flex-start; gap: 0.75rem; }
header .who { flex: 1; min-width: 0; }
h1 { font-size: 1.2rem; margin: 0.2rem 0 0; }
#school-line { margin: 0.1rem 0 0; color: #333; font-size: 0.95rem; font-weight: 600; }
#address-top { margin: 0; color: #555; font-size: 0.8rem; overflow-wrap: anywhere; }
.switch { display: flex; border: 1px solid #888; border-radius: 0.4rem; overflow: hidden;
  flex: none; }
.switch button { font: inherit; font-size: 0.9rem; padding: 0.3rem 0.7rem; border: 0;
  background: #fff; color: #1a1a1a; cursor: pointer; }
.switch button[aria-pressed="true"] { background: #1a1a1a; color: #fff; font-weight: 700; }
#result { margin-top: 0.9rem; background: #fff; border-radius: 0.6rem; border: 1px solid #d0d4da;
  overflow: hidden; }
#verdict { font-size: 2.1rem; font-weight: 800; letter-spacing: 0.03em; padding: 0.9rem 1rem;
  display: flex; align-items: center; gap: 0.6rem; line-height: 1.1; }
#verdict .icon { font-size: 2.1rem; flex: none; width: 2.6rem; height: 2.6rem; border-radius: 50%;
  display: inline-flex; align-items: center; justify-content: center; color: #fff; }
#reason { margin: 0; padding: 0.2rem 1rem 0.9rem; font-size: 1.02rem; overflow-wrap: anywhere; }
[data-verdict="valid"] #verdict { background: #e3f2e5; color: #1b5e20; }
[data-verdict="valid"] #verdict .icon { background: #1b5e20; }
[data-verdict="valid"] #reason { background: #e3f2e5; }
[data-verdict="not-valid"] #verdict, [data-verdict="revoked"] #verdict { background: #fde8e8;
  color: #b71c1c; }
[data-verdict="not-valid"] #verdict .icon, [data-verdict="revoked"] #verdict .icon {
  background: #b71c1c; }
[data-verdict="not-valid"] #reason, [data-verdict="revoked"] #reason { background: #fde8e8; }
[data-verdict="unknown-key"] #verdict, [data-verdict="unknown-key"] #reason,
[data-verdict="unsupported"] #verdict, [data-verdict="unsupported"] #reason {
  background: #fff4d6; color: #6d4c00; }
[data-verdict="unknown-key"] #verdict .icon, [data-verdict="unsupported"] #verdict .icon {
  background: #9a6b00; }
[data-verdict="unreadable"] #verdict, [data-verdict="unreadable"] #reason { background: #ececec;
  color: #333; }
[data-verdict="unreadable"] #verdict .icon { background: #555; }
[data-verdict="none"] #verdict { font-size: 1.3rem; font-weight: 700; color: #333; }
[data-verdict="none"] #verdict .icon { display: none; }
#content-box { padding: 0.8rem 1rem 0.2rem; border-top: 1px solid #d0d4da; }
#compare { margin: 0 0 0.6rem; font-weight: 700; }
dl { margin: 0; }
dl div { padding: 0.45rem 0; border-top: 1px solid #e6e8eb; }
dt { font-size: 0.85rem; color: #555; text-transform: uppercase; letter-spacing: 0.04em; }
dd { margin: 0.05rem 0 0; font-size: 1.08rem; font-weight: 600; overflow-wrap: anywhere; }
dd.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 600; }
dd ul { margin: 0.1rem 0 0; padding: 0; list-style: none; }
dd li { padding: 0.1rem 0; }
dd li .level { font-weight: 700; white-space: nowrap; }
#checks, #notes { margin: 0; padding: 0.6rem 1rem 0.7rem 2.1rem; border-top: 1px solid #d0d4da;
  font-size: 0.95rem; color: #333; }
#checks li, #notes li { margin: 0.25rem 0; overflow-wrap: anywhere; }
#notes { list-style: none; padding-left: 1rem; }
#notes li.warn { color: #8a4b00; font-weight: 600; }
#notes li.warn::before { content: "⚠ "; }
#manual { margin-top: 1.2rem; }
#manual label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
#code-input { width: 100%; min-height: 4.5rem; font: 0.9rem/1.3 ui-monospace, "DejaVu Sans Mono",
  monospace; padding: 0.5rem; border: 1px solid #888; border-radius: 0.4rem; }
#check { margin-top: 0.5rem; font: inherit; font-weight: 700; padding: 0.55rem 1.4rem;
  border-radius: 0.4rem; border: 0; background: #1a4f8b; color: #fff; cursor: pointer; }
footer { margin-top: 1.4rem; font-size: 0.85rem; color: #555; }
[hidden] { display: none !important; }
"""

SCRIPT = r"""
"use strict";
(function () {
const DATA = JSON.parse(document.getElementById("page-data").textContent);
const CONTEXT = "digcomp-app attestation v2\u0000";
const LIST_CONTEXT = "digcomp-app revocations v1\u0000";
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const MAX_INFLATED = 4096;

const T = {
  en: {
    title: "Attestation check",
    keysOf: "Keys of {school}",
    verdict: { valid: "VALID", "not-valid": "NOT VALID", revoked: "REVOKED",
      "unknown-key": "UNKNOWN KEY", unreadable: "UNREADABLE", unsupported: "CANNOT CHECK",
      none: "Check an attestation" },
    none: "Scan the QR code of an attestation with your phone's camera, or paste the text of the code below.",
    valid: "The signature is genuine: the school's key signed exactly this content.",
    signature: "The signature does not match the content: the code was changed or forged.",
    content: "The signed content is not in the agreed form: this is not a genuine attestation.",
    address: "This code was opened at {opened}, but the school signed it for {signed}: a code copied under another address is not valid.",
    noAddress: "no address",
    unknownKey: "This code was signed with the key {key}, which is not one of the keys of {school} on this page. It may come from another school: check it on that school's own page.",
    unreadable: "This is not a complete attestation code. Scan the QR code again, or paste its whole text.",
    v1: "This is an older attestation code (DC1:). It carries no content, so this page cannot check it: ask the school, or use the school's program.",
    revoked: "The school revoked this attestation on {date}. Reason: {reason}",
    revokedContent: "Content of the revoked attestation:",
    unsupported: "This browser cannot check Ed25519 signatures; use a current browser (a recent Chrome, Edge, Firefox or Safari).",
    insecure: "This page checks signatures only when opened over https:// (or from a file on this device).",
    compare: "Compare this with the paper: every line must match.",
    holder: "Holder", birth: "Date of birth", school: "School", issued: "Issued on",
    serial: "Serial number", framework: "Framework", competences: "Competences and levels",
    mobility: "Mobility", level: "level {level}",
    fingerprint: "Signed with the key {fingerprint} (the attestation prints it at its foot).",
    keys: "Checked with the public keys of {school} ({address}), published on {date}.",
    listNone: "This page has no revocation list: revocation could not be checked.",
    listClear: "Revocation list of {date}: this attestation is not on it.",
    listOn: "Revocation list of {date}: this attestation is on it.",
    listIgnored: "The revocation list on this page is not signed with this school's keys, so it was ignored: revocation could not be checked.",
    addressMatch: "Opened at {address}, the address the school signed.",
    addressSigned: "Verification address signed by the school: {address}",
    manual: "Check another code: paste the text of the QR code",
    check: "Check",
    footer: "This page works offline and sends nothing anywhere: the code after “#” in its address never reaches the website's server."
  },
  lv: {
    title: "Apliecinājuma pārbaude",
    keysOf: "Atslēgas: {school}",
    verdict: { valid: "DERĪGS", "not-valid": "NEDERĪGS", revoked: "ATSAUKTS",
      "unknown-key": "NEZINĀMA ATSLĒGA", unreadable: "NENOLASĀMS", unsupported: "NEVAR PĀRBAUDĪT",
      none: "Apliecinājuma pārbaude" },
    none: "Noskenējiet apliecinājuma QR kodu ar tālruņa kameru vai ielīmējiet koda tekstu zemāk.",
    valid: "Paraksts ir īsts: skolas atslēga parakstīja tieši šo saturu.",
    signature: "Paraksts neatbilst saturam: kods ir mainīts vai viltots.",
    content: "Parakstītais saturs nav noteiktajā formā: tas nav īsts apliecinājums.",
    address: "Kods atvērts adresē {opened}, bet skola to parakstīja adresei {signed}: kods, kas nokopēts zem citas adreses, nav derīgs.",
    noAddress: "bez adreses",
    unknownKey: "Kods parakstīts ar atslēgu {key}, kuras nav starp šīs lapas atslēgām ({school}). Tas var būt citas skolas apliecinājums: pārbaudiet to šīs skolas lapā.",
    unreadable: "Tas nav pilnīgs apliecinājuma kods. Noskenējiet QR kodu vēlreiz vai ielīmējiet visu tā tekstu.",
    v1: "Šis ir vecāka veida apliecinājuma kods (DC1:). Tajā nav satura, tāpēc šī lapa to nevar pārbaudīt: jautājiet skolai vai izmantojiet skolas programmu.",
    revoked: "Skola šo apliecinājumu atsauca {date}. Iemesls: {reason}",
    revokedContent: "Atsauktā apliecinājuma saturs:",
    unsupported: "Šī pārlūkprogramma nevar pārbaudīt Ed25519 parakstus; izmantojiet jaunāku pārlūkprogrammu (jaunu Chrome, Edge, Firefox vai Safari).",
    insecure: "Šī lapa pārbauda parakstus tikai tad, ja tā atvērta caur https:// (vai no faila šajā ierīcē).",
    compare: "Salīdziniet ar papīru: katrai rindai jāsakrīt.",
    holder: "Saņēmējs", birth: "Dzimšanas datums", school: "Izglītības iestāde",
    issued: "Izsniegšanas datums", serial: "Sērijas numurs", framework: "Ietvars",
    competences: "Kompetences un līmeņi", mobility: "Mobilitāte", level: "{level}. līmenis",
    fingerprint: "Parakstīts ar atslēgu {fingerprint} (tā ir uzdrukāta apliecinājuma apakšā).",
    keys: "Pārbaudīts ar publiskajām atslēgām, kas pieder: {school} ({address}); publicētas {date}.",
    listNone: "Šajā lapā nav atsaukumu saraksta: atsaukšanu nevarēja pārbaudīt.",
    listClear: "Atsaukumu saraksts uz {date}: šī apliecinājuma tajā nav.",
    listOn: "Atsaukumu saraksts uz {date}: šis apliecinājums tajā ir.",
    listIgnored: "Šīs lapas atsaukumu saraksts nav parakstīts ar šīs skolas atslēgām, tāpēc tas netika ņemts vērā: atsaukšanu nevarēja pārbaudīt.",
    addressMatch: "Atvērts adresē {address}, ko parakstīja skola.",
    addressSigned: "Skolas parakstītā pārbaudes adrese: {address}",
    manual: "Pārbaudīt citu kodu: ielīmējiet QR koda tekstu",
    check: "Pārbaudīt",
    footer: "Šī lapa darbojas bezsaistē un neko nekur nesūta: kods aiz “#” tās adresē nenonāk līdz tīmekļa vietnes serverim."
  },
  nl: {
    title: "Controle van het attest",
    keysOf: "Sleutels van {school}",
    verdict: { valid: "GELDIG", "not-valid": "ONGELDIG", revoked: "INGETROKKEN",
      "unknown-key": "ONBEKENDE SLEUTEL", unreadable: "ONLEESBAAR", unsupported: "KAN NIET CONTROLEREN",
      none: "Een attest controleren" },
    none: "Scan de QR-code van een attest met de camera van uw telefoon, of plak hieronder de tekst van de code.",
    valid: "De handtekening is echt: de sleutel van de school heeft precies deze inhoud ondertekend.",
    signature: "De handtekening past niet bij de inhoud: de code is gewijzigd of vervalst.",
    content: "De ondertekende inhoud heeft niet de afgesproken vorm: dit is geen echt attest.",
    address: "Deze code is geopend op {opened}, maar de school heeft haar ondertekend voor {signed}: een code die onder een ander adres is gekopieerd, is niet geldig.",
    noAddress: "geen adres",
    unknownKey: "Deze code is ondertekend met de sleutel {key}, die niet een van de sleutels van {school} op deze pagina is. Ze kan van een andere school komen: controleer haar op de eigen pagina van die school.",
    unreadable: "Dit is geen volledige attestcode. Scan de QR-code opnieuw, of plak de hele tekst ervan.",
    v1: "Dit is een oudere attestcode (DC1:). Ze bevat geen inhoud, dus deze pagina kan haar niet controleren: vraag het de school, of gebruik het programma van de school.",
    revoked: "De school heeft dit attest op {date} ingetrokken. Reden: {reason}",
    revokedContent: "Inhoud van het ingetrokken attest:",
    unsupported: "Deze browser kan geen Ed25519-handtekeningen controleren; gebruik een actuele browser (een recente Chrome, Edge, Firefox of Safari).",
    insecure: "Deze pagina controleert handtekeningen alleen wanneer ze via https:// is geopend (of vanuit een bestand op dit apparaat).",
    compare: "Vergelijk dit met het papier: elke regel moet overeenkomen.",
    holder: "Houder", birth: "Geboortedatum", school: "School", issued: "Uitgegeven op",
    serial: "Serienummer", framework: "Referentiekader", competences: "Competenties en niveaus",
    mobility: "Mobiliteit", level: "niveau {level}",
    fingerprint: "Ondertekend met de sleutel {fingerprint} (het attest drukt die onderaan af).",
    keys: "Gecontroleerd met de publieke sleutels van {school} ({address}), gepubliceerd op {date}.",
    listNone: "Deze pagina heeft geen intrekkingslijst: intrekking kon niet worden gecontroleerd.",
    listClear: "Intrekkingslijst van {date}: dit attest staat er niet op.",
    listOn: "Intrekkingslijst van {date}: dit attest staat erop.",
    listIgnored: "De intrekkingslijst op deze pagina is niet ondertekend met de sleutels van deze school en is daarom genegeerd: intrekking kon niet worden gecontroleerd.",
    addressMatch: "Geopend op {address}, het adres dat de school heeft ondertekend.",
    addressSigned: "Door de school ondertekend controleadres: {address}",
    manual: "Een andere code controleren: plak de tekst van de QR-code",
    check: "Controleren",
    footer: "Deze pagina werkt offline en verstuurt niets: de code na “#” in het adres bereikt nooit de server van de website."
  }
};

let lang = (navigator.language || "").toLowerCase().slice(0, 2);
if (!(lang in T)) lang = "en";
let shown = { verdict: "none" };

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}
function t(name, values) { return fill(T[lang][name], values || {}); }
function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children || []) node.append(child);
  return node;
}
function formatDate(date) {
  return new Intl.DateTimeFormat({ lv: "lv-LV", nl: "nl-NL" }[lang] || "en-GB",
    { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}
function isoDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return date.toISOString().slice(0, 10) === text ? date : null;
}
function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""); }
function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function concat(a, b) { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; }
const utf8 = (text) => new TextEncoder().encode(text);

class Refused extends Error {
  constructor(verdict, reason, extra) { super(reason); this.verdict = verdict; this.reason = reason; this.extra = extra || {}; }
}
const unreadable = (why) => new Refused("unreadable", why);

// --- base45 (RFC 9285) ---------------------------------------------------------------------
function base45(text) {
  if (text.length % 3 === 1) throw unreadable("length");
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const digits = [];
    for (const ch of text.slice(i, i + 3)) {
      const d = B45.indexOf(ch);
      if (d < 0) throw unreadable("alphabet");
      digits.push(d);
    }
    if (digits.length === 3) {
      const n = digits[0] + digits[1] * 45 + digits[2] * 2025;
      if (n > 0xffff) throw unreadable("triple");
      out.push(n >> 8, n & 0xff);
    } else {
      const n = digits[0] + digits[1] * 45;
      if (n > 0xff) throw unreadable("pair");
      out.push(n);
    }
  }
  return Uint8Array.from(out);
}

// --- zlib (RFC 1950) with the browser's inflater -------------------------------------------
async function inflate(bytes) {
  const stream = new DecompressionStream("deflate");
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_INFLATED) { reader.cancel().catch(() => {}); throw unreadable("too long"); }
      parts.push(value);
    }
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw unreadable("zlib");
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

// Inflaters ignore the unused bits after the end of the last deflate block; a genuine code
// has them zero. A set bit there that changes nothing is a changed code: refuse it.
async function strictInflate(bytes) {
  const out = await inflate(bytes);
  const last = bytes.length - 5;  // the last byte before the 4-byte Adler-32
  if (last >= 2) {
    for (let bit = 0; bit < 8; bit++) {
      if (!(bytes[last] & (1 << bit))) continue;
      const probe = bytes.slice();
      probe[last] &= ~(1 << bit) & 0xff;
      let same = false;
      try { same = equal(await inflate(probe), out); } catch (error) { same = false; }
      if (same) throw unreadable("padding");
    }
  }
  return out;
}

// --- strict CBOR (RFC 8949), only what the format uses -------------------------------------
class CborMap { constructor(pairs) { this.pairs = pairs; } }
function cborDecode(bytes) {
  let pos = 0;
  const need = (n) => { if (pos + n > bytes.length) throw new Error("short"); };
  function argument(info) {
    if (info < 24) return info;
    const size = { 24: 1, 25: 2, 26: 4 }[info];
    if (!size) throw new Error("argument");
    need(size);
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + bytes[pos++];
    return n;
  }
  function item(depth) {
    if (depth > 4) throw new Error("deep");
    need(1);
    const initial = bytes[pos++];
    const major = initial >> 5;
    const n = argument(initial & 31);
    if (major === 0) return n;
    if (major === 2 || major === 3) {
      need(n);
      const raw = bytes.subarray(pos, pos + n);
      pos += n;
      return major === 2 ? raw.slice() : new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(raw);
    }
    if (major === 4) {
      if (n > 256) throw new Error("array");
      const items = [];
      for (let i = 0; i < n; i++) items.push(item(depth + 1));
      return items;
    }
    if (major === 5) {
      if (n > 64) throw new Error("map");
      const pairs = [];
      for (let i = 0; i < n; i++) { const key = item(depth + 1); pairs.push([key, item(depth + 1)]); }
      return new CborMap(pairs);
    }
    throw new Error("type");  // negative integers, tags, floats, simple values: never used
  }
  const value = item(0);
  if (pos !== bytes.length) throw new Error("trailing");
  return value;
}
function cborHead(major, n, out) {
  if (n < 24) out.push((major << 5) | n);
  else if (n < 0x100) out.push((major << 5) | 24, n);
  else if (n < 0x10000) out.push((major << 5) | 25, n >> 8, n & 0xff);
  else if (n < 0x100000000) out.push((major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  else throw new Error("big");
}
function cborEncode(value, out) {
  out = out || [];
  if (typeof value === "number") cborHead(0, value, out);
  else if (value instanceof Uint8Array) { cborHead(2, value.length, out); out.push(...value); }
  else if (typeof value === "string") { const raw = utf8(value); cborHead(3, raw.length, out); out.push(...raw); }
  else if (Array.isArray(value)) { cborHead(4, value.length, out); for (const v of value) cborEncode(v, out); }
  else if (value instanceof CborMap) {
    const pairs = value.pairs.slice();
    if (!pairs.every(([k]) => typeof k === "number")) throw new Error("key");
    pairs.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pairs.length; i++) if (pairs[i][0] === pairs[i - 1][0]) throw new Error("duplicate");
    cborHead(5, pairs.length, out);
    for (const [k, v] of pairs) { cborEncode(k, out); cborEncode(v, out); }
  } else throw new Error("value");
  return out;
}
function canonical(bytes) {
  const value = cborDecode(bytes);
  if (!equal(Uint8Array.from(cborEncode(value)), bytes)) throw new Error("not canonical");
  return value;
}

// --- the signed content (section 3) --------------------------------------------------------
const TEXT_KEYS = [2, 4, 6, 7, 8, 9, 11];
function readContent(bytes) {
  const map = canonical(bytes);
  if (!(map instanceof CborMap)) throw new Error("not a map");
  const m = new Map(map.pairs);
  for (const key of m.keys()) if (!(key >= 1 && key <= 11)) throw new Error("key");
  for (const key of [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]) if (!m.has(key)) throw new Error("missing");
  if (m.get(1) !== 2) throw new Error("version");
  for (const key of TEXT_KEYS) if (typeof m.get(key) !== "string") throw new Error("text");
  if (typeof m.get(3) !== "number" || m.get(3) > 0xffff) throw new Error("date");
  let birth = null;
  if (m.has(5)) { if (typeof m.get(5) !== "string" || !(birth = isoDate(m.get(5)))) throw new Error("birth"); }
  const competences = m.get(10);
  if (!Array.isArray(competences)) throw new Error("competences");
  for (const c of competences) {
    if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== "string" || typeof c[1] !== "number" || c[1] < 1 || c[1] > 8) throw new Error("competence");
  }
  return {
    serial: m.get(2), issued: new Date(Date.UTC(2000, 0, 1) + m.get(3) * 86400000),
    holder: m.get(4), birth, school: m.get(6), address: m.get(7),
    framework: m.get(8), version: m.get(9), competences, mobility: m.get(11)
  };
}

// --- keys and the revocation list ----------------------------------------------------------
const b64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
let keysReady = null;
function loadKeys() {
  if (!keysReady) keysReady = (async () => {
    if (!window.crypto || !crypto.subtle) throw new Refused("unsupported", "insecure");
    const keys = new Map();
    for (const k of DATA.keys) {
      const raw = b64(k.public);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
      let key;
      try { key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]); }
      catch (error) { throw new Refused("unsupported", "unsupported"); }
      const print = hex(digest.slice(0, 16)).toUpperCase().match(/.{4}/g).join(" ");
      keys.set(hex(digest.slice(0, 8)), { key, print });
    }
    return keys;
  })();
  return keysReady;
}
const canonicalJson = (v) => Array.isArray(v) ? "[" + v.map(canonicalJson).join(",") + "]"
  : v !== null && typeof v === "object"
    ? "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canonicalJson(v[k])).join(",") + "}"
    : JSON.stringify(v);
const normalSerial = (s) => s.toUpperCase().replace(/[\s-]/g, "");
let listReady = null;
function loadList() {
  if (!listReady) listReady = (async () => {
    const node = document.getElementById("revocations");
    if (!node) return { state: "none" };
    try {
      const doc = JSON.parse(node.textContent);
      const fields = ["address", "format", "issued_at", "key_id", "revoked", "school", "signature"];
      if (canonicalJson(Object.keys(doc).sort()) !== canonicalJson(fields) || doc.format !== "digcomp-revocations-1"
          || !Array.isArray(doc.revoked) || typeof doc.signature !== "string") throw new Error("shape");
      const issued = new Date(doc.issued_at);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(doc.issued_at) || isNaN(issued)) throw new Error("date");
      const entries = new Map();
      for (const e of doc.revoked) {
        if (canonicalJson(Object.keys(e).sort()) !== '["reason","revoked_on","serial"]') throw new Error("entry");
        const on = isoDate(e.revoked_on);
        if (!on || typeof e.reason !== "string" || typeof e.serial !== "string") throw new Error("entry");
        entries.set(normalSerial(e.serial), { on, reason: e.reason });
      }
      const keys = await loadKeys();
      const signer = keys.get(doc.key_id);
      if (!signer) throw new Error("key");
      const unsigned = Object.assign({}, doc);
      delete unsigned.signature;
      const ok = await crypto.subtle.verify("Ed25519", signer.key, b64(doc.signature),
        utf8(LIST_CONTEXT + canonicalJson(unsigned)));
      if (!ok) throw new Error("signature");
      return { state: "checked", issued, entries };
    } catch (error) {
      if (error instanceof Refused) throw error;
      return { state: "ignored" };
    }
  })();
  return listReady;
}

// --- verifying (section 4) -----------------------------------------------------------------
function normalAddress(text) { try { return new URL(text).href; } catch (error) { return text; } }

async function verify(text, openedAt) {
  // the QR text: "<address>#DC2:…" (the fragment percent-escapes space and "%"), or "DC2:…"
  text = String(text).trim();
  let code = text, address = openedAt || null;
  const hash = text.lastIndexOf("#");
  if (hash >= 0) {
    code = text.slice(hash + 1).replace(/%(20|25)/g, (all, x) => (x === "20" ? " " : "%"));
    if (hash > 0) address = text.slice(0, hash).trim();
  }
  if (code.toUpperCase().startsWith("DC1:")) throw new Refused("unreadable", "v1");
  if (!code.startsWith("DC2:")) throw unreadable("prefix");
  const zipped = base45(code.slice(4));
  const raw = await strictInflate(zipped);
  let envelope;
  try { envelope = canonical(raw); } catch (error) { throw unreadable("cbor"); }
  if (!Array.isArray(envelope) || envelope.length !== 3 || !envelope.every((x) => x instanceof Uint8Array)
      || envelope[0].length !== 8 || envelope[2].length !== 64) throw unreadable("envelope");
  const [keyBytes, content, signature] = envelope;
  const keys = await loadKeys();
  const keyId = hex(keyBytes);
  const signer = keys.get(keyId);
  if (!signer) throw new Refused("unknown-key", "unknownKey", { key: keyId });
  const ok = await crypto.subtle.verify("Ed25519", signer.key, signature, concat(utf8(CONTEXT), content));
  if (!ok) throw new Refused("not-valid", "signature");
  let fields;
  try { fields = readContent(content); } catch (error) { throw new Refused("not-valid", "content"); }
  let addressCheck = "not-checked";
  if (address !== null) {
    if (!fields.address || normalAddress(address) !== normalAddress(fields.address)) {
      throw new Refused("not-valid", "address", { opened: address, signed: fields.address });
    }
    addressCheck = "match";
  }
  const list = await loadList();
  const result = { verdict: "valid", reason: "valid", fields, keyId, print: signer.print,
    list: list.state, listIssued: list.issued || null, addressCheck, address };
  if (list.state === "checked") {
    const entry = list.entries.get(normalSerial(fields.serial));
    if (entry) Object.assign(result, { verdict: "revoked", reason: "revoked", revokedOn: entry.on, revokedReason: entry.reason });
  }
  return result;
}

async function verifyCode(text, openedAt) {
  try { return await verify(text, openedAt); }
  catch (error) {
    if (error instanceof Refused) return Object.assign({ verdict: error.verdict, reason: error.reason }, error.extra);
    return { verdict: "unreadable", reason: "unreadable" };
  }
}
window.verifyCode = verifyCode;

// --- showing -------------------------------------------------------------------------------
function row(label, value, field, mono) {
  const dd = el("dd", { "data-field": field }, [value]);
  if (mono) dd.className = "mono";
  return el("div", {}, [el("dt", {}, [label]), dd]);
}

function render() {
  const r = shown;
  document.documentElement.lang = lang;
  document.documentElement.setAttribute("data-lang", lang);
  for (const button of document.querySelectorAll(".switch button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  document.getElementById("title").textContent = t("title");
  document.getElementById("school-line").textContent = DATA.school;
  document.getElementById("address-top").textContent = DATA.address;
  document.getElementById("manual-label").textContent = t("manual");
  document.getElementById("check").textContent = t("check");
  document.getElementById("footer").textContent = t("footer");

  const box = document.getElementById("result");
  box.setAttribute("data-verdict", r.verdict);
  box.setAttribute("data-reason", r.reason || "");
  const icons = { valid: "✓", "not-valid": "✗", revoked: "✗", "unknown-key": "?", unreadable: "?", unsupported: "!" };
  const verdict = document.getElementById("verdict");
  verdict.replaceChildren(el("span", { class: "icon", "aria-hidden": "true" }, [icons[r.verdict] || ""]),
    el("span", { id: "verdict-text" }, [T[lang].verdict[r.verdict]]));
  const reasons = {
    none: () => t("none"), valid: () => t("valid"), signature: () => t("signature"),
    content: () => t("content"), unreadable: () => t("unreadable"), v1: () => t("v1"),
    unknownKey: () => t("unknownKey", { key: r.key, school: DATA.school }),
    address: () => t("address", { opened: r.opened, signed: r.signed || t("noAddress") }),
    revoked: () => t("revoked", { date: formatDate(r.revokedOn), reason: r.revokedReason }),
    unsupported: () => t("unsupported"), insecure: () => t("insecure")
  };
  document.getElementById("reason").textContent = (reasons[r.reason] || reasons.unreadable)();
  document.title = (r.verdict === "none" ? "" : T[lang].verdict[r.verdict] + " — ") + t("title");

  const contentBox = document.getElementById("content-box");
  const checks = document.getElementById("checks");
  const notes = document.getElementById("notes");
  const content = document.getElementById("content");
  content.replaceChildren();
  checks.replaceChildren();
  notes.replaceChildren();
  const hasContent = r.verdict === "valid" || r.verdict === "revoked";
  contentBox.hidden = !hasContent;
  checks.hidden = !hasContent;
  notes.hidden = !hasContent;
  if (!hasContent) return;
  const f = r.fields;
  document.getElementById("compare").textContent =
    r.verdict === "revoked" ? t("revokedContent") : t("compare");
  content.append(row(t("holder"), f.holder, "holder"));
  if (f.birth) content.append(row(t("birth"), formatDate(f.birth), "birth"));
  content.append(row(t("school"), f.school, "school"));
  content.append(row(t("issued"), formatDate(f.issued), "issued"));
  content.append(row(t("serial"), f.serial, "serial", true));
  const frameworkName = f.framework === "digcomp" ? "DigComp" : f.framework;
  content.append(row(t("framework"), frameworkName + " " + f.version, "framework"));
  const list = el("ul", {}, f.competences.map(([id, level]) =>
    el("li", { "data-competence": id, "data-level": String(level) },
      [id + " — ", el("span", { class: "level" }, [t("level", { level })])])));
  content.append(row(t("competences"), list, "competences"));
  if (f.mobility) content.append(row(t("mobility"), f.mobility, "mobility", true));

  const item = (text, attrs, warn, list) => {
    const li = el("li", attrs || {}, [text]);
    if (warn) li.className = "warn";
    (list || checks).append(li);
  };
  item(t("fingerprint", { fingerprint: r.print }), { id: "key-line" });
  item(t("keys", { school: DATA.school, address: DATA.address || "—", date: formatDate(isoDate(DATA.exported)) }), { id: "keys-line" });
  if (r.list === "checked") {
    item(t(r.verdict === "revoked" ? "listOn" : "listClear", { date: formatDate(r.listIssued) }),
      { id: "revocation-line", "data-state": "checked" }, r.verdict === "revoked", notes);
  } else {
    item(t(r.list === "ignored" ? "listIgnored" : "listNone"),
      { id: "revocation-line", "data-state": r.list }, true, notes);
  }
  if (r.addressCheck === "match") item(t("addressMatch", { address: r.address }), { id: "address-line", "data-state": "match" });
  else if (f.address) item(t("addressSigned", { address: f.address }), { id: "address-line", "data-state": "not-checked" });
}

async function check(text, openedAt) {
  const result = await verifyCode(text, openedAt);
  shown = result;
  render();
  document.getElementById("result").setAttribute("data-done", "1");
}

function fromLocation() {
  const fragment = location.hash.slice(1);
  if (!fragment) {
    shown = { verdict: "none", reason: "none" };
    render();
    document.getElementById("result").setAttribute("data-done", "1");
    return;
  }
  // opened through the QR code: its address part is this page's own address
  const opened = /^https?:$/.test(location.protocol) ? location.href.split("#")[0] : null;
  check("#" + fragment, opened);
}

for (const button of document.querySelectorAll(".switch button")) {
  button.addEventListener("click", () => { lang = button.dataset.lang; render(); });
}
document.getElementById("check").addEventListener("click", () => {
  check(document.getElementById("code-input").value, null);
});
window.addEventListener("hashchange", fromLocation);
loadKeys().catch((error) => {
  shown = { verdict: "unsupported", reason: error.reason || "unsupported" };
  render();
});
fromLocation();
})();
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="@@CSP@@">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="digcomp-app keys export --html">
<title>@@TITLE@@</title>
<style>@@STYLE@@</style>
</head>
<body>
<div class="page">
<header>
<div class="who"><h1 id="title">Attestation check</h1><p id="school-line"></p><p id="address-top"></p></div>
<div class="switch" role="group" aria-label="Language / Valoda">
<button type="button" data-lang="lv" lang="lv">LV</button><button type="button" data-lang="en" lang="en">EN</button><button type="button" data-lang="nl" lang="nl">NL</button>
</div>
</header>
<main>
<section id="result" data-verdict="none" aria-live="polite">
<div id="verdict"></div>
<p id="reason"></p>
<ul id="notes" hidden></ul>
<div id="content-box" hidden><p id="compare"></p><dl id="content"></dl></div>
<ul id="checks" hidden></ul>
</section>
<noscript><p>This page needs JavaScript to check an attestation. / Apliecinājuma pārbaudei
šai lapai vajag JavaScript.</p></noscript>
<section id="manual">
<label id="manual-label" for="code-input">Check another code</label>
<textarea id="code-input" rows="3" spellcheck="false" autocapitalize="characters"
 autocomplete="off"></textarea>
<button type="button" id="check">Check</button>
</section>
</main>
<footer id="footer"></footer>
</div>
<script type="application/json" id="page-data">@@DATA@@</script>
@@REVOCATIONS@@
<script>@@SCRIPT@@</script>
</body>
</html>
"""
