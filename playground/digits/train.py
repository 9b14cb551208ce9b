"""The Train tab: settings, Start/Stop, the live training fragment and the run table.

Start puts the run in the server's queue (``run_queue.QUEUE``): it trains at once when there
is room, else the page says where it stands and starts it by itself when its turn comes.
While a run waits or trains, a ``st.fragment(run_every=TICK_SECONDS)`` reruns only the live
panel: each tick checks in with the queue, then trains for a time budget through
``core.Trainer`` (see ``run.advance``) and stores the new snapshot with one assignment. When
the run starts from the queue or ends, the tick asks for a full rerun, which refreshes the
other tabs (and, at the end, switches the timer off).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core import ACTIVATIONS, OPTIMIZERS, TrainingDiverged
from playground.guard import never_a_traceback

from . import keys, run_queue, state
from .charts import training_curves_figure
from .run import (
    ARCHITECTURES,
    DIVERGED,
    MAX_EPOCHS,
    STOPPED,
    TRAINING,
    TrainConfig,
    advance,
    check_config,
    memory_estimate,
    parse_widths,
    start_run,
    stop,
)

TICK_SECONDS = 0.6  # the browser asks for a tick at most this often...
BUDGET_SECONDS = 0.5  # ...and each tick trains this long, leaving time to draw
CUSTOM = "Custom widths"
DEFAULT_ACTIVATION, DEFAULT_OPTIMIZER = TrainConfig.activation, TrainConfig.optimizer
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (16, 32, 64, 128, 256, 512)


def settings_form() -> None:
    """Draws the settings and the Start/Stop buttons (their callbacks run before the next
    script run, so the page is drawn with the run already started or stopped)."""
    training = state.active_run() is not None or state.waiting() is not None
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        arch = st.selectbox("Network", [*ARCHITECTURES, CUSTOM], index=1, key=keys.ARCHITECTURE, disabled=training,
                            help="The lab's question: do 2 or 3 layers help? Compare the runs in the table below.")
        if arch == CUSTOM:
            st.text_input("Hidden widths", value="256,128", key=keys.WIDTHS, disabled=training,
                          help="Neurons per hidden layer, input side first, separated by commas.")
        st.selectbox("Activation", list(ACTIVATIONS), index=list(ACTIVATIONS).index(DEFAULT_ACTIVATION), key=keys.ACTIVATION,
                     disabled=training)
    with c2:
        st.number_input("Epochs", min_value=1, max_value=MAX_EPOCHS, value=10, step=1, key=keys.EPOCHS, disabled=training)
        st.select_slider("Learning rate", LEARNING_RATES, value=0.001, key=keys.LEARNING_RATE, disabled=training,
                         help="Adam works well at 0.001; plain SGD and momentum want about 0.1.")
    with c3:
        st.select_slider("Batch size", BATCH_SIZES, value=64, key=keys.BATCH, disabled=training)
        st.selectbox("Optimizer", list(OPTIMIZERS), index=list(OPTIMIZERS).index(DEFAULT_OPTIMIZER), key=keys.OPTIMIZER,
                     disabled=training)
    with c4:
        st.checkbox("Augment (shifts, rotations, scaling, stroke width)", key=keys.AUGMENT, disabled=training,
                    help="Trains on altered copies too: slower epochs, better reading of hand-drawn digits.")
        st.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key=keys.SEED, disabled=training)
        b1, b2 = st.columns(2)
        b1.button("Start", type="primary", key=keys.START, disabled=training, width="stretch", on_click=begin)
        b2.button("Stop", key=keys.STOP, disabled=not training, width="stretch", on_click=halt)


def config_from_widgets() -> TrainConfig:
    """The settings chosen in the form; raises ValueError for bad custom widths."""
    ss = st.session_state
    arch = ss[keys.ARCHITECTURE]
    hidden = parse_widths(ss.get(keys.WIDTHS, "")) if arch == CUSTOM else ARCHITECTURES[arch]
    return TrainConfig(
        hidden=hidden, activation=ss[keys.ACTIVATION], epochs=int(ss[keys.EPOCHS]), lr=float(ss[keys.LEARNING_RATE]),
        batch_size=int(ss[keys.BATCH]), optimizer=ss[keys.OPTIMIZER], augment=bool(ss[keys.AUGMENT]),
        seed=int(ss[keys.SEED]),
    )


def begin() -> None:
    """Queue a run with the chosen settings (or explain why not); it starts at once if there is room."""
    ss = st.session_state
    ss[keys.TRAIN_ERROR] = None
    try:
        config = config_from_widgets()
        check_config(config)
        data = state.training_data()
    except ValueError as exc:
        ss[keys.TRAIN_ERROR] = str(exc)
        return
    cost = memory_estimate(config, len(data.x_train), len(data.x_test))
    waiting = state.Waiting(state.next_run_id(), config, run_queue.QUEUE.join(cost), cost)
    ss[keys.WAITING] = waiting
    if run_queue.QUEUE.poll(waiting.ticket) == 0:
        start_waiting(waiting)


def start_waiting(waiting: state.Waiting) -> bool:
    """Build the engine of a run whose turn has come; False (with the reason shown) if it cannot train."""
    ss = st.session_state
    ss[keys.WAITING] = None
    data = state.training_data()
    try:
        engine, snapshot = start_run(waiting.run_id, waiting.config, data.as_tuple(), data.source)
    except (ValueError, TrainingDiverged) as exc:
        reason = str(exc)
    except MemoryError:
        reason = "Not enough memory for this run: choose narrower layers or turn augmentation off."
    else:
        engine.ticket = waiting.ticket
        run_queue.QUEUE.set_release(waiting.ticket, engine.release)  # if the page goes away, its data go too
        state.put_run(snapshot)
        ss[keys.ENGINE] = engine
        ss[keys.INSPECT_CHOICE] = snapshot.run_id  # Inspect follows the newest run
        return True
    run_queue.QUEUE.leave(waiting.ticket)
    ss[keys.TRAIN_ERROR] = reason
    return False


def halt() -> None:
    """Stop the run in training (it keeps what it learnt and stays in the table), or take a
    waiting run out of the queue."""
    ss = st.session_state
    waiting = state.waiting()
    if waiting is not None:
        run_queue.QUEUE.leave(waiting.ticket)
        ss[keys.WAITING] = None
    run, engine = state.active_run(), state.engine()
    if run is not None:
        state.put_run(stop(run))
    if engine is not None:
        run_queue.QUEUE.leave(engine.ticket)
    ss[keys.ENGINE] = None


def check_in_waiting(waiting: state.Waiting) -> int:
    """Check in with the queue for a waiting run: 0 when it may train, else its place in line.
    A place that lapsed while the page was away (a hidden tab's timer can pause) is taken again
    at the back of the line."""
    place = run_queue.QUEUE.poll(waiting.ticket)
    if place is None:
        waiting = replace(waiting, ticket=run_queue.QUEUE.join(waiting.cost))
        st.session_state[keys.WAITING] = waiting
        place = run_queue.QUEUE.poll(waiting.ticket)
    return place


def show_waiting(waiting: state.Waiting, place: int) -> None:
    """Where a waiting run stands, in plain words."""
    running, _ = run_queue.QUEUE.counts()
    st.progress(0.0, text="Run {run}: {arch} · waiting for a place".format(run=waiting.run_id,
                                                                           arch=waiting.config.architecture))
    st.info(
        "The server trains {limit} runs at once (fewer when they are big) and {running} are training now. "
        "Your run is number {place} in the queue and starts by itself when its turn comes; keep this page open. "
        "Stop takes it out of the queue.".format(limit=run_queue.QUEUE.max_running, running=running, place=place)
    )


def live_panel() -> None:
    """Progress, figures and curves of the latest run; trains a tick while it is running."""
    playing = state.active_run() is not None or state.waiting() is not None

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    @never_a_traceback("the live training panel")
    def panel():
        waiting = state.waiting()
        if waiting is not None:
            place = check_in_waiting(waiting)
            if place > 0:
                show_waiting(state.waiting(), place)
                return
            start_waiting(state.waiting())
            st.rerun()  # a full rerun: the table, the model choices and any error show the new state
        engine, run = state.engine(), state.active_run()
        if engine is not None and run is not None and not engine.shown:
            # The script run that follows Start only draws the new run, so the page answers at once;
            # the timer's ticks do the training.
            engine.shown = True
        elif engine is not None and run is not None:
            if run_queue.QUEUE.poll(engine.ticket) is None:
                engine.release()  # its place lapsed (the page was away): advance() stops the run and says why
            new = advance(engine, run, BUDGET_SECONDS)
            if state.engine() is not engine:
                return  # Stop was pressed while this tick trained: its result is dropped
            state.put_run(new)
            if new.status != TRAINING:
                run_queue.QUEUE.leave(engine.ticket)
                st.session_state[keys.ENGINE] = None  # the run is over: free its trainer and data
                st.rerun()  # a full rerun switches the timer off and refreshes the other tabs
            run = new
        else:
            run = state.runs()[-1] if state.runs() else None
        if run is None:
            st.info("Choose the settings above and press **Start** to train on MNIST. Curves appear here live.")
            return
        show_run(run)

    panel()


def show_run(run) -> None:
    """The progress bar, latest accuracies and the curves of one run."""
    last = run.last
    done = last.epoch if last else 0
    acc = f", validation {last.val_accuracy:.1%}" if last else ""
    st.progress(run.progress, text=f"{run.label}{acc} · epoch {done} of {run.config.epochs} · {run.status}")
    if run.status == DIVERGED:
        st.error(run.message)
    elif run.status == STOPPED and run.message:
        st.warning(run.message)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Epochs done", done)
    c2.metric("Training accuracy", f"{last.train_accuracy:.1%}" if last else "–")
    c3.metric("Validation accuracy", f"{last.val_accuracy:.1%}" if last else "–")
    c4.metric("Training time", f"{run.seconds:.1f} s")
    history = run.history
    st.plotly_chart(training_curves_figure(
        [h.epoch for h in history], [h.train_accuracy for h in history], [h.val_accuracy for h in history],
        [h.train_loss for h in history], [h.val_loss for h in history],
    ), key=keys.CURVES)


def runs_table() -> None:
    """This session's runs side by side."""
    rows = [r.table_row() for r in state.runs()]
    st.subheader("This session's runs")
    if not rows:
        st.caption("Each run you start is added here, so you can compare 1, 2 and 3 layers.")
        return
    st.dataframe(rows, hide_index=True, key=keys.RUNS_TABLE, column_config={
        "train acc": st.column_config.NumberColumn(format="percent"),
        "val acc": st.column_config.NumberColumn(format="percent"),
        "learning rate": st.column_config.NumberColumn(format="%g"),
    })


@never_a_traceback("the Train tab")
def train_tab() -> None:
    """Everything on the Train tab."""
    run_queue.QUEUE.tidy()  # runs of closed tabs give their places and memory back
    data = state.training_data()
    note = f"Training data: {data.source}; the held-out digits are the validation set."
    if len(data.x_train) < 60_000:
        note += " For all 60,000 MNIST digits run `python -m core.mnist download` and reload."
    st.caption(note)
    settings_form()
    if st.session_state.get(keys.TRAIN_ERROR):
        st.error(st.session_state[keys.TRAIN_ERROR])
    live_panel()
    runs_table()
