"""LIX and klarspråk hints, checked against texts counted by hand."""

import pytest

from campaigns.readability import analyse, lix, lix_band, split_sentences, words
from common.catalogue import render

# 24 words, 4 sentences, 4 long words (kvällen, Ansökan, skickas, kommunen):
# 24/4 + 100*4/24 = 6 + 16.67 = 22.7
KNOWN = ("Nu kan du boka vigsel på webben, t.ex. på kvällen. Det går snabbt! Ansökan skickas direkt "
         "till kommunen, bl.a. till växeln. Läs mer på https://karlstad.se/vigsel.")


def test_lix_of_a_text_counted_by_hand():
    assert lix(KNOWN) == 22.7


def test_abbreviations_do_not_end_sentences_or_split_words():
    assert len(split_sentences(KNOWN)) == 4
    assert "t.ex." in words(KNOWN) and "bl.a." in words(KNOWN)
    assert len(split_sentences("Ta med t.ex. mobilen, dvs. din telefon. Sedan är du klar.")) == 2


def test_hyphenated_words_are_one_word_and_links_are_not_counted():
    assert words("Använd e-tjänsten på https://exempel.se/e-tjanst nu") == ["Använd", "e-tjänsten", "på", "nu"]
    # "e-tjänsten" has nine letters and counts as one long word: 2 words, 1 sentence, 1 long
    assert lix("Prova e-tjänsten.") == pytest.approx(2 / 1 + 100 * 1 / 2)


def test_a_harder_text_counted_by_hand():
    text = ("Kommunfullmäktige beslutade om digitaliseringsstrategin. "
            "Handläggningstiderna förväntas minska avsevärt.")
    # 8 words, 2 sentences; long (> 6 letters): Kommunfullmäktige, beslutade, digitaliseringsstrategin,
    # Handläggningstiderna, förväntas, avsevärt = 6 ("minska" has six) -> 8/2 + 100*6/8 = 4 + 75 = 79.0
    assert lix(text) == 79.0 and render(lix_band(lix(text)), "sv") == "mycket svår"


@pytest.mark.parametrize("value,band", [(25, "mycket lättläst"), (35, "lättläst"), (45, "medelsvår"),
                                        (55, "svår"), (60, "mycket svår")])
def test_bands(value, band):
    assert render(lix_band(value), "sv") == band


def test_klarsprak_hints():
    long = " ".join(["ord"] * 25) + "."
    r = analyse(f"Ansökan behandlas och beslut fattas inom två veckor. {long}")
    joined = " ".join(render(h, "sv") for h in r.hints)
    assert "fler än 20 ord" in joined and "behandlas" in joined and "\"du\"" in joined
    assert "One sentence has more than 20 words" in " ".join(render(h, "en") for h in r.hints)
    assert analyse("Du bokar tiden själv.").hints == ()


def test_deponent_verbs_are_not_passive():
    assert analyse("Du ser om något saknas.").hints == ()
