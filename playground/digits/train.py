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
from playground.diverged import divergence_message
from playground.guard import never_a_traceback
from playground.i18n import N_, Message
from playground.i18n.session import _, current_language, pgettext, translated

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
CUSTOM = N_("Custom widths")
DEFAULT_ACTIVATION, DEFAULT_OPTIMIZER = TrainConfig.activation, TrainConfig.optimizer
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (16, 32, 64, 128, 256, 512)


def settings_form() -> None:
    """Draws the settings and the Start/Stop buttons (their callbacks run before the next
    script run, so the page is drawn with the run already started or stopped)."""
    training = state.active_run() is not None or state.waiting() is not None
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        arch = st.selectbox(_("Network"), [*ARCHITECTURES, CUSTOM], index=1, key=keys.ARCHITECTURE, disabled=training,
                            format_func=translated(), help=_("The lab's question: do 2 or 3 layers help? Compare the runs in the "
                                                  "table below."))
        if arch == CUSTOM:
            st.text_input(_("Hidden widths"), value="256,128", key=keys.WIDTHS, disabled=training,
                          help=_("Neurons per hidden layer, input side first, separated by commas."))
        st.selectbox(_("Activation"), list(ACTIVATIONS), index=list(ACTIVATIONS).index(DEFAULT_ACTIVATION),
                     key=keys.ACTIVATION, disabled=training)
    with c2:
        st.number_input(_("Epochs"), min_value=1, max_value=MAX_EPOCHS, value=10, step=1, key=keys.EPOCHS,
                        disabled=training)
        st.select_slider(_("Learning rate"), LEARNING_RATES, value=0.001, key=keys.LEARNING_RATE, disabled=training,
                         help=_("Adam works well at 0.001; plain SGD and momentum want about 0.1."))
    with c3:
        st.select_slider(_("Batch size"), BATCH_SIZES, value=64, key=keys.BATCH, disabled=training)
        st.selectbox(_("Optimizer"), list(OPTIMIZERS), index=list(OPTIMIZERS).index(DEFAULT_OPTIMIZER), key=keys.OPTIMIZER,
                     disabled=training)
    with c4:
        st.checkbox(_("Augment (shifts, rotations, scaling, stroke width)"), key=keys.AUGMENT, disabled=training,
                    help=_("Trains on altered copies too: slower epochs, better reading of hand-drawn digits."))
        st.number_input(_("Seed"), min_value=0, max_value=2**31 - 1, value=0, step=1, key=keys.SEED, disabled=training)
        b1, b2 = st.columns(2)
        b1.button(_("Start"), type="primary", key=keys.START, disabled=training, width="stretch", on_click=begin)
        b2.button(_("Stop"), key=keys.STOP, disabled=not training, width="stretch", on_click=halt)


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
        ss[keys.TRAIN_ERROR] = _kept(exc)
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
    except TrainingDiverged as exc:
        reason = divergence_message(exc)
    except ValueError as exc:
        reason = _kept(exc)
    except MemoryError:
        reason = Message("Not enough memory for this run: choose narrower layers or turn augmentation off.")
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


def _kept(exc: Exception) -> Message | str:
    """An error's message, kept untranslated (a Message when it carries one) so it shows in the
    language of the moment."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)


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
    running = run_queue.QUEUE.counts()[0]
    st.progress(0.0, text=_("Run {run}: {network} · waiting for a place", run=waiting.run_id,
                            network=waiting.config.architecture))
    st.info(_(
        "The server trains {max} runs at once (fewer when they are big) and {running} are training now. "
        "Your run is number {place} in the queue and starts by itself when its turn comes; keep this page open. "
        "Stop takes it out of the queue.", max=run_queue.QUEUE.max_running, running=running, place=place))


def live_panel() -> None:
    """Progress, figures and curves of the latest run; trains a tick while it is running."""
    playing = state.active_run() is not None or state.waiting() is not None

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    @never_a_traceback(N_("the live training panel"))
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
            st.info(_("Choose the settings above and press **Start** to train on MNIST. Curves appear here live."))
            return
        show_run(run)

    panel()


def show_run(run) -> None:
    """The progress bar, latest accuracies and the curves of one run."""
    last = run.last
    done = last.epoch if last else 0
    status = pgettext("run status", run.status)
    # TRANSLATORS: the progress bar: {run} the run's name, {accuracy} a percentage, {status} the run's status.
    if last:
        text = _("{run}, validation {accuracy} · epoch {done} of {total} · {status}", run=run.label,
                 accuracy=f"{last.val_accuracy:.1%}", done=done, total=run.config.epochs, status=status)
    else:
        text = _("{run} · epoch {done} of {total} · {status}", run=run.label, done=done, total=run.config.epochs,
                 status=status)
    st.progress(run.progress, text=text)
    if run.status == DIVERGED:
        st.error(_(run.message))
    elif run.status == STOPPED and run.message:
        st.warning(_(run.message))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(_("Epochs done"), done)
    c2.metric(_("Training accuracy"), f"{last.train_accuracy:.1%}" if last else "–")
    c3.metric(_("Validation accuracy"), f"{last.val_accuracy:.1%}" if last else "–")
    c4.metric(_("Training time"), _("{seconds} s", seconds=f"{run.seconds:.1f}"))
    history = run.history
    st.plotly_chart(training_curves_figure(
        [h.epoch for h in history], [h.train_accuracy for h in history], [h.val_accuracy for h in history],
        [h.train_loss for h in history], [h.val_loss for h in history], lang=current_language(),
    ), key=keys.CURVES)


# TRANSLATORS: column headings of the run table.
TABLE_COLUMNS = {
    "run": N_("run"), "network": N_("network"), "layers": N_("layers"), "parameters": N_("parameters"),
    "activation": N_("activation"), "optimizer": N_("optimizer"), "learning rate": N_("learning rate"),
    "batch": N_("batch"), "augment": N_("augment"), "epochs": N_("epochs"), "train acc": N_("train acc"),
    "val acc": N_("val acc"), "seconds": N_("seconds"), "status": N_("status"),
}


def table_rows(lang: str) -> list[dict]:
    """The run table's rows in ``lang``: headings, statuses and "none" (the 1-layer net's activation)."""
    rows = [r.table_row() for r in state.runs()]
    if lang == "en":
        return rows
    # TRANSLATORS: the activation of the 1-layer network, which has no hidden layer.
    none = _("none")
    return [{_(TABLE_COLUMNS.get(key, key)): pgettext("run status", value) if key == "status" else
             none if (key == "activation" and value == "none") else value for key, value in row.items()} for row in rows]


def runs_table() -> None:
    """This session's runs side by side."""
    rows = table_rows(current_language())
    st.subheader(_("This session's runs"))
    if not rows:
        st.caption(_("Each run you start is added here, so you can compare 1, 2 and 3 layers."))
        return
    st.dataframe(rows, hide_index=True, key=keys.RUNS_TABLE, column_config={
        _("train acc"): st.column_config.NumberColumn(format="percent"),
        _("val acc"): st.column_config.NumberColumn(format="percent"),
        _("learning rate"): st.column_config.NumberColumn(format="%g"),
    })


@never_a_traceback(N_("the Train tab"))
def train_tab() -> None:
    """Everything on the Train tab."""
    run_queue.QUEUE.tidy()  # runs of closed tabs give their places and memory back
    data = state.training_data()
    # TRANSLATORS: {source} says where the digits come from (translated separately).
    note = _("Training data: {source}; the held-out digits are the validation set.", source=data.described())
    if len(data.x_train) < 60_000:
        note += " " + _("For all 60,000 MNIST digits run `python -m core.mnist download` and reload.")
    st.caption(note)
    settings_form()
    if st.session_state.get(keys.TRAIN_ERROR):
        st.error(_(st.session_state[keys.TRAIN_ERROR]))
    live_panel()
    runs_table()
