"""Names and descriptions for segments, derived from each profile and returned as messages.

Nothing here is a finished sentence: a name is a `Msg` such as `segname.post(stage=seniors,
phrase=prefer_paper)`, worded through the catalogue as "Seniorer som föredrar papper" or
"Seniors who prefer paper". Plans and drafts carry the Swedish wording as the segment's name
(`Segment.name`) until the officer renames it; the pages show the message in their language.
"""

from __future__ import annotations

from common.catalogue import ListOf, Msg, Num, Pct, render

from .profile import AGE_BANDS, Habits, Profile, Trait

__all__ = ["NAME_LANG", "age_span", "band_share", "describe", "label_of", "name_segments", "trait_text"]

NAME_LANG = "sv"  # the language of the name plans and drafts carry (`Segment.name`)


def label_of(field: str, value: str) -> Msg:
    """A group label for an answer: 'kvinnor', 'har BankID', 'sambo/gift'."""
    return Msg(f"label.{field}") if value == "true" else Msg(f"label.{field}.{value}")


def trait_text(t: Trait) -> Msg:
    """'har BankID: 61 % (alla: 45 %)'."""
    return Msg("trait.text", label=label_of(t.field, t.value), share=Pct(t.share), everyone=Pct(t.population_share))


def band_share(p: Profile, *labels: str) -> float:
    """The share of the segment in the named age bands (`segments.profile.AGE_BANDS` labels)."""
    return sum(p.age_bands.get(label, 0.0) for label in labels)


def _share(p: Profile, field: str, *values: str) -> float:
    return sum(p.shares.get(field, {}).get(v, 0.0) for v in values)


# Each life stage with the claim its name makes; the first that holds for at least half the
# segment names it ("Seniorer" only when at least half are 65+), otherwise the name is neutral.
_STAGES: tuple[tuple[str, object], ...] = (
    ("older_seniors", lambda p: band_share(p, "80+") >= 0.5),
    ("seniors", lambda p: band_share(p, "65–79", "80+") >= 0.5),
    ("students", lambda p: _share(p, "occupation", "student") >= 0.5
     or (p.age_median < 30 and _share(p, "occupation", "student") >= 0.3)),
    ("families", lambda p: _share(p, "household", "family_with_children", "single_parent") >= 0.5),
    ("jobseekers", lambda p: _share(p, "occupation", "unemployed") >= 0.5),
    ("young_adults", lambda p: band_share(p, "16–29") >= 0.5),
    ("working", lambda p: _share(p, "occupation", "working") >= 0.5),
)


def _life_stage(p: Profile) -> str | None:
    return next((stage for stage, holds in _STAGES if holds(p)), None)  # type: ignore[operator]


def _digital_phrase(p: Profile, pop: Habits) -> tuple[str, str]:
    """(position, phrase key): 'pre' phrases go before the noun, 'post' after it. Each phrase holds
    for most of the segment: "föredrar papper" when at least half prefer paper (or, without that
    question, at least half are not online daily); "utan BankID" when at least half lack it."""
    h = p.habits
    if (h.paper is not None and h.paper >= 0.5) or (h.paper is None and h.daily_internet is not None
                                                   and h.daily_internet < 0.5):
        return "post", "prefer_paper"
    if h.bankid is not None and h.bankid < 0.5:
        return "post", "without_bankid"
    if (h.eservice_mean is not None and pop.eservice_mean and h.eservice_mean >= 1.3 * pop.eservice_mean
            and (h.daily_internet is None or h.daily_internet >= 0.5) and (h.bankid is None or h.bankid >= 0.5)):
        return "pre", "digitally_confident"
    if (h.eservice_mean is None and h.daily_internet is not None and pop.daily_internet and h.daily_internet >= 0.7
            and h.daily_internet >= 1.2 * pop.daily_internet and (h.bankid is None or h.bankid >= 0.8)):
        return "pre", "digitally_confident"  # no e-service question: daily online and BankID, well above everyone
    if h.eservice_mean is not None and pop.eservice_mean and h.eservice_mean <= 0.7 * pop.eservice_mean:
        return "post", "rare_eservices"
    if h.facebook is not None and pop.facebook and h.facebook >= 1.25 * pop.facebook and h.facebook >= 0.5:
        return "post", "on_facebook"
    return "none", ""


def _base_name(p: Profile, pop: Habits) -> Msg:
    stage = _life_stage(p)
    position, phrase = _digital_phrase(p, pop)
    if stage is None:  # no life stage holds for most: the ages that do ("45–64 år som föredrar papper")
        band = age_span(p)
        return Msg("segname.neutral", band=band) if position == "none" else Msg(
            f"segname.neutral_{position}", band=band, phrase=Msg(f"phrase.{phrase}"))
    if position == "pre":  # the phrase starts the name, so the noun is written in lower case
        return Msg("segname.pre", stage=Msg(f"stage.{stage}.lower"), phrase=Msg(f"phrase.{phrase}"))
    if position == "post":
        return Msg("segname.post", stage=Msg(f"stage.{stage}"), phrase=Msg(f"phrase.{phrase}"))
    return Msg("segname.plain", stage=Msg(f"stage.{stage}"))


def age_span(p: Profile) -> str:
    """The narrowest run of adjacent age bands that holds at least half the segment: '45–64', '30–64', '65+'."""
    bands = [(lo, hi, label) for lo, hi, label in AGE_BANDS]
    best: tuple[int, int, int] | None = None
    for i in range(len(bands)):
        for j in range(i, len(bands)):
            if band_share(p, *(b[2] for b in bands[i:j + 1])) >= 0.5:
                width = bands[j][1] - bands[i][0]
                if best is None or width < best[0]:
                    best = (width, i, j)
                break
    if best is None:
        return ""
    lo, hi = bands[best[1]][0], bands[best[2]][1]
    return f"{lo}+" if hi >= 200 else f"{lo}–{hi}"


def name_segments(profiles: dict[int, Profile], pop: Habits) -> dict[int, Msg]:
    """Short, unique names derived from each profile.

    Where two profiles would get the same name, each gets its most distinctive trait that the
    others lack ("Yrkesverksamma, sambo/gift"), then its main age band, then a number.
    """
    names = {sid: _base_name(p, pop) for sid, p in profiles.items()}
    by_name: dict[Msg, list[int]] = {}
    for sid, n in names.items():
        by_name.setdefault(n, []).append(sid)
    for base, sids in by_name.items():
        if len(sids) < 2:
            continue
        base_sv = render(base, NAME_LANG).lower()
        labels = {sid: [label_of(t.field, t.value) for t in profiles[sid].traits if t.share >= 0.5]  # holds for most
                  for sid in sids}
        for sid in sids:
            others = {lab for o in sids if o != sid for lab in labels[o][:1]}
            own = next((lab for lab in labels[sid]
                        if lab not in others and render(lab, NAME_LANG).lower() not in base_sv), None)
            names[sid] = (Msg("segname.with", base=base, label=own) if own
                          else Msg("segname.with_age", base=base, band=age_span(profiles[sid])))
    seen: dict[Msg, int] = {}
    for sid in sorted(names):
        n = names[sid]
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[sid] = Msg("segname.numbered", base=n, number=seen[n])
    return names


TRAIT_HABIT = {("internet_use", "daily"): "daily_internet", ("has_bankid", "true"): "bankid",
               ("uses_facebook", "true"): "facebook", ("prefers_paper", "true"): "paper"}


def describe(p: Profile, pop: Habits) -> Msg:
    """Up to three sentences a communications officer can read aloud."""
    sentences = [Msg("describe.size", persons=Num(p.size), share=Pct(p.share), band=age_span(p),  # "de flesta"
                     median=int(p.age_median))]
    said = ""  # the habit the trait sentence already gives, not repeated in the list of habits
    if p.traits:
        t = p.traits[0]
        said = TRAIT_HABIT.get((t.field, t.value), "")
        sentences.append(Msg("describe.trait", share=Pct(t.share), phrase=Msg(
            f"trait.{t.field}" if t.value == "true" else f"trait.{t.field}.{t.value}"),
            everyone=Pct(t.population_share)))
    h = p.habits
    parts = [Msg(f"habit.{key}", share=Pct(value)) for key, value in (
        ("daily_internet", h.daily_internet), ("bankid", h.bankid), ("facebook", h.facebook), ("paper", h.paper))
        if value is not None and key != said]
    uses = {} if h.eservice_mean is None or pop.eservice_mean is None else {
        "uses": Num(h.eservice_mean, 1), "everyone": Num(pop.eservice_mean, 1)}
    if parts:
        sentences.append(Msg("describe.habits_uses" if uses else "describe.habits", parts=ListOf(tuple(parts)),
                             **uses))
    elif uses:
        sentences.append(Msg("describe.uses", **uses))
    return Msg(f"describe.{len(sentences)}", **{f"s{i + 1}": s for i, s in enumerate(sentences)})
