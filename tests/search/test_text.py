"""Normalisation, grams and highlighting, without a database."""

from search import text


def test_normalise_folds_width_and_case():
    assert text.normalise("ＪＪＧ　５３９") == "jjg 539"
    assert text.normalise("  计量\n\t法 ") == "计量 法"


def test_index_grams_split_cjk_and_keep_words():
    assert text.index_grams(text.normalise("计量法JJG539-2016")) == [
        "计", "计量", "量", "量法", "法", "jjg", "539", "2016",
    ]
    assert text.index_grams("hnjy2026000123") == ["hnjy", "2026000123"]


def test_query_grams_use_bigrams_of_longer_runs():
    grams = text.query_grams("政务公开")
    assert [g.lexeme for g in grams] == ["政务", "务公", "公开"]
    assert text.query_grams("通") == [text.QueryGram("通", prefix=False)]
    assert text.query_grams("jjg") == [text.QueryGram("jjg", prefix=True)]


def test_query_grams_of_punctuation_are_empty():
    for query in ["%_", "\\", "'", "--", "()^"]:
        assert text.query_grams(query) == []


def test_tsvector_literal_quotes_and_weights():
    literal = text.tsvector_literal([("A", "通知"), ("D", "通知 o'neil")])
    assert "'通':1A,4" in literal
    assert "'o':" in literal
    assert "'neil':" in literal


def test_quote_lexeme_escapes_quote_and_backslash():
    assert text.quote_lexeme("a'b\\c") == "'a''b\\\\c'"


def test_highlight_escapes_before_marking():
    html = text.highlight("<script>alert(1)</script>计量通知", ["通知"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.endswith("计量<mark>通知</mark>")


def test_highlight_matches_full_width_text():
    assert text.highlight("ＪＪＧ 539", ["jjg"]) == "<mark>ＪＪＧ</mark> 539"


def test_snippet_windows_around_first_match():
    body = "甲" * 200 + "计量" + "乙" * 200
    result = text.snippet(body, ["计量"], length=40)
    assert result.startswith("…")
    assert result.endswith("…")
    assert "<mark>计量</mark>" in result
