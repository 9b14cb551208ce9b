"""Every session-state key of the digits page, in one place (widget keys double as element keys)."""

# What the page keeps between runs.
UPLOADED_MODEL = "digits_uploaded_model"  # (file name, Net) of a model the user uploaded
MODEL_ERROR = "digits_model_error"  # why the uploaded model was refused
RUNS = "digits_runs"  # tuple[RunSnapshot, ...]: this session's runs, oldest first
ENGINE = "digits_engine"  # RunEngine of the run being trained, or None
WAITING = "digits_waiting"  # state.Waiting: a started run waiting for a place on the server, or None
TRAIN_ERROR = "digits_train_error"  # why the last Start was refused
CANVAS_COUNT = "digits_canvas_count"  # bumping it gives the canvas a new key: Clear
PROBABILITY_HISTORY = "digits_probability_history"  # models.ProbabilityHistory of the drawing on the canvas

# Widgets and elements.
TABS = "digits_tab"
MODEL_CHOICE = "digits_model"  # the model the Draw tab reads with
INSPECT_CHOICE = "digits_inspect_model"  # the model the Inspect tab shows
MODEL_FILE = "digits_model_file"
DOWNLOAD = "digits_download"
CANVAS_BOX = "digits_canvas_box"
CLEAR = "digits_clear"
IMAGE_FILE = "digits_image_file"
CANVAS_READING = "digits_canvas_reading"
UPLOAD_READING = "digits_upload_reading"
ARCHITECTURE = "digits_arch"
WIDTHS = "digits_widths"
ACTIVATION = "digits_activation"
EPOCHS = "digits_epochs"
LEARNING_RATE = "digits_lr"
BATCH = "digits_batch"
OPTIMIZER = "digits_optimizer"
AUGMENT = "digits_augment"
SEED = "digits_seed"
START = "digits_start"
STOP = "digits_stop"
CURVES = "digits_curves"
RUNS_TABLE = "digits_runs_table"
CONFUSION = "digits_cm"
PER_CLASS = "digits_per_class"
GALLERY = "digits_gallery"
WEIGHTS = "digits_weights"
MAX_WEIGHT = "digits_max_weight"
INSIDES = "digits_insides"  # what the drawing lights up, beside the answer
HISTORY_CHART = "digits_history_chart"
ACTIVATIONS_CHART = "digits_activations_chart"
TOP_UNITS_CHART = "digits_top_units_chart"


def canvas(count: int) -> str:
    """The canvas's widget key: a new one after each Clear (its state holds the drawing)."""
    return f"digits_canvas_{count}"
