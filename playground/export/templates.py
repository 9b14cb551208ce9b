'''The pieces of an exported script: the core's layers, losses and optimizers rewritten in the
lesson's plain style, one small template string each.

Each template mirrors the core's code operation for operation, in the same order and dtype
(``core/layers.py``, ``core/losses.py``, ``core/optim.py``, ``core/datasets.py``), so the
exported script reproduces the page's numbers; tests/export/test_templates.py checks every
class against the core's on random inputs. Change the core, and that test says which template
to change with it. Templates are code, never formatted with user input: the settings go into
the script's header as literals (``script.literal``).
'''

from __future__ import annotations

# ---- the data -------------------------------------------------------------------------------------
SPLIT = '''
def train_test_split(x, y, train_fraction, rng):
    """Shuffle rows with rng and split: (x_train, y_train, x_test, y_test)."""
    order = rng.permutation(len(x))
    n_train = max(1, int(round(len(x) * train_fraction)))
    tr, te = order[:n_train], order[n_train:]
    return x[tr], y[tr], x[te], y[te]
'''

# Each input feature as an expression of a (x1) and b (x2), as core.datasets.FEATURES computes it.
FEATURE_CODE = {
    "x1": "a",
    "x2": "b",
    "x1^2": "a * a",
    "x2^2": "b * b",
    "x1*x2": "a * b",
    "sin(x1)": "np.sin(a)",
    "sin(x2)": "np.sin(b)",
}

# ---- the layers -----------------------------------------------------------------------------------
INIT = '''
def init_weights(init, nin, nout, rng):
    """A (nout, nin) float64 weight matrix: "xavier" (uniform) or "he" (normal), as the playground."""
    if init == "xavier":
        limit = np.sqrt(6.0 / (nin + nout))
        return rng.uniform(-limit, limit, (nout, nin))
    return rng.normal(0.0, np.sqrt(2.0 / nin), (nout, nin))
'''

LINEAR = '''
class Linear:
    """Fully connected layer y = x @ W.T + b. W: (nout, nin), b: (1, nout)."""

    def __init__(self, nin, nout, init, rng):
        self.W = init_weights(init, nin, nout, rng).astype(DTYPE)
        self.b = np.zeros((1, nout), dtype=DTYPE)

    def forward(self, x):
        """x: (batch, nin) -> (batch, nout); keeps x for backward."""
        self.x = x
        return x @ self.W.T + self.b

    def backward(self, dz):
        """dz: dLoss/dOutput (batch, nout) -> dLoss/dInput (batch, nin); sets dW and db."""
        self.dW = dz.T @ self.x
        self.db = dz.sum(axis=0, keepdims=True)
        return dz @ self.W

    def update(self, lr):
        """Plain gradient descent."""
        self.W -= lr * self.dW
        self.b -= lr * self.db
'''

# The activations by the playground's name: (class name, source).
ACTIVATIONS = {
    "tanh": ("Tanh", '''
class Tanh:
    """Hyperbolic tangent; its derivative from the kept output: 1 - y^2."""

    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, dy):
        return (1.0 - self.y * self.y) * dy

    def update(self, lr):
        pass  # nothing to learn
'''),
    "relu": ("ReLU", '''
class ReLU:
    """max(0, x)."""

    def forward(self, x):
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dy):
        return dy * self.mask

    def update(self, lr):
        pass  # nothing to learn
'''),
    "sigmoid": ("Sigmoid", '''
class Sigmoid:
    """Logistic sigmoid, as 0.5 * (1 + tanh(x / 2)), which never overflows."""

    def forward(self, x):
        self.y = (np.tanh(x * 0.5) + 1.0) * 0.5
        return self.y

    def backward(self, dy):
        return dy * self.y * (1.0 - self.y)

    def update(self, lr):
        pass  # nothing to learn
'''),
    "linear": ("Identity", '''
class Identity:
    """The linear activation: values and gradients pass unchanged."""

    def forward(self, x):
        return x

    def backward(self, dy):
        return dy

    def update(self, lr):
        pass  # nothing to learn
'''),
    "leaky_relu": ("LeakyReLU", '''
class LeakyReLU:
    """x for x > 0, alpha * x otherwise."""

    def __init__(self, alpha=0.01):
        self.alpha = alpha

    def forward(self, x):
        self.mask = x > 0
        return np.where(self.mask, x, x * self.alpha)

    def backward(self, dy):
        return np.where(self.mask, dy, dy * self.alpha)

    def update(self, lr):
        pass  # nothing to learn
'''),
}
# Activations whose layers start with He initialisation (the others, and the output, with Xavier).
HE_ACTIVATIONS = ("relu", "leaky_relu")

NET = '''
class Net:
    """Layers applied in order (the lesson's Net)."""

    def __init__(self):
        self.layers = []

    def add(self, layer):
        self.layers.append(layer)

    def forward(self, x):
        """x: (batch, features) -> (batch, outputs)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dz):
        for layer in reversed(self.layers):
            dz = layer.backward(dz)
        return dz

    def update(self, lr):
        for layer in self.layers:
            layer.update(lr)

    def parameters(self):
        """Every trainable array as (value, gradient, is a weight): W and b of each Linear."""
        return [(p, g, is_weight) for layer in self.layers if isinstance(layer, Linear)
                for p, g, is_weight in ((layer.W, layer.dW, True), (layer.b, layer.db, False))]
'''

# ---- the losses (by the playground's name) ------------------------------------------------------------
LOSSES = {
    "cross_entropy": ("SoftmaxCrossEntropy", '''
class SoftmaxCrossEntropy:
    """Softmax and cross-entropy in one step on logits z: (batch, k) and labels y: (batch,)."""

    def forward(self, z, y):
        """The batch mean of -log softmax(z)[i, y_i]."""
        shifted = z - z.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = float(np.log(s).sum()) - float(shifted[rows, y].sum())
        self.p, self.y, self.rows = e / s, y, rows
        return loss / len(y)

    def backward(self, loss=None):
        """dLoss/dz = (softmax(z) - onehot(y)) / batch."""
        g = self.p.copy()
        g[self.rows, self.y] -= 1.0
        g *= 1.0 / len(self.y)
        return g
'''),
    "mse": ("MSELoss", '''
class MSELoss:
    """Mean squared error: mean((pred - target)^2); pred, target: (batch, 1)."""

    def forward(self, pred, target):
        self.diff = pred - target
        return float(np.vdot(self.diff, self.diff)) / self.diff.size

    def backward(self, loss=None):
        return self.diff * (2.0 / self.diff.size)
'''),
    "mae": ("MAELoss", '''
class MAELoss:
    """Mean absolute error: mean(|pred - target|); pred, target: (batch, 1)."""

    def forward(self, pred, target):
        self.diff = pred - target
        return float(np.abs(self.diff).sum()) / self.diff.size

    def backward(self, loss=None):
        return np.sign(self.diff) * (1.0 / self.diff.size)
'''),
}

# ---- the optimizers -----------------------------------------------------------------------------------
# The gradient a step uses, by regularisation: L1 and L2 apply to weights, not biases.
GRADIENT = {
    "none": '''
def gradient(g, w, is_weight):
    """No regularisation: the loss's own gradient."""
    return g
''',
    "l1": '''
def gradient(g, w, is_weight):
    """The loss's gradient plus the L1 penalty's, REGULARIZATION_RATE * sign(w), on weights."""
    return g + REGULARIZATION_RATE * np.sign(w) if is_weight else g
''',
    "l2": '''
def gradient(g, w, is_weight):
    """The loss's gradient plus the L2 penalty's, REGULARIZATION_RATE * w, on weights."""
    return g + REGULARIZATION_RATE * w if is_weight else g
''',
}

# By the playground's name: (the line that makes it, source).
OPTIMIZERS = {
    "sgd": ("SGD(LEARNING_RATE)", '''
class SGD:
    """Gradient descent: w -= lr * gradient."""

    def __init__(self, lr):
        self.lr = lr

    def step(self, net):
        for w, g, is_weight in net.parameters():
            w -= self.lr * gradient(g, w, is_weight)
'''),
    "momentum": ("Momentum(LEARNING_RATE)", '''
class Momentum:
    """Gradient descent with heavy-ball momentum: v = momentum * v - lr * gradient; w += v."""

    def __init__(self, lr, momentum=0.9):
        self.lr, self.momentum = lr, momentum
        self.velocity = None

    def step(self, net):
        params = net.parameters()
        if self.velocity is None:
            self.velocity = [np.zeros_like(w) for w, _, _ in params]
        for v, (w, g, is_weight) in zip(self.velocity, params):
            v *= self.momentum
            v -= self.lr * gradient(g, w, is_weight)
            w += v
'''),
    "adam": ("Adam(LEARNING_RATE)", '''
class Adam:
    """Adam (Kingma & Ba) with bias correction, both corrections folded into one step size."""

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.moments = None

    def step(self, net):
        params = net.parameters()
        if self.moments is None:
            self.moments = [(np.zeros_like(w), np.zeros_like(w)) for w, _, _ in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step_size = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for (m, v), (w, g, is_weight) in zip(self.moments, params):
            g = gradient(g, w, is_weight)
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            w -= step_size * m / (np.sqrt(v) + self.eps)
'''),
}

# ---- training ---------------------------------------------------------------------------------------
# ``string.Template`` placeholders, filled by script.py with code of its own (never user input):
# $accuracy (an expression of out and y, or None), $targets (lines shaping regression targets),
# $loss (the loss class), $optimizer (a line that makes it, or none), $step (the update call).
TRAINING = '''
def evaluate(net, loss, x, y):
    """Full-batch loss and accuracy (None for regression) of the network on x, y, as the playground measures them."""
    out = net.forward(x)
    return loss.forward(out, y), $accuracy


def progress(epoch, train_loss, test_loss, test_accuracy):
    line = "epoch {epoch:>6}  train loss {train:.4f}".format(epoch=epoch, train=train_loss)
    if test_loss is not None:
        line += "  test loss {test:.4f}".format(test=test_loss)
    if test_accuracy is not None:
        line += "  test accuracy {accuracy:.1%}".format(accuracy=test_accuracy)
    return line


def main():
    x_train, y_train, x_test, y_test, n_outputs = make_data()
    x_train = np.ascontiguousarray(make_features(x_train), dtype=DTYPE)
    x_test = np.ascontiguousarray(make_features(x_test), dtype=DTYPE)
$targets    net = build_network(x_train.shape[1], n_outputs)
    loss = $loss()
$optimizer    rng = np.random.default_rng(SEED)  # shuffles the training points, a new order each epoch
    n = len(x_train)
    order = rng.permutation(n)
    every = max(1, EPOCHS // 10)
    for epoch in range(1, EPOCHS + 1):
        for start in range(0, n, BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            out = net.forward(x_train[batch])
            batch_loss = loss.forward(out, y_train[batch])
            if not math.isfinite(batch_loss):
                sys.exit("Training diverged in epoch {epoch}: the loss became {loss}. The learning rate is "
                         "probably too high: lower it.".format(epoch=epoch, loss=batch_loss))
            net.backward(loss.backward(batch_loss))
            $step
        order = rng.permutation(n)
        if epoch % every == 0 or epoch == EPOCHS:
            train_loss, _ = evaluate(net, loss, x_train, y_train)
            test_loss, test_accuracy = evaluate(net, loss, x_test, y_test) if len(x_test) else (None, None)
            print(progress(epoch, train_loss, test_loss, test_accuracy))
    if not all(math.isfinite(v) for v in (train_loss, test_loss) if v is not None):
        sys.exit("Training diverged: the loss is not finite. The learning rate is probably too high: lower it.")
    print(json.dumps({"epoch": EPOCHS, "train_loss": train_loss, "test_loss": test_loss,
                      "test_accuracy": test_accuracy}))


if __name__ == "__main__":
    main()
'''
ACCURACY = "float(np.mean(out.argmax(axis=1) == y))"
REGRESSION_TARGETS = '''    y_train = np.asarray(y_train, dtype=DTYPE).reshape(-1, 1)  # targets as a column, in float32
    y_test = np.asarray(y_test, dtype=DTYPE).reshape(-1, 1)
'''
