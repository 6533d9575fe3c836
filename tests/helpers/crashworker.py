"""A worker process for the kill -9 tests: the centre's writes in a loop, until it is killed.

    python -m tests.helpers.crashworker URL SEED PREFIX

Issues numbers, calls the next citizen to a counter, finishes the current one and receives
dossiers, as the kiosk's and the counters' worker threads do, each through the core's use case
(one transaction). Before each it prints ``START <op> <request id> <service or counter>`` and,
once the use case has returned (committed), ``ACK <op> <request id> <result>``; every line is
flushed at once, so what a killed worker said is what it had done.
"""

from __future__ import annotations

import random
import sys
import time

from shared.db import Database
from shared.dossier_views import Party, ReceiveForm
from shared.dossiers import DossierDesk
from shared.errors import MotcuaError
from shared.queue import QueueEngine

# Six queues of 999 numbers each: a fast machine's thousands of writes stay inside the ranges.
SERVICES = ("HT", "DD", "CT", "XD", "DKKD", "XH")
COUNTERS = (1, 2, 3, 4)
PROCEDURE = "1.001193"  # Thủ tục đăng ký khai sinh (sample catalogue)
OPS = ("issue", "call", "finish", "receive")
WEIGHTS = (4, 2, 2, 2)


def say(*words: object) -> None:
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def main(url: str, seed: int, prefix: str) -> None:
    db = Database(url)
    engine = QueueEngine(db)
    desk = DossierDesk(db)
    rng = random.Random(seed)
    n = 0
    say("READY")
    while True:
        time.sleep(rng.uniform(0.0, 0.03))  # busy, not flat out: a morning rush of a big centre
        n += 1
        op = rng.choices(OPS, WEIGHTS)[0]
        rid = f"{prefix}-{n}"
        try:
            if op == "issue":
                service = rng.choice(SERVICES)
                say("START", op, rid, service)
                view = engine.issue(service, request_id=rid)
                say("ACK", op, rid, f"{view.id}:{view.number}")
            elif op == "call":
                counter = rng.choice(COUNTERS)
                say("START", op, rid, counter)
                called = engine.call_next(counter)
                say("ACK", op, rid, called.id if called else "-")
            elif op == "finish":
                counter = rng.choice(COUNTERS)
                say("START", op, rid, counter)
                state = next(c for c in engine.status().counters if c.number == counter)
                if state.ticket is None:
                    say("ACK", op, rid, "-")
                    continue
                engine.finish(state.ticket.id)
                say("ACK", op, rid, state.ticket.id)
            else:
                say("START", op, rid, PROCEDURE)
                applicant = Party(kind="person", name=f"Công dân {rid}")
                view = desk.receive(
                    ReceiveForm(procedure_code=PROCEDURE, applicant=applicant), request_id=rid
                )
                say("ACK", op, rid, view.code)
        except MotcuaError as error:  # a race between workers (already finished, …): fine
            say("REFUSED", op, rid, error.code)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
