"""Cleaning on small HTML and strings: noise goes, every article paragraph stays."""

import re
import sys

import pytest

from crawler.extract import extract_article
from crawler.extract.clean import clean_paragraphs, is_boilerplate

PARAS = [
    "The city council approved a plan on Monday to replace every streetlight with LED fittings by 2028, "
    "a project officials say will halve the energy bill for public lighting.",
    "Engineers will start in the northern districts, where the oldest lamps were installed in the 1970s "
    "and fail most often during winter storms.",
    "Residents asked for warmer light colours after complaints about glare in a pilot street last year, "
    "and the council agreed to test three options before ordering in bulk.",
    "The contract will be tendered in the spring, with the first installations expected before the "
    "end of the year if the budget is confirmed.",
]
TITLE = "Council votes to switch all streetlights to LED"


def seed_like_page() -> str:
    p = [f"<p>{x}</p>" for x in PARAS]
    return (
        f"<html><head><title>{TITLE} | Daily</title></head><body>"
        f'<div class="print-title">{TITLE}</div><article><h1>{TITLE}</h1><h2>{TITLE}</h2>'
        f"<p><b>{TITLE}</b></p>{p[0]}{p[1]}"
        '<div><a href="https://clickbait.example/x"><h3>This Actor Won the Award For Best Smile - '
        "Here's How</h3></a><p>The clip went viral with everyone sharing it.</p></div>"
        f'{p[2]}<div class="ad-promo">Advertisement</div>{p[3]}'
        "<p>Related news</p></article></body></html>"
    )


def test_seed_like_page_keeps_every_paragraph_and_no_noise() -> None:
    art = extract_article(seed_like_page(), url="https://daily.example/2026/03/leds.html")
    assert art.title == TITLE
    assert art.text.split("\n") == PARAS


def test_clean_paragraphs_drops_headline_repeats_and_boilerplate() -> None:
    lines = [
        TITLE,
        TITLE.upper() + ".",
        "Real text one.",
        "Share this article",
        "Real text one.",
        "Real text two.",
        "Follow us on Mastodon",
        "© 2026 Daily Ltd.",
    ]
    assert clean_paragraphs(lines, TITLE) == ["Real text one.", "Real text two."]


def test_boilerplate_is_short_lines_only() -> None:
    assert is_boilerplate("Share this article")
    assert is_boilerplate("By Ann Lee and Bo Chen")
    assert not is_boilerplate(
        "Share this news from the region suggests that the council has been discussing this for years"
        " and that many residents support the plan, though some worry about costs."
    )


@pytest.mark.parametrize(
    "line",
    [
        "28.4.2023",
        "18:41 Uhr",
        "2026-03-03, 10:00",
        "Stand: 22.04.2024, 06:00 Uhr",
        "3 Min Lesezeit",
        "5 min read",
        "Reading time: 4 minutes",
        "This material may not be published or redistributed. ©2026 Daily Ltd. All rights reserved.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Our articles may not be reproduced without written permission.",
        "If you enjoyed this article, we have an offer for you: join our members for a year.",
        "Join our forums to keep talking trains, timetables and more!",
        "Listen to Morning Report live at 7:00 weekdays, or listen back here.",
        "Jetzt abonnieren und alle Artikel lesen.",
        "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns mit einer Spende.",
        "Folgst du schon dem Tagblatt auf Whatsapp?",
        "Reporting by Ann Lee in Leeds; Editing by Bo Chen",
        "Redaktion: Jana Roth, Max Muster",
        "Sendung: Abendschau, 24.04.2024, 19:30 Uhr",
        "Erstellt: 28.04.2026, 18:16 Uhr",
        "Actualizado a las 20:56h.",
        "Uppdaterad 15.59 | Publicerad 14.14",
        "Up next",
        "—Associated Press writer Jo Lee in Paris contributed to this report.",
        "This article first appeared in The Weekly.",
        "Dieser Artikel ist zuerst bei Capital erschienen.",
        "Anzeige",
        "August 26, 2026",
        "26 August 2026, 10:15",
        "Publicité",
        "Publiziert: 01.07.2026, 11:16",
        "Last updated: 12 minutes ago",
        "First published on Tue 3 Mar 2026 10.00 GMT",
        "Tuesday 3 March 2026 10.00 GMT",
        "Mar 3, 2026, 10:00 AM EST",
        "– additional reporting by Jo Lee",
        "With reporting by Associated Press writer Jo Lee",
        "Got a story? Get in touch with our news team at news@example.com.",
        "Do you have a story to tell? Email: jo.lee@example.com",
        "この記事は会員限定です。",
        "有料会員になると、会員限定の記事をすべてお読みいただけます。",
        "Follow the Daily on Instagram and Facebook for the latest news.",
        "Alles aus der Stadt: Abonniere den WhatsApp-Kanal des Tagblatts.",
        # a date and a clock time beside it among other furniture: a dateline
        "Von dpa 30.04.2026, 18:58",
        "Do 25.04.26 | 14:07 Uhr | Von Jana Roth",
        "17:41 JST, October 13, 2026",
        "11.07.2026, 09:30 UhrStuttgart",
        "Abendschau, 03.01.2026, 12:30 Uhr",
        # the translation's credit and notice
        "Translated from the French by Ann Lee",
        "Aus dem Englischen von Jan Roth",
        "Übersetzung: Ann Lee, Redaktion: Bo Chen",
        "This article is a translation of a story first published in Le Courrier.",
        "Dies ist eine maschinelle Übersetzung eines Artikels unserer US-Kollegen.",
        "Read the original article in English here.",
        # rights notices in other words
        "Copyright: Harbour Post Media, 2026",
        "This document is subject to copyright. Apart from any fair dealing for study, no",
        "part may be reproduced without the written permission. Content is for information only.",
        "No part of this page may be reproduced without the written permission of the Post.",
    ],
)
def test_datelines_reading_times_and_rights_notices_are_boilerplate(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Stand up for the 12 workers, the union told its members on Monday.",
        "In 2023 the town grew by 4.5 per cent.",
        "The trains left at 18:41 and arrived an hour late.",
        "Joining our reporters on the night shift, the minister listened to drivers.",
        "If you enjoy cycling, the new path runs for twelve kilometres along the river.",
        "Reporting by the local paper first raised the alarm about the bridge in 2019.",
        "Three councils contributed to the report, which was published at 10:00 on Monday.",
        "Residents can email help@council.example to book a slot at the depot.",
        # court reporting: one forbidden use, no notice
        "The names of the two boys may not be published under a court order, the judge said.",
        "Updated in 2019, the law still fails renters, campaigners say.",  # a year, no dateline
        "クラブは会員限定のイベントを来月開くと発表した。",  # a members-only event is news
        "Meta, which owns WhatsApp and Instagram, said it would follow the ruling.",  # asks nothing
        "The first boat leaves the quay at 23:30 on Friday 7 August 2026.",  # a sentence
        "30.04.2026 ~ OPEN RUN",  # a date, and no clock time beside it
        "Translated by volunteers, the leaflets go out to every house on Monday.",  # no credit
        "The translation of the report into six languages cost 4,000 euros.",
        "The timetable may be copied and shared freely by hotels on the island.",
    ],
)
def test_sentences_with_dates_and_times_are_not(line: str) -> None:
    assert not is_boilerplate(line)


def test_a_short_last_line_ending_in_a_colon_goes_but_not_one_in_the_middle() -> None:
    lines = ["Real text one.", "The mayor said:", "Real text two.", "More on this on the radio:"]
    assert clean_paragraphs(lines, TITLE) == lines[:3]


def test_bare_labels_at_the_end_go_but_not_data_a_sign_off_or_a_subheading() -> None:
    lines = [
        "Real text one.",
        "Partner picks",
        "Real text two.",
        "Related topics",
        "関連キーワード",
    ]
    assert clean_paragraphs(lines, TITLE) == lines[:3]
    tickets = ["Real text one.", "Box office", "Tickets 020 7946 0000"]
    assert clean_paragraphs(tickets, TITLE) == tickets
    signed = ["Real text one.", "Ann Leecitydesk"]
    assert clean_paragraphs(signed, TITLE, ["Ann Lee"]) == signed
    assert clean_paragraphs(signed, TITLE) == signed[:1]


def test_a_list_of_short_items_or_a_thin_pages_one_line_is_no_leftover_heading() -> None:
    recipe = ["You will need three things.", "Coarse salt", "Black pepper", "Olive oil"]
    assert clean_paragraphs(recipe, TITLE) == recipe
    assert clean_paragraphs(["Half a para"], TITLE) == ["Half a para"]
    assert clean_paragraphs(["Real text one.", "More on this:"], TITLE) == ["Real text one."]


def test_a_bio_that_opens_with_the_authors_work_goes_at_the_end_only() -> None:
    book = "Ann Lee's latest book, The Long Line, is out now. Follow her on Mastodon."
    lines = ["Real text one.", "Ann Lee's reporting trip was paid for by the paper.", book]
    assert clean_paragraphs(lines, TITLE, ["Ann Lee"]) == lines[:2]


def test_the_heading_over_a_bio_goes_with_the_bio() -> None:
    # Left over once the bio under it went: the story's last line on some renderings of a
    # page (the unseen publishers' second family), and a version each time it came and went.
    bio = "Ann Lee covers transport for the paper and has reported from the harbour since 2019."
    lines = ["Real text one.", "Real text two.", "About the author", bio]
    assert clean_paragraphs(lines, TITLE, ["Ann Lee"]) == lines[:2]
    replies = [*lines, "Responses", "Bo Chen replied:", "Good to see this."]
    assert clean_paragraphs(replies, TITLE, ["Ann Lee"]) == lines[:2]
    no_bio = ["Real text one.", "Real text two.", "About the author", "She was born here."]
    assert clean_paragraphs(no_bio, TITLE, ["Ann Lee"]) == no_bio  # a subheading over text


def test_a_list_of_sources_under_the_story_goes() -> None:
    lines = ["Real text one.", "Sources:", "Council minutes, 3 March", "Interviews with residents"]
    assert clean_paragraphs(lines, TITLE) == lines[:1]


def test_a_pointer_with_its_label_in_bold_and_no_colon_goes() -> None:
    lines = [
        "Real text one.",
        "Read more Harbour car park charges to double in summer",
        "SEE ALSO Lifeboat crew rescues two kayakers",
        "Read next → New bus links the ferry to the station",
        "Read more about the plan in the council's minutes, which were published on Monday.",
        "See also the note below.",
    ]
    assert clean_paragraphs(lines, TITLE) == [lines[0], *lines[4:]]


def test_a_reply_opens_the_comments_but_a_story_saying_replied_does_not() -> None:
    story = ["Real text one.", "Ann Lee replied that the plan was 20 years old.", "Real text two."]
    assert clean_paragraphs(story, TITLE) == story
    for opener in (
        "Dot Fenwick replied:",
        "Dot Fenwick replied 3h ago",
        "mike_r replied on 14/11/2026",
    ):
        lines = ["Real text one.", opener, "So glad to see this.", "harbour_lad replied:", "No."]
        assert clean_paragraphs(lines, TITLE) == lines[:1]


# Lines the gated notices must read as their plain patterns do: notices in several cases
# and languages, and prose that names their words without being one.
GATE_LINES = [
    "We use cookies to improve your experience. COOKIE SETTINGS",
    "This website uses cookies.",
    "Cookies help us deliver our services; by using them you agree.",
    "The bakery sold 400 cookies on Saturday, its owner said.",
    "We may earn a commission when you buy through links on our site.",
    "This post contains affiliate links.",
    "The commission will report to parliament in May.",
    "Sign up for our NEWSLETTER and get the day's news first.",
    "Abonnieren Sie unseren Newsletter.",
    "Inscrivez-vous à notre newsletter.",
    "The newsletter, which she founded in 2019, has 40,000 readers.",
    "© 2026 Harbour Post Media. ALL RIGHTS RESERVED.",
    "ⓒ Harbour Post",
    "Alle Rechte vorbehalten.",
    "Tous droits réservés.",
    "Todos los derechos reservados.",
    "Tutti i diritti riservati.",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "No part of this page may be reproduced without the written permission of the Post.",
    "The names may not be published, the judge said, and the rights of the boys come first.",
    "Never miss a story: SUBSCRIBE to our daily email.",
    "Get the morning briefing in your inbox.",
    "Readers who subscribe to its newsletter get it on Fridays.",
    "Got a story? Get in touch at news@harbour.example",
    "Tips: desk@harbour.example",
    "She wrote to the mayor at mayor@harbour.example last week.",
    "Follow Harbour Post on WhatsApp and Instagram.",
    "Abonniere den WhatsApp-Kanal der Post. Hier geht es zur neuen News-App",
    "Meta, which owns WhatsApp and Instagram, said it would follow the ruling.",
    # letters that fold to ASCII ones only in a case-blind search (ſ, ı, İ, the Kelvin sign)
    "Sign up for our Newſletter.",
    "We uſe cookies.",
    "Şubscrıbe to our daily emaİl",
    "FOLLOW US ON TIKTOK",
]


def test_gated_notices_match_exactly_what_their_patterns_match() -> None:
    from crawler.extract import clean

    gated = [p for p in vars(clean).values() if isinstance(p, clean._Gated)]
    assert len(gated) == 6
    for notice in gated:
        found = [bool(notice.pattern.search(line)) for line in GATE_LINES]
        assert any(found)  # the lines test something
        assert not all(found)
        assert [bool(notice.search(line, clean.folded(line))) for line in GATE_LINES] == found


def test_folding_finds_a_gate_word_wherever_a_case_blind_search_does() -> None:
    """Every character of Unicode that ``re.IGNORECASE`` takes for a character of a gate's
    words is folded to exactly that character, so a word found by the pattern is in the
    folded line (the gate never turns away a line its pattern matches)."""
    from crawler.extract import clean

    gated = [p for p in vars(clean).values() if isinstance(p, clean._Gated)]
    chars = {c for notice in gated for word in notice.needs for c in word}
    assert all(word == clean.folded(word) for notice in gated for word in notice.needs)
    any_of = re.compile("[" + re.escape("".join(sorted(chars))) + "]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        if any_of.fullmatch(found := chr(code)):
            for c in chars:
                if re.fullmatch(re.escape(c), found, re.IGNORECASE):
                    assert clean.folded(found) == c, (hex(code), c)


@pytest.mark.parametrize(
    ("bio", "author"),
    [
        ("— ANN LEE is the paper's transport reporter.", "Ann Lee"),  # any case, after a dash
        ("After ten years in Leeds, Ann Lee covers the courts.", "Ann Lee"),  # a clause first
        ("@ann lee (she/her) writes about rail.", "@ann lee"),  # a name opening with a sign
        ("Ann Lee, the paper's rail reporter, lives in Dale.", "  Ann Lee "),
    ],
)
def test_a_bio_names_its_author_after_opening_signs_or_a_clause_in_any_case(
    bio: str, author: str
) -> None:
    lines = ["Real text one.", "Real text two.", bio]
    assert clean_paragraphs(lines, TITLE, [author]) == lines[:2]
    assert clean_paragraphs(lines, TITLE, ["Bo Chen"]) == lines  # another's name: no bio
