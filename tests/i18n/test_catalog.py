"""The Korean catalog is complete (issue 14): every string a person reads is marked for translation, and every
marked string has a Korean translation that is neither empty nor fuzzy and keeps the English one's placeholders.

How a string is found unmarked:
- templates (templates/**.html and .txt, emails included): text between tags that still has letters once HTML
  tags, comments, entities and Jinja expressions are taken out, and the literal words of the attributes people
  read or hear (title, alt, placeholder, aria-label, and the value of a submit button);
- Python (app/**.py): literal strings given to flash(), to a WTForms field as its label or description, to a
  validator as its message, and to DomainError (and its kinds) or Problems.add().
The extraction is babel's (babel.cfg, the keywords _ gettext ngettext _l lazy_gettext), as `pybabel extract` does.

Files not translated yet are in PENDING: their unmarked strings and untranslated messages are not reported.
Whoever translates a file takes it off the list; a test fails while a listed file has nothing left to mark.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
KOREAN = ROOT / "translations" / "ko" / "LC_MESSAGES"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2),
            "lazy_pgettext": ((1, "c"), 2)}
JINJA_OPTIONS = {"extensions": "jinja2.ext.do,jinja2.ext.loopcontrols"}

# Words that read the same in both languages: each with the reason it is not translated.
ALLOWED_WORDS = {
    "WTA": "the World Technopolis Association's name, printed as is in Korean too",
    "UNESCO": "an organisation's name",
    "UNESCO-WTA": "the name of the centre, as it is registered",
    "QR": "the code's name in Korean as well (QR 코드)",
    "PDF": "a file format",
    "CSV": "a file format",
    "XLSX": "a file format",
    "iCalendar": "a file format",
    "ICS": "a file format",
    "UTC": "a time standard",
    "KST": "a time zone's abbreviation",
    "ISO": "a standard's name (ISO 8601)",
    "URL": "an address, as Korean UIs write it",
    "ID": "an identifier, as Korean UIs write it",
    "Noto": "a font's name in a style sheet",
    "Sans": "a font's name in a style sheet",
    "CJK": "a font's name in a style sheet",
    "KR": "a font's name in a style sheet",
    "HTML": "a format's name (the HTML version of an email), as Korean UIs write it",
    "Message-ID": "an email header's name, shown to organisers tracing an email",
}
_ALLOWED = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(ALLOWED_WORDS, key=len, reverse=True))
                      + r")(?![\w-])")

# Files with strings still to mark or translate, each taken off by whoever translates it.
PENDING: set[str] = set()


# --- templates ---------------------------------------------------------------------------------------

_EXPRESSION = "\x01"  # where a {{ }} was: a value, not words
_READ_ATTRIBUTES = re.compile(r"""\s(title|alt|placeholder|aria-label)\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
_SUBMIT_VALUE = re.compile(r"""\svalue\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
# Only an <input>'s value is read (its caption); a <button>'s value is what the form sends, e.g. "preview".
_SUBMIT = re.compile(r"""^<input\b[^>]*\btype\s*=\s*["']?(submit|button|reset)""", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_LETTER = re.compile(r"[^\W\d_]")


# An identifier built around a value, e.g. "{{ f.id }}-error-{{ n }}": a name for the browser, not words.
_IDENTIFIER = re.compile("\x01-[\\w-]+|[\\w-]+-\x01")


def _has_words(text: str) -> bool:
    text = _IDENTIFIER.sub(" ", text)
    return bool(_LETTER.search(_ALLOWED.sub(" ", _ENTITY.sub(" ", text.replace(_EXPRESSION, " ")))))


@cache
def _lexer() -> Environment:
    return Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"])


def _template_text(source: str) -> list[tuple[int, str]]:
    """The template's own text, line by line as written: Jinja expressions become a mark, tags and comments
    go, {% trans %} blocks (marked already), the insides of <script>/<style> and the documents' style sheets
    ({% block style %}) are left out."""
    pieces: list[tuple[int, str]] = []
    in_trans = False
    in_style = False
    block: list[str] | None = None  # the names of the {% … %} being read
    for lineno, kind, value in _lexer().lex(source):
        if kind == "block_begin":
            block = []
        elif kind == "name" and block is not None:
            block.append(value)
        elif kind == "block_end" and block:
            in_trans = block[0] == "trans" or (in_trans and block[0] != "endtrans")
            in_style = block[:2] == ["block", "style"] or (in_style and block[0] != "endblock")
            block = None
        elif kind == "data" and not in_trans and not in_style:
            pieces.append((lineno, value))
        elif kind == "variable_begin" and not in_trans:
            pieces.append((lineno, _EXPRESSION))
    return pieces


def unmarked_in_template(path: Path) -> Iterator[tuple[int, str]]:
    pieces = _template_text(path.read_text(encoding="utf-8"))
    text = "".join(value for _, value in pieces)
    # Where each character came from, to say the line.
    lines: list[int] = []
    for lineno, value in pieces:
        for character in value:
            lines.append(lineno)
            lineno += character == "\n"
    text = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group()), text, flags=re.S)
    text = re.sub(r"(<(script|style)\b[^>]*>)(.*?)(</\2>)", lambda m: m.group(1) + " " * len(m.group(3)) + m.group(4),
                  text, flags=re.S | re.I)
    for tag in _TAG.finditer(text):
        attributes = [m.group(2)[1:-1] for m in _READ_ATTRIBUTES.finditer(tag.group())]
        if _SUBMIT.search(tag.group()):
            attributes += [m.group(1)[1:-1] for m in _SUBMIT_VALUE.finditer(tag.group())]
        for value in attributes:
            if _has_words(value):
                yield lines[tag.start()], value.replace(_EXPRESSION, "{{…}}")
    without_tags = _TAG.sub(lambda m: "\x02" * len(m.group()), text)  # the same length: positions keep their line
    for m in re.finditer(r"[^\x02\n]+", without_tags):
        if _has_words(m.group()):
            yield lines[m.start()], m.group().strip().replace(_EXPRESSION, "{{…}}")


# --- Python ------------------------------------------------------------------------------------------

# Validators and where their message goes when it is given by position.
_VALIDATOR_MESSAGE_AT = {"DataRequired": 0, "InputRequired": 0, "Email": 0, "Optional": 0, "Length": 2,
                         "NumberRange": 2, "Regexp": 1 + 1, "EqualTo": 1, "AnyOf": 1, "NoneOf": 1, "URL": 1}


def _literal_text(node: ast.AST | None) -> str | None:
    """The words a literal (or a literal made into a string: f-string, +, %, .format) carries; None for a
    call like _("…"), a name, or anything else computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return " ".join(p for p in parts if p) or None
    if isinstance(node, ast.IfExp):
        parts = [_literal_text(node.body), _literal_text(node.orelse)]
        return " ".join(p for p in parts if p) or None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"):
        return _literal_text(node.func.value)
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


@cache
def _domain_errors() -> frozenset[str]:
    """DomainError and every class made from it in app/."""
    bases: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ClassDef):
                bases[node.name] |= {_name(b) for b in node.bases}
    found = {"DomainError"}
    while True:
        more = {name for name, of in bases.items() if of & found} - found
        if not more:
            return frozenset(found)
        found |= more


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _shown_arguments(call: ast.Call) -> Iterator[ast.AST | None]:
    """The arguments of `call` that a person reads, if it is a call that shows them."""
    name = _name(call.func)
    keywords = {k.arg: k.value for k in call.keywords}
    if name == "flash":
        yield call.args[0] if call.args else keywords.get("message")
    elif name.endswith("Field") and name[:1].isupper():
        yield call.args[0] if call.args else keywords.get("label")
        yield keywords.get("description")
    elif name in _VALIDATOR_MESSAGE_AT:
        at = _VALIDATOR_MESSAGE_AT[name]
        yield call.args[at] if len(call.args) > at else keywords.get("message")
    elif name in _domain_errors() or _is_problems_add(call):
        yield call.args[0] if call.args else keywords.get("message")


def _is_problems_add(call: ast.Call) -> bool:
    return (isinstance(call.func, ast.Attribute) and call.func.attr == "add"
            and "problem" in _name(call.func.value).lower())


def unmarked_in_python(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            for argument in _shown_arguments(node):
                text = _literal_text(argument)
                if text is not None and _has_words(text):
                    yield node.lineno, text


# --- what the project holds --------------------------------------------------------------------------

def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def sources() -> tuple[Path, ...]:
    templates = [p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt")]
    return tuple(sorted([*(ROOT / "app").rglob("*.py"), *templates]))


def unmarked(path: Path) -> list[tuple[int, str]]:
    return list(unmarked_in_python(path) if path.suffix == ".py" else unmarked_in_template(path))


_MARKS = re.compile(r"\b(_|_l|gettext|ngettext|lazy_gettext|lazy_ngettext)\(|\{%-?\s*trans\b")


@cache
def extracted() -> dict[str | tuple[str, ...], set[str]]:
    """Every marked message, with the files it is marked in."""
    found: dict[str | tuple[str, ...], set[str]] = defaultdict(set)
    for path in sources():
        if not _MARKS.search(path.read_text(encoding="utf-8")):
            continue  # nothing marked in it: no need to parse it (most of the time of this test)
        method = "python" if path.suffix == ".py" else "jinja2"
        options = {} if method == "python" else JINJA_OPTIONS
        for _lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                       options=options):
            key = message if isinstance(message, str) else tuple(m for m in message if m)
            found[key].add(_relative(path))
    return found


@cache
def korean() -> dict:
    """The merged Korean catalog as compile_catalogs() builds it: parts first (merged.po last of them), then
    messages.po, a later translation replacing an earlier one. Keyed by the singular for plural entries."""
    catalog = {}
    parts = sorted((KOREAN / "parts").glob("*.po"), key=lambda po: (po.name == "merged.po", po.name))
    for po in [*parts, KOREAN / "messages.po"]:
        if po.exists():
            with po.open("rb") as source:
                for message in read_po(source, locale="ko"):
                    if message.id:
                        key = message.id if isinstance(message.id, str) else message.id[0]
                        catalog[key] = (message, _relative(po))
    return catalog


_PYTHON_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
_BRACE_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _placeholders(text: str) -> tuple[set[str], set[str]]:
    return set(_PYTHON_PLACEHOLDER.findall(text)), set(_BRACE_PLACEHOLDER.findall(text))


# Placeholders a Korean text may write instead of the English one's: Korean has no "the" before a title
# ({the_event} is the title inside an English sentence) and greets by the name without a title ("김민준 님").
_KOREAN_ALTERNATIVES = {"the_event": "event_title", "name": "full_name"}


def _same_placeholders(english: str, korean: str) -> bool:
    python_en, braces_en = _placeholders(english)
    python_ko, braces_ko = _placeholders(korean)
    for english_name, korean_name in _KOREAN_ALTERNATIVES.items():
        if english_name in braces_en and english_name not in braces_ko and korean_name in braces_ko:
            braces_ko = (braces_ko - {korean_name}) | ({english_name} if korean_name not in braces_en else
                                                       {english_name, korean_name})
    return python_en == python_ko and braces_en == braces_ko


# --- the tests ---------------------------------------------------------------------------------------

def test_every_string_a_person_reads_is_marked_for_translation():
    found = [f"{_relative(path)}:{line}: {text!r}"
             for path in sources() if _relative(path) not in PENDING
             for line, text in unmarked(path)]
    assert not found, ("Strings not marked for translation (wrap them in _() / _l() / {% trans %}, or if a word reads "
                       "the same in Korean, add it to ALLOWED_WORDS with the reason):\n" + "\n".join(found))


def test_every_marked_string_has_a_korean_translation():
    catalog = korean()
    problems = []
    for msgid, files in sorted(extracted().items(), key=lambda item: str(item[0])):
        if files <= PENDING:
            continue
        key = msgid if isinstance(msgid, str) else msgid[0]
        entry = catalog.get(key)
        where = ", ".join(sorted(files))
        if entry is None:
            problems.append(f"no Korean for {key!r} ({where})")
            continue
        message, po = entry
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            problems.append(f"{po}: {'fuzzy' if message.fuzzy else 'empty'} translation of {key!r}")
    assert not problems, "The Korean catalog is incomplete:\n" + "\n".join(problems)


def test_korean_entries_are_translated_and_keep_their_placeholders():
    problems = []
    for key, (message, po) in korean().items():
        # A plural entry's one Korean form (Korean has no plural) carries the plural English's placeholders.
        english = message.id if isinstance(message.id, str) else message.id[-1]
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy:
            problems.append(f"{po}: fuzzy entry {key!r}")
        elif not all(strings):
            problems.append(f"{po}: no translation for {key!r}")
        for string in strings:
            if string and not _same_placeholders(english, string):
                problems.append(f"{po}: the placeholders of {key!r} differ in {string!r}")
    assert not problems, "\n".join(problems)


def test_pending_files_still_exist():
    missing = sorted(path for path in PENDING if not (ROOT / path).exists())
    assert not missing, f"PENDING names files that are gone: {missing}; take them off the list"


def test_a_pending_file_with_nothing_left_to_mark_is_taken_off_the_list():
    done = sorted(path for path in PENDING if (ROOT / path).exists() and not unmarked(ROOT / path))
    assert not done, f"Nothing is left to mark in these files: take them off PENDING in {__file__}: {done}"


@pytest.mark.parametrize("source, expected", [
    ('<p class="x">Hello <a href="{{ url }}">there</a></p>', ["Hello", "there"]),
    ('<p>{{ _("Hello") }} · {{ name }} &amp; WTA</p>', []),
    ('{% trans name=n %}Dear {{ name }},{% endtrans %}', []),
    ('<img alt="A photo" src="x.png"><span title="{{ _(\'Seen\') }}">✓</span>', ["A photo"]),
    ('<input type="submit" name="go" value="Save">', ["Save"]),
    ('<button type="submit" name="action" value="preview">{{ _("Preview") }}</button>', []),
    ('<input type="hidden" name="x" value="draft">', []),
    ('<!-- a comment --><script src="x.js"></script>{# a Jinja comment #}', []),
])
def test_unmarked_template_text_is_found(tmp_path, source, expected):
    template = tmp_path / "page.html"
    template.write_text(source, encoding="utf-8")
    assert [text for _, text in unmarked_in_template(template)] == expected


@pytest.mark.parametrize("source, found", [
    ('flash("Saved.", "success")', True),
    ('flash(_("Saved."), "success")', False),
    ('flash(f"{n} saved.")', True),
    ('StringField("Name", validators=[DataRequired("Please enter it."), Length(max=3)])', True),
    ('StringField(_l("Name"), validators=[DataRequired(_l("Please enter it."))])', False),
    ('raise DomainError("No seats left.", field="x")', True),
    ('problems.add(_("Too long."), "title")', False),
    ('problems.add("Too long.", "title")', True),
    ('SelectField(_l("Kind"), choices=[("a", "A")], description="Shown on the page.")', True),
])
def test_unmarked_python_strings_are_found(tmp_path, source, found):
    module = tmp_path / "module.py"
    module.write_text(source + "\n", encoding="utf-8")
    assert bool(list(unmarked_in_python(module))) is found

