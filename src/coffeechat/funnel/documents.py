"""The funnel as Markdown, for ``coffeechat funnel``: the page's tables in text."""

from __future__ import annotations

from coffeechat.funnel.results import REFERENCE_CONVERSATIONS_PER_OFFER, Funnel


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * len(header)) + " |"]
    for row in rows:
        # A target's name is the user's text: a pipe in it must not split the cell.
        lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |")
    return lines


def funnel_markdown(result: Funnel) -> str:
    window = result.window
    per_offer = result.per_offer
    lines = [
        "# Funnel",
        "",
        f"Over {window.description} ({result.time_zone}).",
        "",
        "## Stages",
        "",
        *_table(["Stage", "Count"], [[s.label, s.count] for s in result.stages]),
        "",
        "## Conversations per offer",
        "",
        (
            f"Yours, since you started: {per_offer.value:g}."
            if per_offer.value is not None
            else "Yours: no figure yet."
        ),
        "",
        per_offer.sentence,
        "",
        f"The reference: about {REFERENCE_CONVERSATIONS_PER_OFFER} informational interviews per "
        "offer, against about 200 résumés sent (K. Hansen, A Foot in the Door).",
        "",
        f"## By {window.by}",
        "",
        *_table(
            [window.by.capitalize(), *(s.label for s in result.stages)],
            [[p["short_label"], *p["counts"]] for p in result.periods],
        ),
        "",
        "## By target",
        "",
    ]
    if result.by_target:
        lines += _table(
            ["Target", "Requests sent", "Replied", "Conversations held", "Leads"]
            + ["Applications", "Formal interviews", "Offers"],
            [
                [r.name, r.requests_sent, r.replies, r.conversations_held, r.leads]
                + [r.applications, r.formal_interviews, r.offers]
                for r in result.by_target
            ],
        )
    else:
        lines.append("Nothing in this period yet.")
    lines += [
        "",
        "## By channel",
        "",
        *_table(
            ["Channel", "Requests sent", "Replied", "Reply rate", "Conversations held"],
            [
                [r.label, r.requests_sent, r.replied, _percent(r.reply_rate)]
                + [r.conversations_held]
                for r in result.by_channel
            ]
            + [["No request logged", "—", "—", "—", result.held_without_request]],
        ),
        "",
        "## Reply rate per kind of request",
        "",
        *_table(
            ["Kind", "Sent", "Replied", "Reply rate"],
            [[r.label, r.requests_sent, r.replied, _percent(r.reply_rate)] for r in result.by_kind],
        ),
    ]
    return "\n".join(lines)
