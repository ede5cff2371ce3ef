"""Rate limits shared through Redis: two app instances count every guess once, tablet PINs are limited per tablet."""
import pytest

from tests.helpers import make_unit
from tests.respond.test_tablet import start_tablet
from tests.server import free_port, redis_server


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url


def guess_codes(apps, count: int) -> list[int]:
    """Guess one wrong invitation code `count` times from one address, taking turns between the apps."""
    clients = [app.test_client() for app in apps]
    return [clients[i % len(clients)].get("/c?code=ABCD-EFGH").status_code for i in range(count)]


def test_code_guesses_are_counted_once_across_two_instances(start_app, redis_url):
    first, second = start_app(REDIS_URL=redis_url), start_app(REDIS_URL=redis_url)
    make_unit(first)
    assert guess_codes([first, second], 30) == [404] * 20 + [429] * 10


def test_without_redis_each_instance_counts_on_its_own(start_app):
    first, second = start_app(), start_app()
    make_unit(first)
    assert guess_codes([first, second], 30) == [404] * 30  # 15 at each: why several instances need REDIS_URL


def test_when_redis_is_down_each_process_still_limits(start_app):
    app = start_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    make_unit(app)
    assert guess_codes([app], 25) == [404] * 20 + [429] * 5


def test_wrong_pins_are_limited_per_tablet_on_every_instance_and_address(start_app, redis_url):
    first, second = start_app(REDIS_URL=redis_url), start_app(REDIS_URL=redis_url)
    ipad = start_tablet(first, first.test_client(), pin="24680")
    ipad.get("/tablet/leave")
    other = second.test_client()
    other.set_cookie("session", ipad.client.get_cookie("session").value)
    statuses = [(ipad.client, other)[i % 2].post("/tablet/leave", data={"pin": "1111", "csrf_token": ipad.token},
                                                  environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
                for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    right = other.post("/tablet/leave", data={"pin": "24680", "csrf_token": ipad.token})
    assert right.status_code == 429  # the right PIN too, until the window has passed
