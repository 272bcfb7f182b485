import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_sign_in_through_the_browser_and_see_the_dashboard(
    page, live_server, staff_user, staff_password
):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(staff_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_text("Signed in as alice").is_visible()
    page.screenshot(path="var/screenshots/home.png", full_page=True)
