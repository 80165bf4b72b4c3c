"""No request may leave the site's own origin: the browser enforces it through the CSP."""


def test_strict_content_security_policy_on_every_page(client, db):
    response = client.get("/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_another_origin(client, db):
    for url in ["/", "/centers/", "/where-calls-go/", "/guides/inpatient-vs-outpatient/"]:
        body = client.get(url).content.decode()
        for attribute in ('src="http', "src='http", 'href="//', "@import", "<style", " style="):
            assert attribute not in body, (url, attribute)
        assert '<link rel="stylesheet" href="/static/' in body
