"""The MNIST page (/digits): read a drawn digit, train the lab's networks, look inside them."""
