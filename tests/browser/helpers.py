"""Small helpers shared by the browser tests."""

PASSWORD = "losenord-123"


def login(page, live_server, username, password=PASSWORD):
    """Log in through the real login form and wait to land on Röda tråden."""
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")


def menu_link(page, name, **kwargs):
    """The main menu's link ``name`` as a person reaches it: on a phone the menu is
    folded behind "Meny" (static/js/nav.js), which is opened first."""
    menu = page.get_by_role("navigation", name="Huvudmeny")
    button = menu.get_by_role("button", name="Meny")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
    return menu.get_by_role("link", name=name, **kwargs)
