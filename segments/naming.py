"""Names and descriptions for segments, derived from each profile and returned as messages.

Nothing here is a finished sentence: a name is a `Msg` such as `segname.post(stage=seniors,
phrase=prefer_paper)`, worded through the catalogue as "Seniorer som föredrar papper" or
"Seniors who prefer paper". Plans and drafts carry the Swedish wording as the segment's name
(`Segment.name`) until the officer renames it; the pages show the message in their language.
"""

from __future__ import annotations

from common.messages import ListOf, Msg, Num, Pct, render

from .profile import Habits, Profile, Trait

__all__ = ["NAME_LANG", "describe", "label_of", "name_segments", "trait_text"]

NAME_LANG = "sv"  # the language of the name plans and drafts carry (`Segment.name`)


def label_of(field: str, value: str) -> Msg:
    """A group label for an answer: 'kvinnor', 'har BankID', 'sambo/gift'."""
    return Msg(f"label.{field}") if value == "true" else Msg(f"label.{field}.{value}")


def trait_text(t: Trait) -> Msg:
    """'har BankID: 61 % (alla: 45 %)'."""
    return Msg("trait.text", label=label_of(t.field, t.value), share=Pct(t.share), everyone=Pct(t.population_share))


def _life_stage(p: Profile) -> str:
    occ = p.shares.get("occupation", {})
    hh = p.shares.get("household", {})
    if p.age_median >= 80:
        return "older_seniors"
    if occ.get("retired", 0) >= 0.5 or p.age_median >= 66:
        return "seniors"
    if occ.get("student", 0) >= 0.4:
        return "students"
    if hh.get("family_with_children", 0) + hh.get("single_parent", 0) >= 0.5:
        return "families"
    if occ.get("unemployed", 0) >= 0.4:
        return "jobseekers"
    if p.age_median < 30:
        return "young_adults"
    if occ.get("working", 0) >= 0.5:
        return "working"
    return "adults" if p.age_median < 65 else "seniors"


def _digital_phrase(p: Profile, pop: Habits) -> tuple[str, str]:
    """(position, phrase key): 'pre' phrases go before the noun, 'post' after it."""
    h = p.habits
    if (h.daily_internet is not None and h.daily_internet < 0.5) or (h.paper is not None and h.paper >= 0.6):
        return "post", "prefer_paper"
    if h.bankid is not None and h.bankid < 0.6:
        return "post", "without_bankid"
    if h.eservice_mean is not None and pop.eservice_mean and h.eservice_mean >= 1.3 * pop.eservice_mean:
        return "pre", "digitally_confident"
    if h.eservice_mean is not None and pop.eservice_mean and h.eservice_mean <= 0.7 * pop.eservice_mean:
        return "post", "rare_eservices"
    if h.facebook is not None and pop.facebook and h.facebook >= 1.25 * pop.facebook and h.facebook >= 0.5:
        return "post", "on_facebook"
    return "none", ""


def _base_name(p: Profile, pop: Habits) -> Msg:
    stage = _life_stage(p)
    position, phrase = _digital_phrase(p, pop)
    if position == "pre":  # the phrase starts the name, so the noun is written in lower case
        return Msg("segname.pre", stage=Msg(f"stage.{stage}.lower"), phrase=Msg(f"phrase.{phrase}"))
    if position == "post":
        return Msg("segname.post", stage=Msg(f"stage.{stage}"), phrase=Msg(f"phrase.{phrase}"))
    return Msg("segname.plain", stage=Msg(f"stage.{stage}"))


def _main_age_band(p: Profile) -> str:
    return max(p.age_bands.items(), key=lambda kv: (kv[1], kv[0]))[0] if p.age_bands else ""


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
        labels = {sid: [label_of(t.field, t.value) for t in profiles[sid].traits] for sid in sids}
        for sid in sids:
            others = {lab for o in sids if o != sid for lab in labels[o][:1]}
            own = next((lab for lab in labels[sid]
                        if lab not in others and render(lab, NAME_LANG).lower() not in base_sv), None)
            names[sid] = (Msg("segname.with", base=base, label=own) if own
                          else Msg("segname.with_age", base=base, band=_main_age_band(profiles[sid])))
    seen: dict[Msg, int] = {}
    for sid in sorted(names):
        n = names[sid]
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[sid] = Msg("segname.numbered", base=n, number=seen[n])
    return names


def describe(p: Profile, pop: Habits) -> Msg:
    """Up to three sentences a communications officer can read aloud."""
    sentences = [Msg("describe.size", persons=Num(p.size), share=Pct(p.share), band=_main_age_band(p),
                     median=int(p.age_median))]
    if p.traits:
        t = p.traits[0]
        sentences.append(Msg("describe.trait", share=Pct(t.share), phrase=Msg(
            f"trait.{t.field}" if t.value == "true" else f"trait.{t.field}.{t.value}"),
            everyone=Pct(t.population_share)))
    h = p.habits
    parts = [Msg(f"habit.{key}", share=Pct(value)) for key, value in (
        ("daily_internet", h.daily_internet), ("bankid", h.bankid), ("facebook", h.facebook), ("paper", h.paper))
        if value is not None]
    uses = {} if h.eservice_mean is None or pop.eservice_mean is None else {
        "uses": Num(h.eservice_mean, 1), "everyone": Num(pop.eservice_mean, 1)}
    if parts:
        sentences.append(Msg("describe.habits_uses" if uses else "describe.habits", parts=ListOf(tuple(parts)),
                             **uses))
    elif uses:
        sentences.append(Msg("describe.uses", **uses))
    return Msg(f"describe.{len(sentences)}", **{f"s{i + 1}": s for i, s in enumerate(sentences)})
