def test_static_files_are_served_without_debug(client, settings):
    """WhiteNoise serves the vendored CSS and htmx in production mode too (no CDN, no separate server)."""
    assert settings.DEBUG is False
    for path in (
        "/static/tafel/theme.css",
        "/static/vendor/htmx.min.js",
        "/static/vendor/utrecht-component-library.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert int(response.headers["Content-Length"]) > 100
