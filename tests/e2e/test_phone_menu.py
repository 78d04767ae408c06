"""The menu on a phone (issue 12, item 8): on a 390×844 screen the header and menu take less than a quarter of
the height until the menu button is used; the button is a real button with aria-expanded, works from the
keyboard, and Escape closes the menu again."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

WIDTH, HEIGHT = 390, 844


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_header_and_menu_fold_on_a_phone_and_open_from_the_keyboard(phone):
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi en Vechtstreek", OrganisationType.ZVH)
    make_user(house, Role.PROCESREGISSEUR, username="regisseur")
    login(phone, "regisseur")

    button = phone.get_by_role("button", name="Menu")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    nav = phone.get_by_role("navigation", name="Hoofdmenu")
    expect(nav).to_be_hidden()
    header = phone.locator("header.tafel-header").bounding_box()
    assert header["y"] + header["height"] < HEIGHT / 4, header

    # From the keyboard: focus the button, Enter opens, the menu's links are reachable, Escape closes.
    button.focus()
    phone.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Werkvoorraad")).to_be_visible()
    expect(phone.get_by_role("button", name="Uitloggen")).to_be_visible()
    nav.get_by_role("link", name="Casussen").focus()
    phone.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()

    # Following a link from the open menu lands on a page with the menu folded again.
    button.click()
    nav.get_by_role("link", name="Casussen").click()
    phone.wait_for_url("**/casussen/**")
    expect(phone.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")


def test_wide_screens_show_the_menu_without_a_button(page):
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_org, make_user

    house = make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    make_user(house, Role.PROCESREGISSEUR, username="regisseur")
    login(page, "regisseur")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
