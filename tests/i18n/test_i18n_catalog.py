"""The Simplified Chinese catalogue is complete, faithful to its placeholders, compiled, and in step with the code.

Pure Python on purpose: these checks hold on a machine without the gettext tools (no msgfmt, no xgettext).
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
LC_MESSAGES = ROOT / "oversight" / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# What `make messages` scans: the project minus these folders (see the Makefile's makemessages call).
IGNORED_DIRS = {".venv", "var", "tests", "bench", "node_modules", "staticfiles"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

# The gettext functions makemessages extracts, with the argument positions of (context, singular, plural).
KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
TRANSLATION_FUNCTIONS = set(KEYWORDS) - {"_"}

# Python %-placeholders (named or positional, with flags, width, precision) and str.format-style {names}.
PERCENT_RE = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
BRACE_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG_RE = re.compile(r"</?[A-Za-z][^>]*>")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Words that stay as they are in Chinese text: product name, abbreviations, formats, units.
UNTRANSLATED_WORDS = {"Oversight", "SLA", "API", "CSV", "XLSX", "PDF", "ZIP", "PNG", "SVG", "SHA", "MB", "UTC", "QR"}


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small reader of the .po format as msgmerge writes it (comments, flags, context, plurals)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], start=1):
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, target = None, None
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), int(match.group(2) or 0), _unquote(match.group(3))
            target = (keyword, index)
        else:
            assert line.startswith('"') and target is not None, f"{path}:{number}: cannot read {raw!r}"
            keyword, index, value = target[0], target[1], _unquote(line)
        if keyword == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
        else:
            setattr(current, keyword, (getattr(current, keyword) or "") + value)
    return entries


def messages() -> list[Entry]:
    """The catalogue's live messages (no header, no obsolete entries)."""
    return [e for e in parse_po(PO_PATH) if not e.obsolete and not (e.msgid == "" and e.msgctxt is None)]


def header() -> dict[str, str]:
    entry = next(e for e in parse_po(PO_PATH) if e.msgid == "" and e.msgctxt is None)
    return dict(line.split(": ", 1) for line in entry.msgstr[0].splitlines() if ": " in line)


def _placeholders(text: str, python_format: bool) -> tuple[Counter, list[str], Counter]:
    named: Counter = Counter()
    positional: list[str] = []
    if python_format:
        for match in PERCENT_RE.finditer(text):
            if match.group(0) == "%%":
                continue
            if match.group("name") is not None:
                named[match.group(0)] += 1
            else:
                positional.append(match.group(0))
    return named, positional, Counter(BRACE_RE.findall(text))


# ---------------------------------------------------------------------------------------------- the .po


def test_the_header_declares_chinese_with_one_plural_form():
    values = header()
    assert values["Language"] == "zh_Hans"
    assert values["Content-Type"] == "text/plain; charset=UTF-8"
    assert values["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO_PATH)
    assert len(messages()) > 500  # the whole product, not a sample
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    untranslated = [e.label for e in messages() if not e.msgstr or not all(e.msgstr.values())]
    assert fuzzy == []
    assert untranslated == []


def test_plural_messages_have_exactly_the_one_chinese_form():
    wrong = [e.label for e in messages() if e.msgid_plural is not None and sorted(e.msgstr) != [0]]
    assert wrong == []


def test_no_message_is_listed_twice():
    counts = Counter(e.key for e in messages())
    assert [key for key, n in counts.items() if n > 1] == []


def test_placeholders_survive_translation_exactly():
    problems = []
    for entry in messages():
        python_format = "no-python-format" not in entry.flags
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
        # Each translation carries the placeholders of its msgid (Chinese: the plural form, which names the count).
        expected = _placeholders(sources[-1], python_format)
        for index, text in entry.msgstr.items():
            got = _placeholders(text, python_format)
            if got != expected:
                problems.append(f"{entry.label} msgstr[{index}]: {got} != {expected}")
    assert problems == []


def test_a_percent_sign_in_a_formatted_translation_is_doubled():
    """In a %-formatted message a lone % breaks the formatting at run time ("100 %%" must stay doubled)."""
    problems = [
        f"{entry.label} -> {text!r}"
        for entry in messages()
        if "python-format" in entry.flags
        for text in entry.msgstr.values()
        if "%" in PERCENT_RE.sub("", text)
    ]
    assert problems == []


def test_html_in_messages_is_kept():
    problems = [
        entry.label
        for entry in messages()
        for text in entry.msgstr.values()
        if Counter(TAG_RE.findall(text)) != Counter(TAG_RE.findall(entry.msgid))
    ]
    assert problems == []


def test_translations_are_chinese_not_copied_english():
    """A msgstr without Chinese characters may only hold placeholders, punctuation and the words kept as-is."""
    problems = []
    for entry in messages():
        for text in entry.msgstr.values():
            if CJK_RE.search(text):
                continue
            stripped = BRACE_RE.sub(" ", PERCENT_RE.sub(" ", text))
            words = set(re.findall(r"[A-Za-z]{2,}", stripped))
            if words - UNTRANSLATED_WORDS:
                problems.append(f"{entry.label} -> {text!r}")
    assert problems == []


def test_the_parser_reads_what_it_is_given(tmp_path):
    """The checks above are only as good as this reader: it sees fuzzy flags, plurals, contexts and gaps."""
    sample = tmp_path / "sample.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, fuzzy, python-format\nmsgid "Hello %(name)s"\nmsgstr "你好 %(nom)s"\n\n'
        'msgctxt "unit"\nmsgid "d"\nmsgstr ""\n\n'
        'msgid "one file"\nmsgid_plural "%(n)s files"\nmsgstr[0] ""\n"%(n)s 个文件"\n\n'
        '#~ msgid "gone"\n#~ msgstr "没了"\n',
        encoding="utf-8",
    )
    header_entry, hello, unit, plural, obsolete = parse_po(sample)
    assert header_entry.msgstr[0] == "Language: zh_Hans\n"
    assert hello.flags == {"fuzzy", "python-format"}
    assert _placeholders(hello.msgstr[0], True) != _placeholders(hello.msgid, True)
    assert unit.key == ("unit", "d") and unit.msgstr == {0: ""}
    assert plural.msgid_plural == "%(n)s files" and plural.msgstr == {0: "%(n)s 个文件"}
    assert obsolete.obsolete


# ---------------------------------------------------------------------------------------------- the .mo


def test_the_committed_mo_is_compiled_from_the_current_po():
    """Every pair of the .po is in the .mo and nothing else is: `make messages` was run after the last edit."""
    with MO_PATH.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    expected: dict = {}
    for entry in parse_po(PO_PATH):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr.items():
                if text:
                    expected[(msgid, index)] = text
        elif entry.msgstr.get(0):
            expected[msgid] = entry.msgstr[0]
    # msgfmt leaves the extraction date out of the compiled header.
    expected[""] = "".join(line for line in expected[""].splitlines(True) if not line.startswith("POT-Creation-Date:"))
    assert compiled.keys() == expected.keys()
    assert [k for k in expected if compiled[k] != expected[k]] == []


def test_django_serves_the_catalogue():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Supervision board") == "监管看板"
        assert translation.pgettext("time unit: hours", "h") == "小时"
        assert translation.ngettext("expires in %(days)s day", "expires in %(days)s days", 3) % {"days": 3} == (
            "3 天后到期"
        )
    with translation.override("en"):
        assert translation.gettext("Supervision board") == "Supervision board"


# ---------------------------------------------------------------------------------------------- the sources


def _string_value(tokens: list[tokenize.TokenInfo]) -> str | None:
    """The value of an argument made only of string literals (implicit concatenation allowed), else None."""
    if not tokens or any(t.type != tokenize.STRING for t in tokens):
        return None
    try:
        return "".join(ast.literal_eval(t.string) for t in tokens)
    except (ValueError, SyntaxError):  # f-strings are not messages
        return None


def extract_messages(code: str) -> set[tuple[str | None, str, str | None]]:
    """(context, msgid, plural) of each gettext call with literal arguments, as xgettext reads Python code."""
    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type not in skip]
    found = set()
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS or tokens[i + 1].string != "(":
            continue
        args: list[list[tokenize.TokenInfo]] = [[]]
        depth = 0
        for t in tokens[i + 2 :]:
            if t.type == tokenize.OP and t.string in "([{":
                depth += 1
            elif t.type == tokenize.OP and t.string in ")]}":
                if depth == 0:
                    break
                depth -= 1
            if t.type == tokenize.OP and t.string == "," and depth == 0:
                args.append([])
            else:
                args[-1].append(t)
        ctx_pos, msg_pos, plural_pos = KEYWORDS[token.string]
        values = [_string_value(args[p]) if p is not None and p < len(args) else None for p in (ctx_pos, msg_pos)]
        plural = _string_value(args[plural_pos]) if plural_pos is not None and plural_pos < len(args) else None
        if values[1] is None or (ctx_pos is not None and values[0] is None):
            continue
        if plural_pos is not None and plural is None:
            continue
        found.add((values[0], values[1], plural))
    return found


def source_files() -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not d.startswith(".")]
        files += [Path(folder) / name for name in names if Path(name).suffix in SOURCE_SUFFIXES]
    return sorted(files)


def template_code(text: str, origin: str | None = None) -> str:
    """A template as the pseudo-Python makemessages feeds to xgettext (left-aligned: only the calls matter)."""
    return "\n".join(line.lstrip() for line in templatize(text, origin=origin).splitlines())


def source_messages() -> set[tuple[str | None, str, str | None]]:
    found = set()
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        code = text if path.suffix == ".py" else template_code(text, origin=str(path))
        found |= extract_messages(code)
    return found


def test_the_extractor_reads_python_and_templates():
    code = (
        'x = _("one" " two")\n'
        'y = pgettext_lazy("ctx", "word")\n'
        'z = ngettext("%(n)s file", "%(n)s files", n)\n'
        "w = gettext(variable)\n"
        "v = translation.gettext('dotted')\n"
    )
    assert extract_messages(code) == {
        (None, "one two", None),
        ("ctx", "word", None),
        (None, "%(n)s file", "%(n)s files"),
        (None, "dotted", None),
    }
    template = (
        '{% load i18n %}{% translate "Save" %}{% translate "May" context "month" %}'
        "{% blocktranslate with name=user.name %}Hi {{ name }}{% endblocktranslate %}"
        '{{ value|default:_("none") }}'
    )
    assert extract_messages(template_code(template)) == {
        (None, "Save", None),
        ("month", "May", None),
        (None, "Hi %(name)s", None),
        (None, "none", None),
    }


def test_every_string_in_the_code_is_in_the_catalogue_and_nothing_else_is():
    """Fails when someone adds or changes a message without running `make messages` (and translating)."""
    in_code = source_messages()
    assert len(in_code) > 500
    in_po = {(e.msgctxt, e.msgid, e.msgid_plural) for e in messages()}
    assert sorted(in_code - in_po, key=str) == []  # missing from the catalogue: run `make messages`
    assert sorted(in_po - in_code, key=str) == []  # stale entries: run `make messages` (it drops them)


def hidden_translation_imports(code: str) -> list[str]:
    """Imports such as `gettext as t`: makemessages knows only the usual names, so every t("...") would be lost."""
    return [
        f"{alias.name} as {alias.asname}"
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in TRANSLATION_FUNCTIONS and alias.asname and alias.asname not in KEYWORDS
    ]


def test_translation_functions_keep_names_that_makemessages_knows():
    assert hidden_translation_imports("from django.utils.translation import gettext as t, gettext_lazy as _") == [
        "gettext as t"
    ]
    hidden = {
        str(path.relative_to(ROOT)): found
        for path in source_files()
        if path.suffix == ".py" and (found := hidden_translation_imports(path.read_text(encoding="utf-8")))
    }
    assert hidden == {}
