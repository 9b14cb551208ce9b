"""Every session-state key of the 2D page, in one place (widget keys double as element keys).

The settings' widgets are named after their setting (``setting("lr")`` -> "pg_lr"); the hidden
layers' widgets (count, widths, activations) are named here too. Everything else the page keeps
between runs is a constant below, with what it holds.
"""

PREFIX = "pg_"


def setting(name: str) -> str:
    """The widget key of the setting ``name`` (a field of ``config.Config``)."""
    return PREFIX + name


# The hidden layers' widgets (together they show the settings "hidden" and "activations").
LAYERS = "pg_layers"  # how many hidden layers
SAME_ACTIVATION = "pg_same_act"  # one activation for every layer?
ALL_ACTIVATION = "pg_act_all"  # that activation


def units(layer: int) -> str:
    """Neurons in hidden layer ``layer`` (0-based)."""
    return f"pg_units_{layer}"


def activation(layer: int) -> str:
    """The activation of hidden layer ``layer`` (0-based) when layers differ."""
    return f"pg_act_{layer}"


# What the page keeps between runs.
PLAYING = "pg_playing"  # bool: training plays
LAST_CONFIG = "pg_last_config"  # the Config the widgets showed in the last run (it is in the URL)
PENDING_CONFIG = "pg_pending_config"  # a Config a button asked for: the widgets show it from the next run
NOTICES = "pg_notices"  # one-off messages shown at the top of the next run
QUIET_RESET = "pg_quiet_reset"  # a preset says what it loaded: no extra "network reset" notice
USER = "pg_user"  # the user's own data (UserData); never in the URL
USER_VERSION = "pg_user_version"  # bumps with each new upload or set of clicks, so the network resets
MODEL = "pg_model"  # the session's Model snapshot, replaced in one assignment
FRAME = "pg_frame"  # (model, its LiveFrame): the frame on screen, reused until a newer one is ready
SPEED = "pg_speed"  # recent (tick start, epoch) of ticks that showed a new frame, for the speed readout
DRAW_COST = "pg_draw_cost"  # moving average of a frame's drawing time when the tick draws it (seconds)
TICKS = "pg_ticks"  # frames shown: ticks that found a newer snapshot
NONCE = "pg_nonce"  # bumps on every full run; the transport buttons carry it
USED_NONCE = "pg_used_nonce"  # the nonce of the last transport click acted on
JOB = "pg_job"  # the session's handle in the server's training pool (pool.Job)
TICK_INTERVAL = "pg_tick_interval"  # the delay the last tick asked before the next (it adapts to the load)
TICK_SEQ = "pg_tick_seq"  # counts the live fragment's runs (each asks for the next with a new number)
NETWORK_SEQ = "pg_network_seq"  # the same for the network diagram's fragment
LAST_TICK = "pg_last_tick"  # when the live fragment's last tick started (perf_counter seconds)
PACER = "pg_pacer"  # (the last snapshot trained in a tick, its Pacer): in-tick training only
CSV_FILE_ID = "pg_csv_id"  # the uploaded CSV already read (an upload is read once)
CSV_ERROR = "pg_csv_error"  # why the last CSV was refused
CLICK_ERROR = "pg_click_error"  # why the clicked points were refused
EXPORT_EPOCHS_SEEN = "pg_export_epochs_seen"  # the network's epochs when the export's epochs last followed them
# inside-network: the backprop inspector's state (session only, not in the URL).
INSPECT_POINT = "pg_inspect_point"  # the training row the inspector follows (an index into the training data)
INSPECT_STEP = "pg_inspect_step"  # the inspector's step (an index into views.backprop.inspector_steps)
INSPECT_DRAWS = "pg_inspect_draws"  # how many random points were drawn: the next draw's seed
INSPECT_FOR = "pg_inspect_for"  # the (data, architecture) the point and step belong to: a new one starts over

# Buttons and other elements (a container's key is also its CSS class, st-key-<key>: page.css uses them).
PLAY = "pg_play"
STEP = "pg_step"
RESET = "pg_reset"
FIX = "pg_fix"  # "Reset and lower the learning rate" after a divergence
REGENERATE = "pg_regenerate"
CSV_UPLOAD = "pg_csv"
CANVAS = "pg_canvas"
CLICK_CLASSES = "pg_click_k"
CLICK_CLASS = "pg_click_class"
CLICK_USE = "pg_click_use"
CHART_MAP = "pg_chart_map"
CHART_LOSS = "pg_chart_loss"
CHART_GRADIENTS = "pg_chart_grads"
CHART_NETWORK = "pg_chart_net"
INTRO = "pg-intro"  # the page's caption (hidden on phones)
TRANSPORT = "pg-transport"  # the row of Play, Step, Reset
METRICS = "pg-metrics"  # the paused metrics
ENTER_LECTURE = "pg_lecture"
LECTURE_BAR = "pg-lecture-bar"
PRESET_CHOICE = "pg_preset_choice"  # the lecture bar's preset chooser
LEAVE_LECTURE = "pg_full_controls"
TICKER = "pg_ticker"  # the live fragment's clock (ticker.py)
NETWORK_TICKER = "pg_network_ticker"  # the network diagram's
EXPORT = "pg_export"  # the "Copy as Python" popover
EXPORT_EPOCHS = "pg_export_epochs"  # the epochs the exported script trains
EXPORT_DOWNLOAD = "pg_export_download"
# inside-network: the inspector's and the hidden-space view's elements.
INSPECT_MAP = "pg_inspect_map"  # the map a point is picked on
INSPECT_NET = "pg_inspect_net"
INSPECT_TABLE = "pg_inspect_table"
INSPECT_NEXT = "pg_inspect_next"
INSPECT_BACK = "pg_inspect_back"
INSPECT_RANDOM = "pg_inspect_random"
CHART_SPACE = "pg_chart_space"


def preset(index: int) -> str:
    """The button that loads preset ``index``."""
    return f"pg_preset_{index}"
