"""How common a shared word is in English text (``shared_common``): sharing a dictionary word
says less than sharing a coined one, though the lists use both rarely."""

from __future__ import annotations

import importlib.metadata

import pytest
from bench.train_name_model import common_word_table, render_common_words

from bidvet.screening import common_words
from bidvet.screening.canonical import canonical
from bidvet.screening.features_v2 import PairV2, shared_common, word_commonness
from bidvet.screening.score import compare_names


def _pair(query: str, listed: str) -> PairV2:
    return PairV2(canonical(query), canonical(listed))


def test_the_bundled_table_reads_dictionary_words_as_common_and_coined_ones_not() -> None:
    assert common_words.zipf("star") >= 4.5 and word_commonness("star") == 1.0
    assert 0.5 < word_commonness("amber") < 1.0  # Zipf 3.97
    # brand names wordfreq puts below Zipf 2.5 are not in the table at all
    assert common_words.zipf("hikvision") == 0.0 and word_commonness("hikvision") == 0.0
    assert common_words.zipf("nuctech") == 0.0


def test_the_table_is_grouped_by_value_and_a_bad_line_names_the_file() -> None:
    table = common_words.parse_table("# comment\n4.50\tstar city\n2.60\tzorbalt\n")
    assert table == {"star": 4.5, "city": 4.5, "zorbalt": 2.6}
    with pytest.raises(ValueError, match=r"common_words_en.tsv line 2: expected zipf<TAB>words"):
        common_words.parse_table("# comment\nstar 4.5\n")
    with pytest.raises(ValueError, match="line 1"):
        common_words.parse_table("-1\tstar\n")


def test_the_training_script_writes_what_the_matcher_reads() -> None:
    pytest.importorskip("wordfreq", reason="wordfreq (a dev dependency) builds the table")
    table = {"amber": 3.97, "city": 5.61, "star": 5.19, "street": 5.31}
    assert common_words.parse_table(render_common_words(table)) == table
    if importlib.metadata.version("wordfreq") != "3.1.1":
        pytest.skip("the bundled table was built from wordfreq 3.1.1")
    bundled = common_words.parse_table(common_words.TABLE_FILE.read_text(encoding="utf-8"))
    assert bundled == common_word_table()


def test_shared_common_is_the_least_common_shared_distinctive_word() -> None:
    amber = shared_common(_pair("Amber Technology Ltd", "Amber SUN"))
    assert amber == pytest.approx(word_commonness("amber"))
    # a coined word shared: the strongest evidence, whatever else is shared
    assert shared_common(_pair("Hikvision Digital Technology", "Hikvision Star Ltd")) == 0.0
    # nothing distinctive shared: nothing to weigh
    assert shared_common(_pair("Zorbalt Ltd", "Quentix Ltd")) == 0.0


def test_a_typed_word_is_as_common_as_the_listed_word_it_meets() -> None:
    """``Streem`` is in no dictionary, but it meets ``Street``: the evidence is a common word."""
    assert word_commonness("streem") == 0.0
    streem = shared_common(_pair("Streem Investments", "STREET INVESTMENTS PVT LTD"))
    assert streem == pytest.approx(word_commonness("street")) and streem == 1.0


def test_sharing_only_a_dictionary_word_weighs_against_a_match_in_the_score() -> None:
    """The same shape of pair, one word shared: the dictionary word is explained as weighing
    against the match, the coined word not at all."""
    common = compare_names("Amber Technology Ltd", "Amber SUN")
    coined = compare_names("Zorbalt Technology Ltd", "Zorbalt SUN")
    assert not common.match
    weighed = [line for line in common.explanation if line.startswith("shared_common=")]
    assert weighed and "(-" in weighed[0], common.explanation
    assert not any(line.startswith("shared_common=") for line in coined.explanation)
    assert coined.score > common.score


def test_a_common_english_word_is_not_a_slip_from_a_legal_form() -> None:
    """``SUN`` closing ``Amber SUN`` is one edit from ``sdn`` (Sendirian), ``Ink`` from
    ``inc``; both are words, so both names keep two words. The slips officers type in short
    forms are still forms."""
    from bidvet.screening.canonical import legal_word

    assert not legal_word("sun") and not legal_word("ink")
    assert canonical("Amber SUN").words == ("amber", "sun")
    assert canonical("Squid Ink").words == ("squid", "ink")
    for typed in ("Kestrel Imaging Co., td.", "Kestrel Imaging CCo., Ltd.", "Kestrel Imaging oC."):
        assert canonical(typed).words == ("kestrel", "imaging"), typed
    assert legal_word("limted") and legal_word("ltdd")


def test_a_common_word_closing_the_name_with_a_full_stop_is_an_abbreviated_form() -> None:
    """``Crop.`` and ``Cop.`` are words, but a name closed by one and a full stop wrote a form
    as forms are abbreviated: ``Corp.`` typed with a slip."""
    assert canonical("Kestrel Imaging Crop.").words == ("kestrel", "imaging")
    assert canonical("Kestrel Imaging Cop.").words == ("kestrel", "imaging")
    assert canonical("Kestrel Crop").words == ("kestrel", "crop")  # no full stop: a word
    assert canonical("Golden Crop. Farms").words == ("golden", "crop", "farms")


def test_an_english_word_one_letter_from_a_number_word_is_a_word() -> None:
    """``light`` is one letter from ``eight``, ``there`` from ``three``, the Russian ``sever``
    (north) from ``seven``: they were read as numbers (``DAWN LIGHT`` as ``dawn 8``, so it
    missed ``DAWNLIGHT`` and conflicted with every other number). A slip that is no English
    word still reads as its number, and one that could be two numbers as none."""
    from bidvet.screening.canonical import number_value

    for word in ("light", "right", "night", "there", "forth", "seconds", "sever", "severn"):
        assert number_value(word) is None, word
    assert canonical("DAWN LIGHT").words == ("dawn", "light")
    assert canonical("SEVER GROUP LLC").words == ("sever", "group")
    assert compare_names("DAWN LIGHT", "DAWNLIGHT").match
    assert compare_names("SEVER GROUP LIMITED LIABILITY COMPANY", "SEVERGROUP LLC").match
    for typed, value in (("fourty", 40), ("ninty", 90), ("eigth", 8), ("nineth", 9)):
        assert number_value(typed) == value, typed
    assert compare_names("Fourty Four Trading Ltd", "44 Trading Ltd").match


def test_the_table_read_as_needed_answers_what_the_whole_table_does() -> None:
    """:class:`~bidvet.screening.common_words.ZipfTable` finds words in the table's text until
    it has been asked for enough of them, then reads the whole table: the answers are the
    same either way, for every word of the table and for what is not one of its words."""
    text = common_words.TABLE_FILE.read_text(encoding="utf-8")
    whole = common_words.parse_table(text)
    words = list(whole)
    strangers = ["", "Star", "star city", "star2", "hikvision", "wordfreq", "st*r", " star"]
    lazy = common_words.ZipfTable(text)
    asked = [*strangers, *words[: lazy.LOOKUPS - len(strangers)]]
    assert [lazy.get(w) for w in asked] == [whole.get(w) for w in asked]
    assert not _read_whole(lazy)  # still read from the text
    assert [lazy.get(w) for w in [*words, *strangers]] == [
        whole.get(w) for w in [*words, *strangers]
    ]
    assert _read_whole(lazy) and lazy._words == whole and len(lazy) == len(whole)
    # the table's comment lines are not words of it
    assert "wordfreq" in text and common_words.ZipfTable(text).get("wordfreq") is None


def _read_whole(table: common_words.ZipfTable) -> bool:
    return table._words is not None
