"""Seeded generator of the bundled after-sales sample (see docs/guide/datasets.md)."""

from __future__ import annotations

import numpy as np

__all__ = ["PLANTED", "START_TOUCHPOINTS", "TOUCHPOINT_CHANNEL", "TOUCHPOINT_TEAM",
           "TRANSITIONS", "simulate"]

TOUCHPOINT_CHANNEL = {
    "app_self_service": "app", "web_faq": "web", "web_form": "web", "ivr": "phone",
    "chatbot": "chat", "agent_chat": "chat", "phone_agent": "phone", "callback": "phone",
    "email": "email", "store_visit": "store", "escalation": "back_office",
    "field_visit": "field", "parts_order": "back_office",
}
HUMAN = ("agent_chat", "phone_agent", "callback", "store_visit")
START_TOUCHPOINTS = {"app_self_service": 0.20, "web_faq": 0.20, "ivr": 0.30, "chatbot": 0.20,
                     "store_visit": 0.05, "email": 0.05}
# next step probabilities; "drop" ends the case without success. The chatbot's 38 % drop-off
# is the planted breakpoint (every other touchpoint drops 10 % or less).
TRANSITIONS = {
    "app_self_service": {"resolved": .30, "chatbot": .25, "web_form": .15, "ivr": .15,
                         "escalation": .05, "drop": .10},
    "web_faq": {"resolved": .25, "web_form": .25, "chatbot": .25, "ivr": .15, "drop": .10},
    "web_form": {"email": .30, "callback": .25, "agent_chat": .20, "escalation": .15,
                 "drop": .10},
    "ivr": {"phone_agent": .55, "callback": .25, "resolved": .05, "chatbot": .05, "drop": .10},
    "chatbot": {"drop": .38, "agent_chat": .30, "resolved": .17, "ivr": .10, "web_form": .05},
    "agent_chat": {"resolved": .50, "escalation": .25, "phone_agent": .10, "callback": .07,
                   "drop": .08},
    "phone_agent": {"resolved": .55, "escalation": .30, "callback": .07, "drop": .08},
    "callback": {"phone_agent": .60, "resolved": .25, "escalation": .07, "drop": .08},
    "email": {"resolved": .40, "callback": .25, "escalation": .25, "drop": .10},
    "store_visit": {"resolved": .40, "escalation": .35, "parts_order": .15, "drop": .10},
    "escalation": {"field_visit": .55, "parts_order": .20, "phone_agent": .15,
                   "resolved": .05, "drop": .05},
    "parts_order": {"field_visit": .75, "resolved": .15, "drop": .10},
    "field_visit": {"resolved": .82, "parts_order": .10, "drop": .08},
}
# from 2025-07-01 agents resolve more on first contact (the planted process change)
AFTER_CHANGE = {
    "agent_chat": {"resolved": .72, "escalation": .05, "phone_agent": .08, "callback": .07,
                   "drop": .08},
    "phone_agent": {"resolved": .78, "escalation": .10, "callback": .04, "drop": .08},
}
CHANGE_DATE = np.datetime64("2025-07-01T00:00:00", "s")
# median wait (hours) before reaching a touchpoint; lognormal with sigma 0.6
WAIT_HOURS = {"app_self_service": 0.0, "web_faq": 1 / 60, "web_form": 3 / 60, "ivr": 1 / 60,
              "chatbot": 2 / 60, "agent_chat": 5 / 60, "phone_agent": 4 / 60, "callback": 3.0,
              "email": 6.0, "store_visit": 24.0, "escalation": 8.0, "field_visit": 24.0,
              "parts_order": 4.0, "resolved": 5 / 60}
# the planted bottleneck: a field technician is scheduled about three days after escalation
WAIT_OVERRIDE = {("escalation", "field_visit"): (72.0, 0.5)}
# who handles each touchpoint (``resolved`` takes the team of the touch before it; field
# visits are done by the field team of the customer's region, north or south)
TOUCHPOINT_TEAM = {
    "app_self_service": "digital", "web_faq": "digital", "web_form": "digital",
    "chatbot": "digital", "ivr": "digital", "agent_chat": "contact_centre",
    "phone_agent": "contact_centre", "callback": "contact_centre", "email": "contact_centre",
    "store_visit": "store", "escalation": "back_office", "parts_order": "back_office",
}
FIELD_SOUTH_SHARE = 0.5
# the planted segment bottleneck: for fridges, the southern field team takes three times as
# long to come after an escalation (its fridge technicians are overbooked); the wait drawn
# for the transition is multiplied, so no random number is added to the stream
PLANTED = {"product": "fridge", "team": "field_south",
           "transition": ("escalation", "field_visit"), "factor": 3.0}
MAX_STEPS = 15
FAILURE_MODES = [
    # step, function, failure mode, effect, cause, S, O, D, prevention, detection control
    ("intake", "capture the fault", "Wrong product model recorded",
     "wrong part ordered, second visit", "free-text model entry", 6, 6, 5,
     "model picker in forms", "order review"),
    ("intake", "route the contact", "IVR misroutes the call", "transfer, longer wait",
     "menu options unclear", 4, 7, 4, "menu redesign", "transfer-rate report"),
    ("intake", "answer in chat", "Chatbot cannot hand over to an agent",
     "customer abandons", "no escalation intent", 7, 7, 6, "hand-over rules",
     "chat transcript sampling"),
    ("diagnosis", "diagnose remotely", "Remote diagnosis wrong", "unneeded field visit",
     "no diagnostic script", 6, 5, 6, "diagnostic scripts", "visit outcome review"),
    ("diagnosis", "decide escalation", "Escalation without full information",
     "back-office rework", "missing checklist", 5, 6, 5, "escalation checklist",
     "back-office reject log"),
    ("parts", "order the part", "Wrong part shipped", "second field visit",
     "catalogue mismatch", 7, 5, 4, "catalogue sync", "picking scan"),
    ("parts", "deliver the part", "Part delivered late", "visit rescheduled",
     "supplier delay", 6, 6, 3, "safety stock", "delivery tracking"),
    ("field repair", "schedule the visit", "Technician no-show", "customer takes day off",
     "route overbooked", 8, 4, 5, "capacity planning", "dispatch confirmation"),
    ("field repair", "repair on site", "Repair not fixed first time", "repeat visit",
     "skill gap", 7, 5, 5, "training", "post-visit test"),
    ("field repair", "protect the home", "Property damaged during repair", "claim, churn",
     "missing floor protection", 9, 2, 4, "protection kit", "photo check"),
    ("field repair", "work safely", "Unsafe gas appliance reconnection",
     "injury risk", "procedure skipped", 10, 1, 3, "certified technicians only",
     "mandatory leak test"),
    ("follow-up", "close the ticket", "Ticket closed before fix confirmed",
     "repeat contact", "closure KPI pressure", 5, 6, 6, "closure confirmation",
     "repeat-contact monitoring"),
    ("follow-up", "send the survey", "Survey sent to wrong contact", "no feedback",
     "stale contact data", 2, 4, 7, "contact validation", "bounce report"),
    ("billing", "invoice the repair", "Warranty repair invoiced", "complaint, refund",
     "warranty flag missing", 6, 4, 4, "warranty lookup", "invoice audit"),
    ("follow-up", "call back", "Promised callback missed", "complaint",
     "callback queue not monitored", 6, 5, 5, "callback scheduler", "queue alert"),
]
FAILURE_SHARES = np.array([.27, .19, .14, .08, .07, .05, .05, .04, .035, .01, .005, .03,
                           .01, .01, .02])


def _lognormal(rng, median_hours, sigma, size=None):
    return median_hours * 3600.0 * np.exp(sigma * rng.standard_normal(size))


def simulate(seed: int, n_cases: int) -> dict:
    """Every table of the sample as plain numpy arrays (keys ``table.column``)."""
    rng = np.random.default_rng(seed)
    out: dict = {}
    out.update(_journeys(rng, n_cases))
    out.update(_tickets(rng, out))
    # the attributes draw from their own stream, so every other table keeps its numbers
    _attributes(np.random.default_rng([seed, 1]), out)
    out.update(_survey(rng, out))
    out.update(_failures(rng, out))
    out.update(_daily_contacts(rng))
    out.update(_daily_complaints(rng))
    out.update(_interval_volumes(rng))
    out.update(_weekly_parts(rng))
    return out


def _draw(rng, table: dict) -> str:
    keys = list(table)
    return keys[rng.choice(len(keys), p=np.array(list(table.values())))]


def _case_starts(rng, n: int) -> np.ndarray:
    day_weight = np.array([1.25, 1.15, 1.05, 1.0, 0.95, 0.7, 0.5])  # Mon … Sun
    days = np.arange(np.datetime64("2025-01-01"), np.datetime64("2026-01-01"))
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
    p = day_weight[weekday] / day_weight[weekday].sum()
    day = days[rng.choice(len(days), size=n, p=p)].astype("datetime64[s]")
    hour = np.clip(rng.normal(13.0, 3.0, n), 8.0, 19.9)
    return day + (hour * 3600).astype("int64").astype("timedelta64[s]")


def _journeys(rng, n_cases: int) -> dict:
    starts = _case_starts(rng, n_cases)
    n_customers = int(n_cases * 0.7)
    customer = rng.integers(0, n_customers, n_cases)
    repeat = rng.random(n_cases) < 0.10
    rows_case, rows_tp, rows_t, rows_wait = [], [], [], []
    end_time = np.empty(n_cases, dtype="datetime64[s]")
    parent = np.full(n_cases, -1)
    gap = np.zeros(n_cases, dtype=np.int64)
    for i in range(n_cases):
        if repeat[i] and i > 0:  # a follow-up contact of an earlier case's customer
            j = int(rng.integers(0, i))
            customer[i] = customer[j]
            parent[i], gap[i] = j, int(rng.uniform(0.5, 7) * 86400)
            starts[i] = end_time[j] + np.timedelta64(gap[i], "s")
        t = starts[i]
        wait = 0
        step = _draw(rng, START_TOUCHPOINTS)
        for _ in range(MAX_STEPS):
            rows_case.append(i)
            rows_tp.append(step)
            rows_t.append(t)
            rows_wait.append(wait)
            if step == "resolved":
                break
            table = AFTER_CHANGE.get(step, TRANSITIONS[step]) if starts[i] >= CHANGE_DATE \
                else TRANSITIONS[step]
            nxt = _draw(rng, table)
            if nxt == "drop":
                break
            median, sigma = WAIT_OVERRIDE.get((step, nxt), (WAIT_HOURS[nxt], 0.6))
            wait = int(_lognormal(rng, median, sigma)) + 1
            t = t + np.timedelta64(wait, "s")
            step = nxt
        end_time[i] = t
    case = np.array(rows_case)
    tp = np.array(rows_tp)
    previous = np.concatenate(([""], tp[:-1]))
    channel = np.array([TOUCHPOINT_CHANNEL.get(s, "") for s in tp])
    resolved = tp == "resolved"
    channel[resolved] = np.array([TOUCHPOINT_CHANNEL[p] for p in previous[resolved]])
    width = len(str(n_cases))
    case_ids = np.array([f"T{k:0{width}d}" for k in range(n_cases)])
    customer_ids = np.array([f"CU{k:05d}" for k in range(n_customers)])
    return {"events.case_id": case_ids[case], "events.customer_id": customer_ids[customer][case],
            "events.touchpoint": tp, "events.channel": channel,
            "events.timestamp": np.array(rows_t, dtype="datetime64[s]"),
            "_wait": np.array(rows_wait, dtype=np.int64), "_start": starts, "_parent": parent,
            "_gap": gap, "_customer": customer, "_n_customers": n_customers}


def _attributes(rng, out: dict) -> None:
    """Per-event ``team``, ``product`` and ``priority``; the planted segment bottleneck.

    Pops the generator's private keys from ``out``. Only the waits of the planted segment
    change; the cases' later events (and the follow-up cases started after them) move by
    the added wait, and the tickets' ``created``, ``first_response`` and ``resolved_at``
    with them.
    """
    wait, start, parent, gap = (out.pop(k) for k in ("_wait", "_start", "_parent", "_gap"))
    customer, n_customers = out.pop("_customer"), out.pop("_n_customers")
    case_ids = out["events.case_id"]
    tp = out["events.touchpoint"]
    ids, first, counts = np.unique(case_ids, return_index=True, return_counts=True)
    case = np.repeat(np.arange(len(ids)), counts)  # events are grouped by case already
    south = rng.random(n_customers) < FIELD_SOUTH_SHARE  # the customer's field region
    team = np.array([TOUCHPOINT_TEAM.get(s, "") for s in tp], dtype=object)
    field = tp == "field_visit"
    team[field] = np.where(south[customer[case[field]]], "field_south", "field_north")
    previous = np.concatenate(([""], team[:-1]))
    resolved = tp == "resolved"
    team[resolved] = previous[resolved]
    product = out["tickets.product"][case]
    priority = out["tickets.priority"][case]
    src = np.concatenate(([""], tp[:-1]))
    planted = ((product == PLANTED["product"]) & (team == PLANTED["team"])
               & (src == PLANTED["transition"][0]) & (tp == PLANTED["transition"][1]))
    planted[first] = False
    wait = np.where(planted, np.round(wait * PLANTED["factor"]).astype(np.int64), wait)
    _retime(out, wait, start, parent, gap, first, counts)
    out.update({"events.team": team.astype(str), "events.product": product,
                "events.priority": priority})


def _retime(out, wait, start, parent, gap, first, counts) -> None:
    """Event times from the waits, follow-up cases starting ``gap`` after their parent."""
    n = len(first)
    times = out["events.timestamp"].copy()
    end = np.empty(n, dtype="datetime64[s]")
    for i in range(n):  # a parent case always precedes its follow-ups
        t0 = end[parent[i]] + np.timedelta64(gap[i], "s") if parent[i] >= 0 else start[i]
        a, b = first[i], first[i] + counts[i]
        times[a:b] = t0 + np.cumsum(wait[a:b]).astype("timedelta64[s]")
        end[i] = times[b - 1]
    old = out["events.timestamp"]
    last = first + counts - 1
    shift = times[first] - old[first]
    out["events.timestamp"] = times
    out["tickets.created"] = times[first]
    out["tickets.first_response"] = out["tickets.first_response"] + shift
    resolved = out["tickets.resolved"]
    out["tickets.resolved_at"] = np.where(resolved, times[last], np.datetime64("NaT")).astype(
        "datetime64[s]")


def _tickets(rng, out: dict) -> dict:
    case = out["events.case_id"]
    tp = out["events.touchpoint"]
    times = out["events.timestamp"]
    ids, first, counts = np.unique(case, return_index=True, return_counts=True)
    n = len(ids)
    last = first + counts - 1
    resolved = tp[last] == "resolved"
    human = np.isin(tp, HUMAN)
    later = np.isin(tp, ("escalation", "field_visit", "parts_order"))
    case_pos = np.repeat(np.arange(n), counts)
    n_human = np.bincount(case_pos, weights=human, minlength=n)
    n_later = np.bincount(case_pos, weights=later, minlength=n)
    priority = np.array(["P1", "P2", "P3"])[rng.choice(3, n, p=[.1, .3, .6])]
    response_hours = np.select([priority == "P1", priority == "P2"], [0.25, 1.0], 4.0)
    created = times[first]
    first_response = created + (_lognormal(rng, response_hours, 0.7)).astype(
        "int64").astype("timedelta64[s]")
    resolved_at = np.where(resolved, times[last], np.datetime64("NaT"))
    channel = out["events.channel"][first]
    handle_median = np.select([channel == "phone", channel == "chat"], [360.0, 600.0], 240.0)
    products = np.array(["washer", "dryer", "dishwasher", "fridge", "oven", "hob", "hood",
                         "air conditioner"])
    return {
        "tickets.ticket_id": ids, "tickets.customer_id": out["events.customer_id"][first],
        "tickets.channel": channel, "tickets.priority": priority,
        "tickets.product": products[rng.integers(0, len(products), n)],
        "tickets.agent": np.array([f"A{k:02d}" for k in range(1, 41)])[rng.integers(0, 40, n)],
        "tickets.created": created, "tickets.first_response": first_response,
        "tickets.resolved_at": resolved_at.astype("datetime64[s]"),
        "tickets.resolved": resolved,
        "tickets.first_contact_resolution": resolved & (n_human == 1) & (n_later == 0),
        "tickets.handle_time_s": np.round(handle_median * np.exp(0.5 * rng.standard_normal(n))),
        "tickets.contacts": (counts - resolved).astype(np.int64),
    }


SURVEY_CONSTRUCTS = {"wait": ("wait1", "wait2", "wait3"), "reso": ("reso1", "reso2", "reso3"),
                     "staff": ("staff1", "staff2", "staff3"), "sat": ("sat1", "sat2", "sat3"),
                     "loyal": ("loyal1", "loyal2", "loyal3")}
LOADINGS = {"wait": (.78, .74, .70), "reso": (.85, .80, .76), "staff": (.72, .80, .75),
            "sat": (.84, .82, .79), "loyal": (.80, .77, .73)}
PATHS = {"sat": {"wait": .25, "reso": .45, "staff": .20}, "loyal": {"sat": .55, "reso": .20}}


def _survey(rng, out: dict) -> dict:
    ids = out["tickets.ticket_id"]
    n = min(1200, len(ids))
    pick = np.sort(rng.choice(len(ids), n, replace=False))
    resolved = out["tickets.resolved"][pick]
    cov = np.full((3, 3), 0.3) + 0.7 * np.eye(3)
    wait, reso, staff = rng.multivariate_normal(np.zeros(3), cov, n).T
    reso = 0.7 * reso + 0.7 * (resolved - resolved.mean()) / max(resolved.std(), 1e-9)
    reso = (reso - reso.mean()) / reso.std()
    latent = {"wait": wait, "reso": reso, "staff": staff}
    for target, causes in PATHS.items():
        signal = sum(w * latent[c] for c, w in causes.items())
        noise_sd = np.sqrt(max(1.0 - signal.var(), 0.05))
        latent[target] = signal + noise_sd * rng.standard_normal(n)
    cols = {"survey.ticket_id": ids[pick]}
    for construct, items in SURVEY_CONSTRUCTS.items():
        for item, lam in zip(items, LOADINGS[construct]):
            x = lam * latent[construct] + np.sqrt(1 - lam**2) * rng.standard_normal(n)
            answer = np.clip(np.round(4.0 + 1.5 * x), 1, 7).astype(np.float64)
            answer[rng.random(n) < 0.02] = np.nan
            cols[f"survey.{item}"] = answer
    cols["survey.csat"] = np.clip(np.round(3.6 + 1.1 * latent["sat"]), 1, 5).astype(np.int64)
    cols["survey.nps"] = np.clip(np.round(7.2 + 2.3 * latent["loyal"]), 0, 10).astype(np.int64)
    effort = 0.6 * latent["reso"] + 0.4 * latent["wait"] + 0.6 * rng.standard_normal(n)
    cols["survey.ces"] = np.clip(np.round(4.8 + 1.3 * effort), 1, 7).astype(np.int64)
    order = ["survey.ticket_id", "survey.csat", "survey.nps", "survey.ces"]
    return {k: cols[k] for k in order + [k for k in cols if k not in order]}


def _failures(rng, out: dict) -> dict:
    cols = list(zip(*FAILURE_MODES))
    names = ("step", "function", "failure_mode", "effect", "cause", "severity", "occurrence",
             "detection", "prevention", "detection_control")
    table = {f"failure_modes.{k}": np.array(c) for k, c in zip(names, cols)}
    n = 2000
    shares = FAILURE_SHARES / FAILURE_SHARES.sum()
    mode = rng.choice(len(FAILURE_MODES), n, p=shares)
    days = np.arange(np.datetime64("2025-01-01"), np.datetime64("2026-01-01"))
    tickets = out["tickets.ticket_id"]
    table.update({
        "failures.ticket_id": tickets[rng.integers(0, len(tickets), n)],
        "failures.failure_mode": table["failure_modes.failure_mode"][mode],
        "failures.date": np.sort(days[rng.integers(0, len(days), n)]),
        "service_orders": np.array(len(tickets)),
    })
    return table


def _weekly_factor(dates: np.ndarray, factors) -> np.ndarray:
    weekday = (dates.astype("datetime64[D]").astype("int64") + 3) % 7
    return np.asarray(factors)[weekday]


def _daily_contacts(rng) -> dict:
    dates = np.arange(np.datetime64("2024-01-01"), np.datetime64("2025-12-31"))
    t = np.arange(len(dates))
    doy = (dates - dates.astype("datetime64[Y]")).astype(np.int64)
    weekly = _weekly_factor(dates, [1.25, 1.15, 1.05, 1.0, 0.95, 0.7, 0.5])
    yearly = 1.0 + 0.2 * np.sin(2 * np.pi * (doy - 100) / 365.25)
    mean = (800.0 + 0.3 * t) * weekly * yearly
    size = 50.0
    total = rng.negative_binomial(size, size / (size + mean))
    split = np.array([rng.multinomial(k, [.45, .25, .18, .12]) for k in total])
    return {"daily_contacts.date": dates, "daily_contacts.contacts": total.astype(np.int64),
            "daily_contacts.phone": split[:, 0], "daily_contacts.chat": split[:, 1],
            "daily_contacts.app": split[:, 2], "daily_contacts.web": split[:, 3]}


COMPLAINT_SHIFT = np.datetime64("2025-09-15")


def _daily_complaints(rng) -> dict:
    dates = np.arange(np.datetime64("2025-01-01"), np.datetime64("2026-01-01"))
    orders = rng.poisson(1200 * _weekly_factor(dates, [1.2, 1.1, 1.05, 1.0, 1.0, .85, .6]))
    rate = np.where(dates >= COMPLAINT_SHIFT, 0.014, 0.010)
    return {"daily_complaints.date": dates,
            "daily_complaints.complaints": rng.poisson(orders * rate).astype(np.int64),
            "daily_complaints.orders": orders.astype(np.int64)}


def _interval_volumes(rng) -> dict:
    start = np.datetime64("2025-07-07T00:00", "m") + np.arange(336) * np.timedelta64(30, "m")
    hour = (start.astype("int64") % 1440) / 60.0
    open_ = (hour >= 8) & (hour < 20)
    profile = np.exp(-0.5 * ((hour - 10.5) / 1.5) ** 2) + 0.8 * np.exp(
        -0.5 * ((hour - 14.5) / 2.0) ** 2) + 0.2
    day_factor = _weekly_factor(start, [1.25, 1.15, 1.05, 1.0, 0.95, 0.7, 0.5])
    calls = rng.poisson(np.where(open_, 45.0 * profile * day_factor, 0.0))
    aht = np.where(open_, np.round(300 + 20 * rng.standard_normal(336)), 0.0)
    return {"interval_volumes.start": start, "interval_volumes.calls": calls.astype(np.int64),
            "interval_volumes.aht_s": aht}


def _weekly_parts(rng) -> dict:
    n_parts, n_weeks = 40, 104
    weeks = np.datetime64("2024-01-01") + 7 * np.arange(n_weeks)
    kind = np.repeat(["smooth", "erratic", "intermittent", "lumpy"], n_parts // 4)
    occurrence = {"smooth": 0.85, "erratic": 0.8, "intermittent": 0.25, "lumpy": 0.2}
    demand = np.zeros((n_parts, n_weeks), dtype=np.int64)
    for i, k in enumerate(kind):
        occurs = rng.random(n_weeks) < occurrence[k]
        if k in ("smooth", "intermittent"):
            size = 1 + rng.poisson(3.0 if k == "smooth" else 1.0, n_weeks)
        else:
            size = 1 + rng.negative_binomial(1, 1 / (1 + 6.0), n_weeks)
        demand[i] = np.where(occurs, size, 0)
    return {"weekly_parts.part_id": np.array([f"P{k:03d}" for k in range(n_parts)]),
            "weekly_parts.week": weeks, "weekly_parts.demand": demand,
            "weekly_parts.kind": kind,
            "weekly_parts.lead_time_weeks": np.round(rng.uniform(1, 8, n_parts), 1),
            "weekly_parts.unit_cost": np.round(np.exp(rng.normal(3.5, 1.0, n_parts)), 2)}
