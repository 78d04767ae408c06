"""Parts of the case page (`cases/case_detail.html`) written in Python (issue 14 item 3: the case page's CPU).

Through the template every value of a row costs a variable look-up and every `{% if %}` a node; the case page's
lists and each aanmelding's content came to some 150 template nodes per page. Each tag here writes exactly what
a template writes, and that template stays the definition of the markup: `cases/_organisation_rows.html`,
`_person_rows.html`, `_history_rows.html`, `_triage_panels.html` (each the loop cut out of the case page) and
`_aanmelding_content.html` (still included by the triage and aanmelding pages).
`tafel/cases/tests/test_case_page_tags.py` renders both for every branch, in Dutch and English, with values
that must be escaped, and requires identical HTML. Every value goes through `tafel_render.text`, which is
`render_value_in_context` as `{{ }}` uses it (escaped unless already safe); the texts of the page are the
`{% translate %}` tag's (`translator`), the links the `{% url %}` tag's (`url_maker`).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from tafel.core.dates import format_date
from tafel.core.templatetags.tafel_render import text, translator, url_maker

register = template.Library()


def _escaper(context):
    def esc(value) -> str:
        """`{{ value }}`."""
        return text(value, context)

    return esc


def _filtered(value, context, flt) -> str:
    """`{{ value|linebreaks }}` or `{{ value|linebreaksbr }}`: the filter escapes its input under autoescape."""
    return text(flt(value, autoescape=context.autoescape), context)


@register.simple_tag(takes_context=True)
def organisation_rows(context, organisations, case, may_manage, partner_error):
    """The rows of the case page's organisations table (`cases/_organisation_rows.html`)."""
    translated = translator()
    esc = _escaper(context)
    partner_url = url_maker(context, "cases:participation_partner")
    remove_url = url_maker(context, "cases:participation_remove")
    out = []
    for co in organisations:
        org_id = co.organisation_id
        partner = ""
        if may_manage and co.kind == "melder":
            failed = bool(partner_error) and partner_error[0] == org_id
            oid = esc(org_id)
            error = (
                f'<p class="utrecht-form-field-error-message tafel-error-message" id="partner-reason-{oid}-error">'
                f"{esc(partner_error[1])}</p>"
                if failed
                else ""
            )
            invalid = f' aria-invalid="true" aria-describedby="partner-reason-{oid}-error"' if failed else ""
            partner = (
                f'\n            <details class="tafel-details"{" open" if failed else ""}>\n'
                f'              <summary class="tafel-details__summary">{translated("Partner maken")}</summary>\n'
                f'              <form method="post" action="{partner_url(case.pk, org_id)}" class="tafel-form" '
                "novalidate>\n"
                f"                {CsrfTokenNode().render(context)}\n"
                '                <p class="utrecht-paragraph">'
                + translated(
                    "Als partner leest deze organisatie de inhoud van de casus (volgens de regels per "
                    "informatiecategorie). Als melder ziet zij alleen haar eigen melding en de terugkoppeling."
                )
                + "</p>\n"
                '                <div class="utrecht-form-field">\n'
                f'                  <label class="utrecht-form-label" for="partner-reason-{oid}">'
                f"{translated('Reden')}</label>\n"
                f"                  {error}\n"
                f'                  <input type="text" name="reason" maxlength="300" id="partner-reason-{oid}" '
                f'class="utrecht-textbox"{invalid}>\n'
                "                </div>\n"
                '                <div class="tafel-actions"><button type="submit" class="utrecht-button '
                f'utrecht-button--secondary-action">{translated("Partner maken")}</button></div>\n'
                "              </form>\n"
                "            </details>\n          "
            )
        remove = (
            f' <a class="utrecht-link utrecht-link--html-a" href="{remove_url(case.pk, org_id)}">'
            f"{translated('Uit de casus halen')}</a>"
            if may_manage and co.organisation.type != "zvh"
            else ""
        )
        out.append(
            '\n      <tr class="utrecht-table__row">\n'
            f'        <th scope="row" class="utrecht-table__header-cell">{esc(co.organisation)}</th>\n'
            f'        <td class="utrecht-table__cell">{esc(co.organisation.get_type_display())}</td>\n'
            '        <td class="utrecht-table__cell">\n'
            f"          {esc(co.get_kind_display())}\n"
            f"          {partner}\n"
            "        </td>\n"
            f'        <td class="utrecht-table__cell tafel-nowrap">{esc(format_date(co.added_at))}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(co.reason or "—")}{remove}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would


_H3 = '<h3 class="utrecht-heading-3 tafel-subheading">'


@register.simple_tag(takes_context=True)
def aanmelding_content(context, a, persons):
    """What `{% include "cases/_aanmelding_content.html" with a=a persons=persons %}` writes: an aanmelding's
    content (`hide_request` is read from the page's context, as the include does)."""
    translated = translator()
    esc = _escaper(context)

    def paragraphs(value) -> str:
        return _filtered(value, context, linebreaks_filter)

    def lines(value) -> str:
        return _filtered(value, context, linebreaksbr)

    origin = f" — {esc(a.origin)}" if a.origin else ""
    if a.desired_response_days is not None:
        days = a.desired_response_days
        # {% blocktranslate count days=... %}: the number, as `{{ }}` writes it, put into the chosen form.
        response = ngettext("%(days)s dag", "%(days)s dagen", days) % {"days": esc(days)}
    else:
        response = "—"
    if a.client_knows:
        knows = translated("Ja")
    else:
        reason = f": {esc(a.client_knows_reason)}" if a.client_knows_reason else ""
        knows = f"{translated('Nee')}{reason}"
    people = []
    for ap in persons:
        person = ap.person
        born = f", {translated('geboren')} {esc(format_date(person.date_of_birth))}" if person.date_of_birth else ""
        masked = person.bsn_masked  # decrypts the BSN: once
        bsn = f", {translated('BSN')} {esc(masked)}" if masked else ""
        view = (
            f'<p class="utrecht-paragraph"><span class="tafel-label-inline">{translated("Eigen visie en wensen:")}'
            f"</span> {lines(ap.own_view)}</p>"
            if ap.own_view
            else ""
        )
        people.append(
            '\n    <li class="tafel-person-summary">\n'
            f"      <strong>{esc(person.full_name)}</strong> — {esc(ap.get_role_display())}{born}{bsn}\n"
            f"      {view}\n"
            "    </li>\n  "
        )
    if not people:
        people.append("\n    <li>—</li>\n  ")
    out = [
        '\n<dl class="tafel-dl">\n'
        f"  <div><dt>{translated('Ingediend')}</dt><dd>{esc(format_date(a.created_at, with_time=True))}</dd></div>\n"
        f"  <div><dt>{translated('Aangeleverd door')}</dt><dd>{esc(a.supplied_by_org)} ({esc(a.created_by)})"
        "</dd></div>\n"
        f"  <div><dt>{translated('Instroomroute')}</dt><dd>{esc(a.get_route_display())}{origin}</dd></div>\n"
        f"  <div><dt>{translated('Urgentie')}</dt><dd>{esc(a.get_urgency_display())}</dd></div>\n"
        f"  <div><dt>{translated('Gewenste responstermijn')}</dt><dd>{response}</dd></div>\n"
        f"  <div><dt>{translated('Cliënt weet van de aanmelding')}</dt><dd>{knows}</dd></div>\n"
        "</dl>\n\n"
        f"{_H3}{translated('Personen')}</h3>\n"
        '<ul class="tafel-plain-list">\n'
        f"  {''.join(people)}\n"
        "</ul>\n\n"
        f"{_H3}{translated('Reden van aanmelding')}</h3>\n"
        f'<div class="tafel-text">{paragraphs(a.reason)}</div>\n'
        f"{_H3}{translated('Samenvattende analyse')}</h3>\n"
        f'<div class="tafel-text">{paragraphs(a.summary)}</div>\n'
    ]
    if a.household:
        out.append(
            f"{_H3}{translated('Gezinssamenstelling en systeem')}</h3>"
            f'<div class="tafel-text">{paragraphs(a.household)}</div>'
        )
    out.append("\n")
    if a.life_domain_items:
        domains = "".join(
            f"<div><dt>{esc(label)}</dt><dd>{lines(text)}</dd></div>" for label, text in a.life_domain_items
        )
        out.append(f'\n  {_H3}{translated("Leefgebieden")}</h3>\n  <dl class="tafel-dl">\n    {domains}\n  </dl>\n')
    out.append("\n")
    if a.antecedents:
        out.append(
            f"{_H3}{translated('Antecedenten en recente politiemutaties')}</h3>"
            f'<div class="tafel-text">{paragraphs(a.antecedents)}</div>'
        )
    out.append("\n")
    if a.predictive_labels or a.predictive_notes:
        labels = (
            '<ul class="utrecht-unordered-list">'
            + "".join(f'<li class="utrecht-unordered-list__item">{esc(label)}</li>' for label in a.predictive_labels)
            + "</ul>"
            if a.predictive_labels
            else ""
        )
        notes = f'<div class="tafel-text">{paragraphs(a.predictive_notes)}</div>' if a.predictive_notes else ""
        out.append(f"\n  {_H3}{translated('Voorspellende factoren')}</h3>\n  {labels}\n  {notes}\n")
    out.append("\n")
    if a.help_tried:
        out.append(
            f"{_H3}{translated('Betrokken hulp en wat is geprobeerd')}</h3>"
            f'<div class="tafel-text">{paragraphs(a.help_tried)}</div>'
        )
    out.append("\n")
    if a.info_requested and not context.get("hide_request"):
        out.append(
            f"{_H3}{translated('Gevraagde aanvullende informatie')}</h3>"
            f'<div class="tafel-text">{paragraphs(a.info_requested)}</div>'
        )
    out.append("\n")
    if a.info_supplied:
        out.append(
            f"{_H3}{translated('Aangeleverde aanvullende informatie')}</h3>"
            f'<div class="tafel-text tafel-text--supplied">{paragraphs(a.info_supplied)}</div>'
        )
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would


@register.simple_tag(takes_context=True)
def person_rows(context, persons):
    """The rows of the case page's persons table (`cases/_person_rows.html`)."""
    translated = translator()
    esc = _escaper(context)
    out = []
    for cp in persons:
        person = cp.person
        birth_name = (
            f' <span class="tafel-muted">({translated("geb.")} {esc(person.birth_last_name)})</span>'
            if person.birth_last_name
            else ""
        )
        since = (
            ' <span class="tafel-muted">('
            + gettext("sinds %(date)s") % {"date": esc(format_date(cp.role_changed_at))}
            + ")</span>"
            if cp.role_changed_at
            else ""
        )
        municipality = f", {esc(person.municipality)}" if person.municipality else ""
        born = esc(format_date(person.date_of_birth) or "—")
        out.append(
            '\n      <tr class="utrecht-table__row">\n'
            f'        <th scope="row" class="utrecht-table__header-cell">{esc(person.full_name)}{birth_name}</th>\n'
            f'        <td class="utrecht-table__cell">{esc(cp.get_role_display())}{since}</td>\n'
            f'        <td class="utrecht-table__cell tafel-nowrap">{born}</td>\n'
            f'        <td class="utrecht-table__cell tafel-nowrap">{esc(person.bsn_masked or "—")}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(person.address or "—")}{municipality}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would


@register.simple_tag(takes_context=True)
def history_rows(context, history):
    """The rows of the case page's status history (`cases/_history_rows.html`)."""
    esc = _escaper(context)
    out = []
    for change in history:
        actor = change.actor
        organisation = actor.organisation if actor is not None else None
        of = f' <span class="tafel-muted">({esc(organisation)})</span>' if organisation else ""
        out.append(
            '\n      <tr class="utrecht-table__row">\n'
            f'        <td class="utrecht-table__cell tafel-nowrap">{esc(format_date(change.at, with_time=True))}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(change.get_from_status_display() or "—")}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(change.get_to_status_display())}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(actor)}{of}</td>\n'
            f'        <td class="utrecht-table__cell">{esc(change.reason)}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would


_TRIAGE_TEXTS = (
    ("override_reason", "Reden afwijking criteria"),
    ("caseload_override_reason", "Reden overschrijding caseload"),
    ("missing_info", "Ontbrekende informatie"),
    ("feedback", "Toelichting aan aanmelder"),
)
_TH_COL = '          <th scope="col" class="utrecht-table__header-cell">'


@register.simple_tag(takes_context=True)
def triage_panels(context, triages, case, may_triage):
    """The case page's triage decisions, or the line that there is none (`cases/_triage_panels.html`)."""
    translated = translator()
    esc = _escaper(context)

    def lines(value) -> str:
        return _filtered(value, context, linebreaksbr)

    out = []
    for t in triages:
        team = ""
        if t.mode == "team":
            members = list(t.team_members.all())
            others = ""
            if t.team_others:
                others = f"{'; ' if members else ''}{esc(t.team_others)}"
            names = ", ".join(esc(m) for m in members)
            team = f"<div><dt>{translated('Triageteam')}</dt><dd>{names}{others}</dd></div>"
        lokaal = (
            f"<div><dt>{translated('Reden lokaal')}</dt><dd>{esc(t.get_lokaal_reason_display())}</dd></div>"
            if t.lokaal_reason
            else ""
        )
        texts = "".join(
            f"\n        <div><dt>{translated(label)}</dt><dd>{lines(getattr(t, name))}</dd></div>"
            if getattr(t, name)
            else "\n        "
            for name, label in _TRIAGE_TEXTS
        )
        criteria = []
        for c in t.criteria.all():
            if c.met:
                verdict = f'<span class="tafel-verdict tafel-verdict--yes">{translated("voldoet")}</span>'
            else:
                verdict = f'<span class="tafel-verdict tafel-verdict--no">{translated("voldoet niet")}</span>'
            criteria.append(
                '\n          <tr class="utrecht-table__row">\n'
                '            <th scope="row" class="utrecht-table__header-cell">'
                f"{esc(c.get_criterion_display())}</th>\n"
                f'            <td class="utrecht-table__cell tafel-nowrap">{verdict}</td>\n'
                f'            <td class="utrecht-table__cell">{lines(c.argument)}</td>\n'
                "          </tr>\n        "
            )
        out.append(
            '\n    <article class="tafel-panel">\n'
            f'      <h3 class="utrecht-heading-3">{esc(t.get_outcome_display())} <span class="tafel-muted '
            f'tafel-heading-meta">— {esc(format_date(t.decided_at, with_time=True))}</span></h3>\n'
            '      <dl class="tafel-dl">\n'
            f"        <div><dt>{translated('Besloten door')}</dt><dd>{esc(t.decided_by)}</dd></div>\n"
            f"        <div><dt>{translated('Besluitvorm')}</dt><dd>{esc(t.get_mode_display())}</dd></div>\n"
            f"        {team}\n"
            f"        {lokaal}{texts}\n"
            "      </dl>\n"
            '      <div class="utrecht-table-container tafel-table-wrap">\n'
            '      <table class="utrecht-table utrecht-table--html-table tafel-table">\n'
            '        <caption class="utrecht-table__caption tafel-visually-hidden">'
            f"{translated('Criteria')}</caption>\n"
            '        <thead class="utrecht-table__header"><tr class="utrecht-table__row">\n'
            f"{_TH_COL}{translated('Criterium')}</th>\n"
            f"{_TH_COL}{translated('Oordeel')}</th>\n"
            f"{_TH_COL}{translated('Argument')}</th>\n"
            "        </tr></thead>\n"
            '        <tbody class="utrecht-table__body">\n'
            f"        {''.join(criteria)}\n"
            "        </tbody>\n"
            "      </table>\n"
            "      </div>\n"
            "    </article>\n  "
        )
    if not out:
        link = (
            f' <a class="utrecht-link utrecht-link--html-a" href="{url_maker(context, "cases:triage")(case.pk)}">'
            f"{translated('Nu triëren')}</a>"
            if may_triage
            else ""
        )
        out.append(f'\n    <p class="utrecht-paragraph">{translated("Nog geen triagebesluit.")}{link}</p>\n  ')
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would
