"""Text normalisation, character grams and highlighting shared by every back end.

Chinese has no spaces between words, so the database back end indexes every CJK
character on its own (unigram) and every pair of neighbouring CJK characters
(bigram). A query of one character matches a unigram and a longer query matches all
of its bigrams, and a substring check on the normalised text then removes the false
positives. Runs of letters and runs of digits are kept as whole words, so "JJG539"
gives "jjg" and "539".
"""

import html
import re
import unicodedata
from dataclasses import dataclass

# Han ideographs (basic block, extension A, compatibility ideographs, and the
# supplementary planes with extensions B to H, where rare characters such as 𠮷 sit)
# plus kana and Hangul syllables, which are written without spaces as well.
_CJK_RANGES = (
    ("\u3040", "\u30ff"),
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uac00", "\ud7af"),
    ("\uf900", "\ufaff"),
    ("\U00020000", "\U000323af"),
)

# PostgreSQL stores tsvector positions in 14 bits.
MAX_POSITION = 16383


def is_cjk(character: str) -> bool:
    return any(low <= character <= high for low, high in _CJK_RANGES)


def normalise_character(character: str) -> str:
    """Return the NFKC, lower-case form of one character, or a space for whitespace.

    Normalising character by character keeps a map from the normalised text back to
    the original, which highlighting needs. It differs from whole-string NFKC only for
    combining sequences, which Chinese text does not use.
    """
    if character.isspace():
        return " "
    return unicodedata.normalize("NFKC", character).lower()


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` and return, for each output character, its source index.

    Runs of whitespace collapse into one space and leading or trailing whitespace is
    dropped.
    """
    output: list[str] = []
    offsets: list[int] = []
    for index, character in enumerate(text):
        for normalised in normalise_character(character):
            if normalised == " " and (not output or output[-1] == " "):
                continue
            output.append(normalised)
            offsets.append(index)
    if output and output[-1] == " ":
        output.pop()
        offsets.pop()
    return "".join(output), offsets


def normalise(text: str) -> str:
    return normalise_with_offsets(text)[0]


def split_terms(query: str) -> list[str]:
    """Split a query at whitespace into distinct normalised terms, keeping their order."""
    terms: list[str] = []
    for term in normalise(query).split(" "):
        if term and term not in terms:
            terms.append(term)
    return terms


_CJK_CLASS = "".join(f"{low}-{high}" for low, high in _CJK_RANGES)
# One token per match: a CJK run, a run of other letters, or a run of digits.
_TOKEN = re.compile(rf"([{_CJK_CLASS}]+)|([^\W\d_{_CJK_CLASS}]+)|(\d+)")


def _runs(text: str):
    """Yield ("cjk" | "word", run) for the CJK runs and the letter or digit runs of ``text``.

    Letters and digits form separate words, so "jjg539" gives "jjg" and "539" and a
    search for "539" finds it. One regular expression splits the text, which matters
    because the indexer runs this over every document.
    """
    for match in _TOKEN.finditer(text):
        cjk, letters, digits = match.groups()
        if cjk:
            yield "cjk", cjk
        else:
            yield "word", letters or digits


def index_grams(text: str) -> list[str]:
    """Return the grams of normalised ``text`` in order of appearance, with repeats.

    CJK runs give every character and every neighbouring pair. Letter runs and digit
    runs give the whole run.
    """
    grams: list[str] = []
    for kind, run in _runs(text):
        if kind == "word":
            grams.append(run)
            continue
        for index, character in enumerate(run):
            grams.append(character)
            if index + 1 < len(run):
                grams.append(run[index : index + 2])
    return grams


@dataclass(frozen=True)
class QueryGram:
    lexeme: str
    prefix: bool  # Letter and digit words match any indexed word that starts with them.


def query_grams(term: str) -> list[QueryGram]:
    """Return the grams a document must contain to possibly contain ``term``.

    A CJK run of two or more characters needs only its bigrams, because the unigrams
    are implied. Letter and digit words are prefix matches, so "jj" finds "jjg".
    """
    grams: list[QueryGram] = []
    for kind, run in _runs(term):
        if kind == "word":
            candidates = [QueryGram(run, prefix=True)]
        elif len(run) == 1:
            candidates = [QueryGram(run, prefix=False)]
        else:
            candidates = [
                QueryGram(run[index : index + 2], prefix=False) for index in range(len(run) - 1)
            ]
        for gram in candidates:
            if gram not in grams:
                grams.append(gram)
    return grams


def quote_lexeme(lexeme: str) -> str:
    """Quote a lexeme for a tsvector or tsquery literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(weighted_texts: list[tuple[str, str]]) -> str:
    """Build a tsvector literal from (weight, normalised text) pairs.

    Each distinct gram keeps the first position at which it occurs under each weight
    (A for the title, D for the body), which is what ts_rank needs to weigh title
    matches above body matches. Positions above MAX_POSITION are stored as
    MAX_POSITION, as PostgreSQL would.
    """
    first_positions: list[tuple[str, dict[str, int]]] = []
    position = 0
    for weight, text in weighted_texts:
        first: dict[str, int] = {}
        for gram in index_grams(text):
            position += 1
            if gram not in first:
                first[gram] = position if position < MAX_POSITION else MAX_POSITION
        first_positions.append(("" if weight == "D" else weight, first))
    first_positions.sort(key=lambda item: item[0] or "D")

    entries = []
    for gram in dict.fromkeys(gram for _, first in first_positions for gram in first):
        # PostgreSQL rejects lexemes over 2046 bytes, so such a word is not searchable.
        if len(gram) > 511 and len(gram.encode("utf-8")) > 2046:
            continue
        marks = ",".join(f"{first[gram]}{suffix}" for suffix, first in first_positions if gram in first)
        entries.append(f"{quote_lexeme(gram)}:{marks}")
    return " ".join(entries)


def tsquery_literal(grams: list[QueryGram]) -> str:
    return " & ".join(quote_lexeme(g.lexeme) + (":*" if g.prefix else "") for g in grams)


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of ``text`` whose normalised form equals a term."""
    normalised, offsets = normalise_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = normalised.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((offsets[start], offsets[end - 1] + 1))
            start = normalised.find(term, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[str]) -> str:
    """HTML-escape ``text`` and wrap each occurrence of a term in <mark>."""
    pieces: list[str] = []
    cursor = 0
    for start, end in _match_spans(text, terms):
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


def snippet(text: str, terms: list[str], length: int = 120) -> str:
    """Return highlighted HTML of a window of ``text`` around the first match.

    Without a match the window is the start of the text. An ellipsis marks each cut.
    """
    spans = _match_spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - length // 4)
    end = min(len(text), start + length)
    window = highlight(text[start:end], terms)
    if start > 0:
        window = "…" + window
    if end < len(text):
        window += "…"
    return window
