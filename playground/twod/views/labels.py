"""Text in the live images: one font for every label the Pillow drawings write."""

from PIL import ImageFont

# Pillow's bitmap font: labels in a live image every frame, ~20x faster than its FreeType default.
LABEL_FONT = ImageFont.load_default_imagefont()
