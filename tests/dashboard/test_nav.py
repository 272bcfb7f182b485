"""The page shell: the phone menu button, the favicon, the scoped sign-in button, and the
status labels staff read, marked for translation."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.utils.functional import Promise

from orders.models import EventKind, LocalState, Markup, RefillStatus, Status

pytestmark = pytest.mark.django_db


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_menu_button_starts_closed_and_names_the_menu_it_controls(staff_client):
    html = html_of(staff_client, "/")
    button = re.search(r'<button type="button" class="nav-toggle"[^>]*>', html)
    assert button, "no menu button in the top bar"
    assert 'aria-expanded="false"' in button.group(0)
    controls = re.search(r'aria-controls="([^"]+)"', button.group(0)).group(1)
    menu = html[html.index(f'id="{controls}"') :]
    assert menu.index('<nav class="mainnav"') < menu.index("Sign out")


def test_the_menu_script_is_served_from_static_and_runs_before_the_first_paint(staff_client):
    html = html_of(staff_client, "/")
    head = html[: html.index("</head>")]
    tag = re.search(r'<script src="/static/js/nav\.js"[^>]*>', head)
    assert tag and "defer" not in tag.group(0) and "async" not in tag.group(0)
    assert finders.find("js/nav.js")


@pytest.mark.parametrize("url", ["/", "/login/"])
def test_every_page_links_the_svg_favicon(client, staff_user, url):
    if url == "/":
        client.force_login(staff_user)
    html = html_of(client, url)
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html


def test_the_favicon_is_a_small_svg():
    path = finders.find("img/favicon.svg")
    assert path
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 32 32"


def css_rules(text: str) -> list[tuple[str, str]]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [(m[1].strip(), m[2]) for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", text)]


def test_only_the_sign_in_card_stretches_its_primary_button():
    css = Path(finders.find("css/app.css")).read_text(encoding="utf-8")
    stretching = [
        selector
        for selector, body in css_rules(css)
        if ".primary" in selector and re.search(r"(?<![-\w])width:\s*100%", body)
    ]
    assert stretching, "the sign-in button lost its full width"
    for selector in stretching:
        for part in selector.split(","):
            assert part.strip().startswith(".auth-card "), part


LABELS = {
    LocalState: ["Queued", "Submitting", "Placed", "Rejected", "Unverified", "Not placed"],
    Status: [
        "Pending",
        "In progress",
        "Processing",
        "Completed",
        "Partial",
        "Canceled",
        "Refunded",
        "Failed",
        "Unknown",
    ],
    RefillStatus: [
        "Requested",
        "Pending",
        "In progress",
        "Completed",
        "Rejected",
        "Canceled",
        "Error",
        "Refused",
        "Unknown",
    ],
    EventKind: [
        "Queued",
        "Placed",
        "Rejected",
        "Unverified",
        "Retry scheduled",
        "Status changed",
        "Refill",
        "Cancel",
        "Staff action",
        "Anomaly",
        "Error",
    ],
    Markup: ["Percent", "Fixed per 1000"],
}


@pytest.mark.parametrize("choices", LABELS, ids=lambda c: c.__name__)
def test_status_labels_are_marked_for_translation_and_read_as_before(choices):
    assert all(isinstance(member.label, Promise) for member in choices)
    assert [str(member.label) for member in choices] == LABELS[choices]


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/", "Home"),
        ("/orders/", "Orders"),
        ("/orders/new/", "New order"),
        ("/orders/mass/", "Mass order"),
        ("/catalogue/", "Catalogue"),
    ],
)
def test_the_nav_marks_exactly_one_item_as_the_current_page(client_as, admin_user, url, current):
    html = html_of(client_as(admin_user), url)
    nav = html[html.index('<nav class="mainnav"') : html.index("</nav>")]
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == [current]
