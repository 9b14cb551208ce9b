"""The Train tab: settings, Start/Stop, the live training fragment and the run table.

While a run trains, a ``st.fragment(run_every=TICK_SECONDS)`` reruns only the live panel:
each tick trains for a time budget through ``core.Trainer`` (see ``digits_run.advance``),
then stores the new snapshot with one assignment. When the run ends the tick asks for a
full rerun, which switches the timer off and refreshes the other tabs.
"""

from __future__ import annotations

import streamlit as st

from core import TrainingDiverged

from . import digits_state as state
from .digits_charts import training_curves_figure
from .digits_errors import friendly_errors
from .digits_run import (
    ACTIVATIONS,
    ARCHITECTURES,
    DIVERGED,
    OPTIMIZERS,
    TRAINING,
    TrainConfig,
    advance,
    parse_widths,
    start_run,
    stop,
)

TICK_SECONDS = 0.6  # the browser asks for a tick at most this often...
BUDGET_SECONDS = 0.5  # ...and each tick trains this long, leaving time to draw
CUSTOM = "Custom widths"
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (16, 32, 64, 128, 256, 512)
ERROR = "digits_train_error"


def settings_form() -> None:
    """Draws the settings and the Start/Stop buttons (their callbacks run before the next
    script run, so the page is drawn with the run already started or stopped)."""
    training = state.active_run() is not None
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        arch = st.selectbox("Network", [*ARCHITECTURES, CUSTOM], index=1, key="digits_arch", disabled=training,
                            help="The lab's question: do 2 or 3 layers help? Compare the runs in the table below.")
        if arch == CUSTOM:
            st.text_input("Hidden widths", value="256,128", key="digits_widths", disabled=training,
                          help="Neurons per hidden layer, input side first, separated by commas.")
        st.selectbox("Activation", ACTIVATIONS, key="digits_activation", disabled=training)
    with c2:
        st.number_input("Epochs", min_value=1, max_value=200, value=10, step=1, key="digits_epochs", disabled=training)
        st.select_slider("Learning rate", LEARNING_RATES, value=0.001, key="digits_lr", disabled=training,
                         help="Adam works well at 0.001; plain SGD and momentum want about 0.1.")
    with c3:
        st.select_slider("Batch size", BATCH_SIZES, value=64, key="digits_batch", disabled=training)
        st.selectbox("Optimizer", OPTIMIZERS, key="digits_optimizer", disabled=training)
    with c4:
        st.checkbox("Augment (shifts, rotations, scaling, stroke width)", key="digits_augment", disabled=training,
                    help="Trains on altered copies too: slower epochs, better reading of hand-drawn digits.")
        st.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="digits_seed", disabled=training)
        b1, b2 = st.columns(2)
        b1.button("Start", type="primary", key="digits_start", disabled=training, width="stretch", on_click=begin)
        b2.button("Stop", key="digits_stop", disabled=not training, width="stretch", on_click=halt)


def config_from_widgets() -> TrainConfig:
    """The settings chosen in the form; raises ValueError for bad custom widths."""
    ss = st.session_state
    arch = ss["digits_arch"]
    hidden = parse_widths(ss.get("digits_widths", "")) if arch == CUSTOM else ARCHITECTURES[arch]
    return TrainConfig(
        hidden=hidden, activation=ss["digits_activation"], epochs=int(ss["digits_epochs"]), lr=float(ss["digits_lr"]),
        batch_size=int(ss["digits_batch"]), optimizer=ss["digits_optimizer"], augment=bool(ss["digits_augment"]),
        seed=int(ss["digits_seed"]),
    )


def begin() -> None:
    """Start a run with the chosen settings (or explain why not)."""
    st.session_state[ERROR] = None
    try:
        config = config_from_widgets()
        data = state.training_data()
        engine, snapshot = start_run(state.next_run_id(), config, data.as_tuple(), data.source)
    except (ValueError, TrainingDiverged) as exc:
        st.session_state[ERROR] = str(exc)
        return
    except MemoryError:
        st.session_state[ERROR] = "Not enough memory for this run: choose narrower layers or turn augmentation off."
        return
    state.put_run(snapshot)
    st.session_state[state.ENGINE] = engine
    st.session_state[state.INSPECT_CHOICE] = snapshot.run_id  # Inspect follows the newest run


def halt() -> None:
    """Stop the run in training; it keeps what it learnt and stays in the table."""
    run = state.active_run()
    if run is not None:
        state.put_run(stop(run))
    st.session_state[state.ENGINE] = None


def live_panel() -> None:
    """Progress, figures and curves of the latest run; trains a tick while it is running."""
    playing = state.active_run() is not None

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    @friendly_errors("the live training panel")
    def panel():
        engine, run = state.engine(), state.active_run()
        if engine is not None and run is not None and not engine.shown:
            # The script run that follows Start only draws the new run, so the page answers at once;
            # the timer's ticks do the training.
            engine.shown = True
        elif engine is not None and run is not None:
            new = advance(engine, run, BUDGET_SECONDS)
            if state.engine() is not engine:
                return  # Stop was pressed while this tick trained: its result is dropped
            state.put_run(new)
            if new.status != TRAINING:
                st.session_state[state.ENGINE] = None  # the run is over: free its trainer and data
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
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Epochs done", done)
    c2.metric("Training accuracy", f"{last.train_accuracy:.1%}" if last else "–")
    c3.metric("Validation accuracy", f"{last.val_accuracy:.1%}" if last else "–")
    c4.metric("Training time", f"{run.seconds:.1f} s")
    history = run.history
    st.plotly_chart(training_curves_figure(
        [h.epoch for h in history], [h.train_accuracy for h in history], [h.val_accuracy for h in history],
        [h.train_loss for h in history], [h.val_loss for h in history],
    ), key="digits_curves")


def runs_table() -> None:
    """This session's runs side by side."""
    rows = [r.table_row() for r in state.runs()]
    st.subheader("This session's runs")
    if not rows:
        st.caption("Each run you start is added here, so you can compare 1, 2 and 3 layers.")
        return
    st.dataframe(rows, hide_index=True, key="digits_runs_table", column_config={
        "train acc": st.column_config.NumberColumn(format="percent"),
        "val acc": st.column_config.NumberColumn(format="percent"),
        "learning rate": st.column_config.NumberColumn(format="%g"),
    })


@friendly_errors("the Train tab")
def train_tab() -> None:
    """Everything on the Train tab."""
    data = state.training_data()
    note = f"Training data: {data.source}; the held-out digits are the validation set."
    if len(data.x_train) < 60_000:
        note += " For all 60,000 MNIST digits run `python -m core.mnist download` and reload."
    st.caption(note)
    settings_form()
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR])
    live_panel()
    runs_table()
