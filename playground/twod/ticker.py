"""The live page's clock: a tiny browser component that asks for the next refresh only once the
last one has arrived (pull), ``delay`` seconds after it, instead of a fixed timer (push).

Why not ``st.fragment(run_every=...)``: its browser timer fires whether or not the last run has
finished, so an overloaded server queues reruns, runs them back to back and drops the output of
those it could not send in time; its interval is fixed when the page registers the fragment,
and re-registering it (a full rerun) raced with pending timer reruns, which could drop the new
timer and leave a page silent for good (measured with benchmarks/bench_load.py, Streamlit 1.67).
Here each refresh names the delay before the next one, so the pace follows the load from one
refresh to the next; and a watchdog asks again if an answer never comes.

Mounted inside a fragment, the component's trigger reruns only that fragment.
"""

from __future__ import annotations

import streamlit as st

# The timers live on the component's host element: a rerun that mounts the component again
# (same key, same element) replaces them, so there is only ever one chain of refreshes.
JS = """
export default function ({ data, setTriggerValue, parentElement }) {
  const host = parentElement.host || parentElement;
  (host.__ticks || []).forEach(clearTimeout);
  host.__ticks = [
    setTimeout(() => setTriggerValue("tick", data.seq), data.delay),
    setTimeout(() => setTriggerValue("tick", data.seq), data.delay + data.watchdog),
  ];
}
"""
WATCHDOG = 3.0  # seconds after the delay: ask again when a refresh's answer was lost

_component = st.components.v2.component("pg_ticker", js=JS)


def next_tick(key: str, delay: float, seq: int, watchdog: float = WATCHDOG) -> None:
    """Ask the browser to rerun the enclosing fragment ``delay`` seconds after this run's output
    arrives. ``seq`` must change every run (the component acts on new data); ``key`` is stable."""
    _component(data={"delay": round(delay * 1000), "seq": seq, "watchdog": round(watchdog * 1000)}, key=key,
               on_tick_change=_ignore, height=0)


def _ignore() -> None:
    """The trigger only reruns the fragment; there is nothing to do with its value."""
