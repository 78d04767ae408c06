"""The notification bell in the header (one count query per page for a signed-in user)."""

from django import template

from tafel.lifecycle.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def sees_follow_up_dashboard(context) -> bool:
    """The follow-up overview is for everyone who works with cases (issue 11), scoped to what they may see."""
    from tafel.access.policy import sees_case_content

    request = context.get("request")
    return sees_case_content(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def case_checklist(context, case):
    """The per-case checklist on the case page (issue 12, item 6b): the page fetched the case through the
    policy already and audited the read; this adds the facts and the ticks (two queries)."""
    from tafel.lifecycle.checklist import case_checklist as build

    request = context.get("request")
    return build(viewer=request.user, case=case)


@register.simple_tag(takes_context=True)
def checklist_items(context, items, role, may_tick_roles, case):
    """The items of one group of the case page's checklist, written in Python: exactly what the loop in
    `lifecycle/_checklist_items.html` writes, which stays the definition of the markup (compared by
    `tafel/lifecycle/tests/test_checklist_items_tag.py`). Through the template each item cost some twenty
    template nodes, the checklist about a twentieth of the case page's CPU (issue 14 item 3)."""
    from django.template.defaulttags import CsrfTokenNode
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from tafel.core.dates import format_date
    from tafel.core.templatetags.tafel_render import text, translator, url_maker

    translated = translator()

    def esc(value) -> str:
        return text(value, context)

    out = []
    form_head = None
    for i in items:
        code, label = esc(i.code), esc(i.label)
        note = f": {esc(i.note)}" if i.note else ""
        # The template's `{% if %}` and `{% elif %}` branches end in a line break of their own, `{% else %}` not.
        if i.auto:
            seen = f"{translated('Tafel ziet dit in de casus')}{note}\n        "
        elif i.done:
            # {% blocktranslate with who=... date=...|datumtijd %}: the message's placeholders get escaped values.
            seen = gettext("afgevinkt door %(who)s op %(date)s") % {
                "who": esc(i.ticked_by),
                "date": esc(format_date(i.ticked_at, with_time=True)),
            }
            seen = f"{seen}{note}\n        "
        else:
            seen = translated("met de hand af te vinken")
        if i.done:
            state = f'✓ <span class="tafel-visually-hidden">{translated("gedaan:")}</span>'
        else:
            state = f'○ <span class="tafel-visually-hidden">{translated("open:")}</span>'
        form = ""
        if not i.auto and role in may_tick_roles:
            if form_head is None:
                action = url_maker(context, "lifecycle:checklist_tick")(case.pk)
                form_head = (
                    f'\n      <form method="post" action="{action}" class="tafel-meeting-inline-form">'
                    f"{CsrfTokenNode().render(context)}\n"
                )
            note_field = (
                f'<label class="tafel-visually-hidden" for="note-{code}">{translated("Toelichting")}: {label}</label>'
                f'<input class="utrecht-textbox utrecht-textbox--html-input" type="text" maxlength="500" name="note" '
                f'id="note-{code}" placeholder="{translated("toelichting (optioneel)")}">'
                if not i.done
                else ""
            )
            button = translated("Afvinken ongedaan maken") if i.done else translated("Afvinken")
            form = (
                f"{form_head}"
                f'        <input type="hidden" name="item" value="{code}">\n'
                f'        <input type="hidden" name="ticked" value="{"0" if i.done else "1"}">\n'
                f"        {note_field}\n"
                f'        <button type="submit" class="utrecht-button utrecht-button--subtle">{button}'
                f'<span class="tafel-visually-hidden">: {label}</span></button>\n'
                "      </form>\n      "
            )
        overdue = " tafel-checklist__item--overdue" if i.overdue else ""
        badge = (
            f'<span class="tafel-badge tafel-badge--hoog">{translated("over de termijn")}</span>' if i.overdue else ""
        )
        out.append(
            f'\n    <li class="tafel-checklist__item{overdue}" id="checklist-{code}">\n'
            f'      <span class="tafel-checklist__state">{state}</span>\n'
            f"      {label}\n"
            f"      {badge}\n"
            '      <br><span class="tafel-muted">\n'
            f"        {seen}\n"
            "      </span>\n"
            f"      {form}\n"
            "    </li>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped as the template would
