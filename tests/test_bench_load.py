"""The load benchmark's ledger (bench/load.py): what it calls lost or duplicated. The benchmark
itself is not run here; its numbers depend on the machine."""
import importlib
import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def load():
    # bench/run.py switches the second factor off for the benchmarks through os.environ: not for the
    # apps of the tests that run after this one in the same process.
    environment = dict(os.environ)
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("load")
    finally:
        sys.path.remove(str(BENCH))
        os.environ.clear()
        os.environ.update(environment)


def judge(load, writes, found, files=None, outbox=(), arrived=()):
    return load.ledger(writes, found, files or {}, list(outbox), list(arrived))


def test_every_acknowledged_write_found_once_passes(load):
    writes = [load.Write("rsvp", "a", acknowledged=True), load.Write("signal", "b", acknowledged=False),
              load.Write("signal", "c", acknowledged=False)]
    lines, good = judge(load, writes, {("rsvp", "a"): 1, ("signal", "b"): 1, ("signal", "c"): 0})
    assert good
    assert "not acknowledged 2 (of which stored 1)" in lines[1]


@pytest.mark.parametrize("write, count", [(("rsvp", "a", True), 0), (("rsvp", "a", True), 2),
                                          (("signal", "b", False), 2)])
def test_a_lost_or_doubled_write_fails(load, write, count):
    kind, key, acknowledged = write
    lines, good = judge(load, [load.Write(kind, key, acknowledged=acknowledged)], {(kind, key): count})
    assert not good
    assert ("LOST" if count == 0 else "DOUBLE") in lines[0]


def test_an_upload_must_read_back_with_the_sha256_that_was_sent(load):
    writes = [load.Write("upload", "a", sha256="11", acknowledged=True),
              load.Write("upload", "b", sha256="22", acknowledged=True)]
    found = {("upload", "a"): 1, ("upload", "b"): 1}
    assert judge(load, writes, found, {"a": "11", "b": "22"})[1]
    lines, good = judge(load, writes, found, {"a": "11", "b": None})
    assert not good
    assert "1 of 2 identical" in lines[1]


def test_mails_arrive_once_or_once_per_try(load):
    outbox = [("<1@x>", "sent", 1), ("<2@x>", "sent", 2)]
    lines, good = judge(load, [], {}, outbox=outbox, arrived=[("<1@x>", ("a@x",)), ("<2@x>", ("b@x",)),
                                                                ("<2@x>", ("b@x",))])
    assert good
    assert "arrived once 1, resent after a crash mid-send (same Message-ID) 1, lost 0, duplicated 0" in lines[1]


@pytest.mark.parametrize("outbox, arrived", [
    ([("<1@x>", "sent", 1)], []),  # lost
    ([("<1@x>", "sent", 1)], [("<1@x>", ("a@x",)), ("<1@x>", ("a@x",))]),  # sent twice on one try
    ([("<1@x>", "waiting", 1)], []),  # never sent
    ([], [("<9@x>", ("a@x",))]),  # from nowhere
])
def test_a_lost_doubled_or_unsent_mail_fails(load, outbox, arrived):
    assert not judge(load, [], {}, outbox=outbox, arrived=arrived)[1]


def test_a_visitor_without_their_confirmation_fails(load):
    writes = [load.Write("guest sign-up", "g@x", mail_to="g@x", acknowledged=True)]
    found = {("guest sign-up", "g@x"): 1}
    assert judge(load, writes, found, arrived=[("<1@x>", ("g@x",))], outbox=[("<1@x>", "sent", 1)])[1]
    lines, good = judge(load, writes, found)
    assert not good
    assert "MISSING ['g@x']" in lines[-1]
