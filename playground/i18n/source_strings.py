"""Every user-visible English message of the app, marked for extraction, until the code itself
is wrapped in ``_()`` / ``N_()``. Delete this file then (``python -m playground.i18n extract``
finds the messages in the code).

Each entry is the msgid as it will be once an f-string becomes a format string with named
placeholders (the code formats numbers first and passes them in), e.g.
``f"Preset loaded: **{preset.title}**. {preset.lesson}"`` -> ``"Preset loaded: **{title}**. {lesson}"``.
Markdown that wraps a whole label (``**Lecture presets**``) stays in the code; markdown inside
a sentence is part of the message. Grouped by the module that shows the text today.

``IMAGE_TEXT`` holds the messages drawn into images with the packaged font (``fonts.py``):
keep their translations short; the tests check that the font has every glyph they use.
"""

from playground.i18n import N_, NC_

APP = (
    # TRANSLATORS: the browser tab's title and the playground page's heading.
    N_("Neural-network playground"),
    # TRANSLATORS: page names in the navigation.
    N_("Playground"),
    N_("Digits (MNIST)"),
)

PLAYGROUND_PAGE = (
    # TRANSLATORS: sidebar section headings.
    N_("Data"),
    N_("Network"),
    N_("Training"),
    N_("Bring your points in the **Your data** panel on the right."),
    N_("Pick a dataset and a network on the left, press Play, and watch it learn. "
       "Orange and blue are the classes (more colours for more classes); the shade is the network's confidence."),
    N_("Your data"),
)

DIGITS_PAGE = (
    N_("Draw a digit and see what a network reads; train the lab's 1-, 2- and 3-layer networks on MNIST "
       "and compare them; look inside a trained network."),
    # TRANSLATORS: the digits page's tabs.
    N_("Draw a digit"),
    N_("Train"),
    N_("Inspect"),
)

PRESETS = (
    N_("A line can't do XOR"),
    N_("No hidden layer: the network can only draw one straight line, so the test accuracy stays near 50 %. "
       "Add a hidden layer of 4 neurons and press Play again."),
    N_("One hidden layer bends the boundary"),
    N_("Four tanh neurons each draw a line; the output combines them into a bent boundary that solves XOR."),
    N_("The spiral needs depth"),
    N_("Two hidden layers of 8 follow the arms of the spiral; with a single layer of 8 (try it) the boundary "
       "stays too simple."),
    N_("Too high a learning rate diverges"),
    N_("With learning rate 3 each step overshoots the minimum by more than it gains: within one epoch the loss "
       "explodes and training stops with an explanation. Press 'Reset and lower the learning rate'."),
    N_("Sigmoid layers make gradients vanish"),
    N_("Watch the gradient chart: each sigmoid layer shrinks the gradient, so the first layers barely learn. "
       "Switch the activation to relu or tanh to compare."),
    N_("A multi-class spiral"),
    N_("Three arms, three softmax outputs, cross-entropy loss: one colour per class."),
    N_("Regression fits a curve"),
    N_("One input, one output, squared error: the network's curve bends towards the noisy sine."),
)

CONTROLS = (
    # TRANSLATORS: dataset names in the Dataset menu.
    N_("Circle"),
    N_("Exclusive or (XOR)"),
    N_("Two Gaussians"),
    N_("Spiral"),
    N_("Two moons"),
    N_("Blobs (k classes)"),
    N_("Plane (regression)"),
    N_("Multi-Gaussian (regression)"),
    N_("Curve, 1-D (regression)"),
    N_("Your own data"),
    # TRANSLATORS: an optimizer in the Optimizer menu (SGD and Adam are names and stay as they are).
    N_("SGD + momentum"),
    # TRANSLATORS: "no regularization" in the Regularization menu.
    N_("None"),
    # TRANSLATORS: {title} is a preset's title, {lesson} its story (both translated).
    N_("Preset loaded: **{title}**. {lesson}"),
    N_("Lecture presets"),
    N_("Dataset"),
    N_("Classes"),
    N_("Points"),
    N_("Noise (%)"),
    N_("Training share (%)"),
    N_("The rest are test points, never trained on."),
    N_("Seed"),
    N_("Same seed, same data and same start weights."),
    N_("Regenerate"),
    N_("New data and new start weights (next seed)."),
    N_("Show test points"),
    N_("Discretize output"),
    N_("Input features"),
    N_("For the 1-D curve only x1, x1^2 and sin(x1) apply."),
    N_("Hidden layers"),
    N_("One activation for all layers"),
    N_("Activation"),
    N_("Neurons in layer {layer}"),
    # TRANSLATORS: the activation function of hidden layer number {layer}.
    N_("Activation {layer}"),
    N_("Learning rate"),
    N_("Batch size"),
    N_("Optimizer"),
    N_("Regularization"),
    N_("Regularization rate"),
    N_("Speed"),
    # TRANSLATORS: a speed on the Speed slider: {pace} epochs per second, e.g. "10/s".
    N_("{pace}/s"),
    # TRANSLATORS: the fastest setting of the Speed slider (as fast as the machine allows).
    N_("max"),
    N_("Epochs per second while playing. Slow it down to talk through what happens; 'max' trains as fast as "
       "this machine allows (TensorFlow Playground runs about 60/s)."),
    # TRANSLATORS: the choice of loss function for regression.
    N_("Loss"),
    N_("Mean squared error"),
    N_("Mean absolute error"),
    N_("Output: one softmax unit per class, loss: cross-entropy."),
    N_("{count} classes"),
    N_("regression targets"),
    # TRANSLATORS: {kind} is "{count} classes" or "regression targets".
    N_("Using {count} points of your own ({kind}, from a CSV)."),
    N_("Using {count} points of your own ({kind}, from clicks)."),
    N_("Upload CSV"),
    N_("Click points"),
    N_("Columns `x1,x2,label` (classes) or `x1,x2,target` (regression), a header row optional; at most 5,000 rows."),
    N_("CSV file"),
    # TRANSLATORS: {name} is the uploaded file's name, {reason} says why it was refused.
    N_("{name} was refused. {reason}"),
    N_("Classes to place"),
    N_("Class of the next point"),
    N_("class {label}"),
    N_("{count} points placed; the canvas spans -6..6 on both axes. Undo with the canvas toolbar."),
    N_("Use these points"),
)

STATE = (
    # TRANSLATORS: {key}={value} is a URL parameter as typed, {reason} one of the reasons below.
    N_("URL parameter `{key}={value}` ignored: {reason}"),
    N_("not a whole number"),
    N_("not a number"),
    N_("must be a positive number"),
    N_("use 1 or 0"),
    N_("choose one of {choices}"),
    N_("give neurons per layer as whole numbers, e.g. 8,8"),
    N_("every layer needs at least one neuron"),
    N_("unknown activation {name}; choose from {choices}"),
    N_("choose features from {choices}"),
    N_("unknown setting"),
    N_("URL parameter `act`: {count} activations for {layers} layers; used the first for all."),
    N_("URL parameter `{key}={value}` is out of range or between steps: used {used}."),
    # TRANSLATORS: why the network was rebuilt, shown in "Network reset: {reason}."
    N_("the data changed"),
    N_("the architecture changed"),
    # TRANSLATORS: layer names in charts and the network diagram.
    N_("hidden {layer}"),
    N_("output"),
    N_("No data of your own yet: upload a CSV or click points on the canvas, then press 'Use'."),
    N_("Training diverged at epoch {epoch}: the loss became infinite. The learning rate ({lr}) is probably too high "
       "for this network: reset and lower it."),
)

LIVE = (
    N_("Links: blue positive, orange negative weights, thicker for larger |w|. Each square: that neuron's output over "
       "the input plane."),
    N_("Hover for the weights when paused."),
    # TRANSLATORS: {reason} is "the data changed" or "the architecture changed".
    N_("Network reset: {reason}."),
    N_("Training diverged: reset the network (or lower the learning rate) before playing again."),
    N_("Learning rate lowered to {lr} and the network reset."),
    # TRANSLATORS: the transport buttons.
    N_("Pause"),
    N_("Play"),
    N_("Step"),
    N_("Train one epoch."),
    N_("Reset"),
    N_("New start weights, epoch 0."),
    N_("The address bar holds every setting: copy it to share this exact setup."),
    # TRANSLATORS: {reason} is the explanation of a divergence (translated separately).
    N_("Training stopped. {reason}"),
    N_("Reset and lower the learning rate"),
    # TRANSLATORS: {error} is a technical error (type and text), left in English.
    N_("This view could not be drawn ({error}). Press Reset or reload the page."),
    # TRANSLATORS: the live view's status line: how many pictures were shown, then the speed.
    N_("refresh #{count}"),
    N_("{refreshes} refreshes/s · {epochs} epochs/s"),
    # TRANSLATORS: image descriptions (alt text) for screen readers.
    N_("the network"),
    N_("decision map"),
    N_("loss and gradient curves"),
)

LIVE_FRAME = (
    # TRANSLATORS: the metrics above the decision map.
    N_("Epoch"),
    N_("Train loss"),
    N_("Test loss"),
    N_("Test accuracy"),
    N_("x1 from {xmin} to {xmax} (left to right), x2 from {ymin} to {ymax} (bottom to top)"),
    N_("The network's curve (line) through the data (train filled, test outlined)"),
    N_("Loss and accuracy; gradient and weight norms per layer (zoom and hover when paused)"),
)

CHARTS = (
    # TRANSLATORS: hover labels of the data points on the decision map.
    N_("train, class {label}"),
    N_("test, class {label}"),
    N_("train"),
    N_("test"),
    # TRANSLATORS: a regression point's target value, in its hover label.
    N_("target"),
    # TRANSLATORS: the colour bar's title (a regression value).
    N_("value"),
    # TRANSLATORS: the curve fitted by the network, in the 1-D chart's legend.
    N_("network"),
    # TRANSLATORS: chart legends, also drawn into the live image's legend: keep them short.
    N_("train loss"),
    N_("test loss"),
    N_("train accuracy"),
    N_("test accuracy"),
    # TRANSLATORS: axis titles.
    N_("epoch"),
    N_("accuracy"),
    N_("{layer} gradient norm: {value}"),
    N_("{layer} weight norm: {value}"),
    N_("gradient ‖dW‖"),
    N_("weights ‖W‖"),
    N_("layer {layer}, neuron {neuron}"),
    N_("bias {value}"),
    N_("input {number}"),
    N_("output {number}"),
)

# Text drawn into images (live curves and network diagram) with the packaged font.
IMAGE_TEXT = (
    # TRANSLATORS: drawn into the live images with little room: keep these short (the legend's
    # four entries share ~320 px at 12 px).
    N_("train acc"),
    N_("test acc"),
    N_("loss"),
    N_("gradient |dW| (log)"),
    N_("weights |W| (log)"),
    N_("layer {layer}"),
    N_("No training yet: press Play or Step."),
    N_("epoch {epoch}"),
    N_("input"),
    N_("hidden {layer} ({neurons})"),
    # also drawn into images: "train loss", "test loss" (CHARTS), "hidden {layer}", "output" (STATE)
)
IMAGE_MESSAGES = (*IMAGE_TEXT, "train loss", "test loss", "hidden {layer}", "output", "epoch")

DIGITS_DRAW = (
    N_("Model"),
    N_("Download this model"),
    N_("An .npz model file: use it with `python -m core.mnist predict --model digit-model.npz IMAGE`."),
    N_("Use your own model (.npz from this app or `python -m core.mnist train`)"),
    # TRANSLATORS: {name} is the uploaded file's name, {reason} says why (translated separately).
    N_("{name} was not loaded: {reason}"),
    N_("Predicted digit"),
    N_("The digit with the highest probability."),
    # TRANSLATORS: {confidence} is a percentage, e.g. "97%".
    N_("{confidence} sure"),
    N_("What the network sees (28×28)"),
    N_("Draw one digit with the mouse, any size, anywhere on the square."),
    N_("Clear"),
    N_("Draw a digit on the canvas: the network reads it when you lift the mouse."),
    N_("Or upload a picture of a digit"),
    N_("PNG or JPEG, light ink on dark or dark on light, any size up to 4096×4096"),
    N_("{name} cannot be read as a digit picture: {reason}"),
    N_("{name} looks blank: no ink stands out from the background. Upload a picture of one digit."),
)

DIGITS_ERRORS = (
    # TRANSLATORS: {section} is one of the four part names below; {error} is technical, in English.
    N_("Something went wrong in {section} ({error}). Reload the page to start again; if it happens again, "
       "please report it."),
    N_("the Draw tab"),
    N_("the Inspect tab"),
    N_("the live training panel"),
    N_("the Train tab"),
)

DIGITS_INSPECT = (
    N_("Model to inspect"),
    # TRANSLATORS: {count} is a number of digits, e.g. "10,000"; {accuracy} a percentage.
    N_("Accuracy on the {count} held-out digits: **{accuracy}**"),
    N_("Confusion matrix"),
    N_("Accuracy per digit"),
    N_("Misclassified held-out digits"),
    N_("The most confident mistakes first: the title says what the network read and what the digit is."),
    N_("First-layer weights"),
    N_("What each first-layer neuron looks for in the 28×28 input: red pixels push it up, blue pull it down."),
    N_("Largest absolute weight per epoch"),
    N_("Train a run to see how the largest weight of each layer grows epoch by epoch."),
)

DIGITS_MODELS = (
    N_("This model takes {inputs} inputs and gives {outputs} outputs; a digit model needs 784 inputs (a 28x28 image) "
       "and 10 outputs (one per digit). Train one here or with `python -m core.mnist train`."),
)

DIGITS_STATE = (
    N_("Loading the MNIST digits…"),
    N_("Preparing the ready model: trained on first use only, then loaded from the cache…"),
    N_("Ready model (trained with augmentation)"),
    N_("Uploaded: {name}"),
)

DIGITS_RUN = (
    # TRANSLATORS: the lab's three networks in the Network menu.
    N_("1 layer (784-10)"),
    N_("2 layers (784-100-10)"),
    N_("3 layers (784-100-50-10)"),
    N_("Hidden widths must be whole numbers from 1 to {max} separated by commas (e.g. 256,128); {part} is not."),
    N_("At most {max} hidden layers, got {count}."),
    N_("Unknown activation {name}; choose one of {choices}."),
    N_("Unknown optimizer {name}; choose one of {choices}."),
    N_("Train for at least one epoch."),
    # TRANSLATORS: a training run's name: {run} its number, {network} e.g. "784-100-10", {activation} e.g. "relu".
    N_("Run {run}: {network}"),
    N_("Run {run}: {network} {activation}"),
    # TRANSLATORS: a run's status.
    NC_("run status", "training"),
    NC_("run status", "finished"),
    NC_("run status", "stopped"),
    NC_("run status", "diverged"),
    # TRANSLATORS: column headings of the run table.
    N_("run"),
    N_("layers"),
    N_("parameters"),
    N_("activation"),
    N_("optimizer"),
    N_("learning rate"),
    N_("batch"),
    N_("augment"),
    N_("epochs"),
    N_("val acc"),
    N_("seconds"),
    N_("status"),
    # TRANSLATORS: the activation of the 1-layer network, which has no hidden layer.
    N_("none"),
)

DIGITS_TRAIN = (
    N_("Custom widths"),
    N_("The lab's question: do 2 or 3 layers help? Compare the runs in the table below."),
    N_("Hidden widths"),
    N_("Neurons per hidden layer, input side first, separated by commas."),
    N_("Epochs"),
    N_("Adam works well at 0.001; plain SGD and momentum want about 0.1."),
    N_("Augment (shifts, rotations, scaling, stroke width)"),
    N_("Trains on altered copies too: slower epochs, better reading of hand-drawn digits."),
    N_("Start"),
    N_("Stop"),
    N_("Not enough memory for this run: choose narrower layers or turn augmentation off."),
    N_("Choose the settings above and press **Start** to train on MNIST. Curves appear here live."),
    # TRANSLATORS: the progress bar: {run} the run's name, {accuracy} a percentage, {status} the run's status.
    N_("{run}, validation {accuracy} · epoch {done} of {total} · {status}"),
    N_("{run} · epoch {done} of {total} · {status}"),
    N_("Epochs done"),
    N_("Training accuracy"),
    N_("Validation accuracy"),
    N_("Training time"),
    N_("{seconds} s"),
    N_("This session's runs"),
    N_("Each run you start is added here, so you can compare 1, 2 and 3 layers."),
    # TRANSLATORS: {source} says where the digits come from (translated separately).
    N_("Training data: {source}; the held-out digits are the validation set."),
    N_("For all 60,000 MNIST digits run `python -m core.mnist download` and reload."),
)

DIGITS_CHARTS = (
    N_("Accuracy"),
    # TRANSLATORS: the training set's curve in the chart legend (the run status is another message).
    N_("training"),
    N_("validation"),
    N_("true {true}, predicted {predicted}: {count}"),
    N_("predicted digit"),
    N_("true digit"),
    # TRANSLATORS: no accuracy for a digit that has no examples.
    N_("n/a"),
    N_("digit {digit}: {value}"),
    N_("No misclassified digits"),
    # TRANSLATORS: a mistake's title above its picture; keep it short.
    N_("pred {predicted} / true {true}"),
    N_("digit {digit}"),
    N_("unit {unit}"),
    N_("max |w|"),
    N_("digit"),
    N_("probability"),
)

USERDATA = (
    N_("The file is {size} KB; the limit is {limit} KB. Upload fewer points."),
    N_("Line {line}: not UTF-8 text. Save the file as a plain CSV (UTF-8)."),
    N_("Line {line}: expected 3 values (x1, x2, label or target), found {count}."),
    # TRANSLATORS: {column} is x1, x2 or label/target; {value} the cell as written in the file.
    N_("Line {line}: {column} is {value}, not a number."),
    N_("Line {line}: {column} is {value}; every value must be a finite number."),
    N_("Line {line}: more than {max} data rows; the limit is {max}."),
    N_("The file has {count} data rows; at least {min} are needed (x1,x2,label per line)."),
    N_("Line {line}: label {label} is not a whole number; labels name classes (0, 1, 2, ...)."),
    N_("Line {line}: every row has label {label}; a classifier needs at least two classes."),
    # TRANSLATORS: {count} is the number of the class that is one too many, e.g. "a 9th class".
    N_("Line {line}: a {count}th class; at most {max} classes are supported."),
    N_("Line {line}: the header has {count} columns; use x1,x2,label or x1,x2,target."),
    N_("Line {line}: the third column is {name}; name it 'label' (classes) or 'target' (regression)."),
    N_("{count} points placed; place at least {min} (of at least two classes)."),
    N_("All points have the same class: switch the class and place a few points of another."),
)

# Messages of core/ that reach the pages (core stays English; the page translates them).
CORE = (
    N_("Training diverged at step {step} (epoch {epoch}): {what}. The learning rate ({lr}) is probably too high for "
       "this network: reset the network and lower the learning rate (or the batch size's inverse, or remove extreme "
       "inputs)."),
    N_("the loss became {value}"),
    N_("a weight in {layer} became NaN or infinite"),
    N_("embedded MNIST sample (4,000 train / 1,000 held-out digits)"),
    N_("MNIST from {folder}"),
    N_("The image has no pixels ({width}x{height})."),
    N_("The image is {width}x{height}; the limit is {limit}x{limit}. Scale it down first."),
    N_("Not a readable image ({error}). Use a PNG or JPEG file."),
    N_("Not a model file, or it is truncated or corrupt: a model file is an .npz (zip) archive."),
    N_("The file holds pickled Python objects, which are never loaded (they could run code)."),
    N_("Not a readable model file: {error}"),
    N_("Not a model file, or it is truncated or corrupt ({error})."),
    N_("The model file is larger than the {limit} MiB allowed."),
    N_("The model file is empty."),
    N_("Not a model file of this project: it has no 'meta' entry."),
    N_("The model's metadata is not valid JSON: {error}"),
    N_("Not a model file of this project (format is not {format})."),
    N_("Model file version {version} is not supported (this program reads {supported})."),
    N_("The model must list between 1 and {max} layers."),
    N_("The model's 'extra' metadata must be a JSON object."),
    N_("Layer {layer} ({kind}) has no '{name}' array."),
    N_("Layer {layer} ({kind}) '{name}' has dtype {dtype}; expected float32 or float64."),
    N_("Layer {layer} ({kind}) '{name}' contains NaN or infinity."),
    N_("Layer {layer} (Linear) has invalid sizes nin={nin}, nout={nout}."),
    N_("Layer {layer} (Linear) takes {nin} inputs but the layer before gives {width}."),
    N_("Layer {layer} ({kind}) has W {w_shape} and b {b_shape}; expected {w_expected} and {b_expected}."),
    N_("Layer {layer} (Standardize) arrays must be shaped (1, features)."),
    N_("Layer {layer} (LeakyReLU) has an invalid slope {value}."),
    N_("Layer {layer} (Dropout) has an invalid rate {value}."),
    N_("Layer {layer} has unknown type {kind}."),
    N_("The model has no Linear layer."),
    N_("The model file has arrays no layer uses: {names}."),
)

I18N = (
    # TRANSLATORS: a bad ?lang= in the URL; {value} as typed, {choices} the language codes.
    N_("URL parameter `lang={value}` ignored: choose one of {choices}."),
)
