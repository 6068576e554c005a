"""Small helpers shared by the browser tests."""

PASSWORD = "losenord-123"


def login(page, live_server, username, password=PASSWORD):
    """Log in through the real login form and wait to land on Röda tråden."""
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
