"""The new-order page: picking a service, and a form with exactly its type's fields."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.forms.placement import order_fields
from orders.upstream import ORDER_TYPES
from tests.factories import make_provider, make_service

pytestmark = pytest.mark.django_db
URL = "/orders/new/"
FIXED = {"csrfmiddlewaretoken", "service", "token"}


def form_html(page: str) -> str:
    start = page.index('id="order-form"')
    return page[start : page.index("</form>", start)]


def field_names(page: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form_html(page))
    return [name for name in names if name not in FIXED]


@pytest.fixture
def operator_client(client_as, operator):
    return client_as(operator)


def test_viewers_may_not_place_orders(client_as, viewer):
    client = client_as(viewer)
    for url in (URL, "/orders/new/services/?q=x", "/orders/new/fields/?pick=1"):
        assert client.get(url).status_code == 403
    assert client.post(URL, {"service": 1}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith("/login/")


def test_without_a_service_the_page_invites_a_search(operator_client):
    page = operator_client.get(URL).content.decode()
    assert 'name="q"' in page
    assert "Search for a service above" in page
    assert 'id="order-form"' not in page


@pytest.mark.parametrize("spec", ORDER_TYPES, ids=lambda spec: spec.name)
@pytest.mark.parametrize("dripfeed", [True, False], ids=["dripfeed", "no-dripfeed"])
def test_the_form_has_exactly_the_fields_of_the_service_type(operator_client, spec, dripfeed):
    service = make_service(type=spec.name, dripfeed=dripfeed)
    page = operator_client.get(f"{URL}?service={service.pk}").content.decode()
    expected = [f.name for f in spec.fields if dripfeed or not f.dripfeed]
    assert field_names(page) == expected
    assert [f.name for f in order_fields(spec, service)] == expected
    for field in spec.fields:
        if field.name in expected:
            assert f'<label for="id_{field.name}">{field.label}' in page


def test_the_hashtag_variants_have_their_own_fields(operator_client):
    with_hashtags = make_service(type="Mentions with Hashtags")
    hashtag = make_service(type="  mentions HASHTAG ")  # names match trimmed, any case
    page = operator_client.get(f"{URL}?service={with_hashtags.pk}").content.decode()
    assert field_names(page) == ["link", "quantity", "usernames", "hashtags"]
    page = operator_client.get(f"{URL}?service={hashtag.pk}").content.decode()
    assert field_names(page) == ["link", "quantity", "hashtag"]


def test_field_kinds_get_fitting_inputs(operator_client):
    service = make_service(type="Subscriptions")
    form = form_html(operator_client.get(f"{URL}?service={service.pk}").content.decode())
    assert re.search(r'<input type="number" name="min"[^>]*min="50"[^>]*max="10000"', form)
    assert re.search(r'<select name="delay"', form)
    assert '<option value="600">600 minutes</option>' in form
    assert re.search(r'<input type="date" name="expiry"', form)
    assert "(optional)" in form  # posts, old_posts, expiry


def test_quantity_shows_the_service_bounds(operator_client):
    service = make_service(type="Default", min_quantity=50, max_quantity=10000, dripfeed=True)
    page = operator_client.get(f"{URL}?service={service.pk}").content.decode()
    assert "Between 50 and 10,000." in page
    assert "quantity × runs is at most 10,000" in page


def test_counted_list_fields_say_how_many_lines(operator_client):
    service = make_service(type="Custom Comments", min_quantity=10, max_quantity=1500)
    page = operator_client.get(f"{URL}?service={service.pk}").content.decode()
    assert "One comment per line, 10 to 1,500 lines." in page
    assert "Add the comments, one per line, to see the cost." in page


def test_conditional_fields_say_when_they_are_needed(operator_client):
    service = make_service(type="Web Traffic")
    page = operator_client.get(f"{URL}?service={service.pk}").content.decode()
    assert "Needed when Type of traffic is Google Keyword." in page
    assert "Needed when Type of traffic is Custom Referrer." in page


def test_an_unknown_type_is_shown_but_has_no_form(operator_client):
    service = make_service(type="Custom Reactions", name="Story Reactions")
    page = operator_client.get(f"{URL}?service={service.pk}").content.decode()
    assert "Story Reactions" in page
    assert "Custom Reactions" in page
    assert "is not supported yet: this service cannot be ordered" in page
    assert 'id="order-form"' not in page
    assert "Place order" not in page


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"enabled": False}, "disabled for ordering"),
        ({"removed_at": timezone.now()}, "removed from the provider"),
    ],
)
def test_a_service_that_cannot_be_ordered_says_why(operator_client, change, why):
    service = make_service(**change)
    page = operator_client.get(f"{URL}?service={service.pk}").content.decode()
    assert why in page
    assert 'id="order-form"' not in page


def test_search_finds_services_by_name_id_and_category(operator_client):
    provider = make_provider(name="Fast Panel")
    make_service(provider, upstream_id=7001, name="TikTok Views Fast", category="TikTok")
    make_service(provider, upstream_id=7002, name="Instagram Likes", category="Instagram")
    make_service(provider, upstream_id=7003, name="Hidden", category="TikTok", enabled=False)

    def found(query):
        page = operator_client.get("/orders/new/services/", {"q": query}).content.decode()
        return re.findall(r"#(\d{4})</span>", page)

    assert found("views") == ["7001"]
    assert found("7002") == ["7002"]
    assert found("tiktok") == ["7001"]  # the disabled one is not offered
    assert found("instagram likes") == ["7002"]
    assert found("fast panel likes") == ["7002"]
    assert found("nothing-like-this") == []
    assert found("²") == found("①") == found("1" * 30) == []  # digits int() cannot read


def test_search_results_show_provider_type_prices_and_bounds(operator_client):
    provider = make_provider(name="Fast Panel", currency="USD")
    service = make_service(
        provider, name="Likes", rate=Decimal("0.018"), min_quantity=100, max_quantity=1000000
    )
    page = operator_client.get("/orders/new/services/", {"q": "likes"}).content.decode()
    assert "Fast Panel" in page
    assert "Default" in page
    assert "0.018 USD → 0.0234 USD per 1000" in page  # 30 % markup
    assert "min 100 · max 1,000,000" in page
    assert f"?pick={service.pk}" in page
    assert f'href="/orders/new/?service={service.pk}"' in page  # works without htmx too


def test_an_empty_search_says_nothing_matches(operator_client):
    page = operator_client.get("/orders/new/services/", {"q": "zzz"}).content.decode()
    assert "No service you can order matches" in page


def test_the_search_box_works_without_htmx(operator_client):
    make_service(name="Spotify Plays")
    page = operator_client.get(URL, {"q": "spotify"}).content.decode()
    assert "Spotify Plays" in page


def test_search_costs_the_same_queries_for_a_big_catalogue(
    operator_client, django_assert_num_queries
):
    provider = make_provider()
    for n in range(3):
        make_service(provider, name=f"Followers {n}")

    def search():
        return operator_client.get("/orders/new/services/", {"q": "followers"})

    search()
    with django_assert_num_queries(5) as small:  # session, user, 2 perms, search
        search()
    for n in range(40):
        make_service(provider, name=f"More Followers {n}")
    with django_assert_num_queries(len(small.captured_queries)):
        search()


def test_switching_service_swaps_in_the_fields_of_the_new_type(operator_client):
    poll = make_service(type="Poll")
    page = operator_client.get(
        "/orders/new/fields/", {"pick": poll.pk, "link": "https://x.com/p/1", "quantity": "75"}
    ).content.decode()
    assert not page.lstrip().startswith("<!doctype")  # a fragment
    assert field_names(page) == ["link", "quantity", "answer_number"]
    assert 'value="https://x.com/p/1"' in page  # the link typed so far is kept
    assert 'value="75"' in page
    assert 'id="service-results" hx-swap-oob="true"' in page
    assert "autofocus" in page


@pytest.mark.parametrize("pick", ["999999", "abc", "²", "-1", "9" * 30, ""])
def test_the_fields_fragment_of_an_unknown_service_is_404(operator_client, pick):
    assert operator_client.get("/orders/new/fields/", {"pick": pick}).status_code == 404


@pytest.mark.parametrize("service", ["abc", "9" * 30, "²"])
def test_a_preselected_service_that_cannot_be_read_is_ignored(operator_client, service):
    page = operator_client.get(URL, {"service": service}).content.decode()
    assert "Search for a service above" in page


def test_each_rendered_form_gets_its_own_token(operator_client):
    service = make_service()
    tokens = {
        re.search(
            r'name="token" value="([^"]+)"',
            operator_client.get(f"{URL}?service={service.pk}").content.decode(),
        )[1]
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_the_page_keeps_its_query_count_whatever_the_catalogue_size(
    operator_client, django_assert_max_num_queries
):
    service = make_service(type="Default")
    url = f"{URL}?service={service.pk}&q=followers"
    operator_client.get(url)
    with django_assert_max_num_queries(8) as few:
        operator_client.get(url)
    for n in range(30):
        make_service(service.provider, name=f"Followers {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        operator_client.get(url)


def test_a_broad_search_shows_the_first_matches_and_says_so(operator_client):
    provider = make_provider()
    for n in range(20):
        make_service(provider, name=f"Views {n}")
    page = operator_client.get("/orders/new/services/", {"q": "views"}).content.decode()
    assert page.count('class="service-pick"') == 15
    assert "Showing the first 15 matches: add a word to narrow them." in page
