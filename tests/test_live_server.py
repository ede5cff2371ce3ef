"""The browser tests' server closes what a response holds open, also when the browser goes away mid-response."""
from tests.server import closing_on_drop


class Body(list):
    """A response body that, like a static file's, must be closed."""
    closes = 0

    def close(self):
        self.closes += 1


def serve(body: Body):
    return closing_on_drop(lambda _environ, _start_response: body)({}, None)


def test_a_body_left_half_sent_is_closed_when_the_server_drops_it():
    body = Body([b"<svg", b"/>"])
    chunks = serve(body)
    assert next(chunks) == b"<svg"
    del chunks  # what werkzeug does when the connection is reset: no close()
    assert body.closes == 1


def test_a_body_sent_whole_is_passed_on_unchanged_and_closed_once():
    body = Body([b"<svg", b"/>"])
    chunks = serve(body)
    assert list(chunks) == [b"<svg", b"/>"]
    chunks.close()  # what werkzeug does after a whole response
    assert body.closes == 1
