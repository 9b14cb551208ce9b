"""The 2D page's views, one module per view, each with its paused drawing (a plotly figure:
axes, zoom, hover) and its live drawing (a small Pillow image the training process redraws for
every refresh) side by side: ``map`` (the decision map), ``fit`` (the 1-D curve fit),
``curves`` (loss, accuracy, gradient and weight norms), ``network`` (the diagram, with
``neurons``' map per neuron), ``space`` (a hidden layer's space, computed in the ``hidden_space`` package)
and ``backprop`` (the backprop inspector: paused only, a diagram and a table). ``colors`` holds
every colour both drawings use, ``encoding`` how images and figures travel to the browser,
``labels`` the images' font.

Figure builders are pure functions: arrays in, figures or image bytes out; tests call them
without a browser. No Streamlit here.
"""
