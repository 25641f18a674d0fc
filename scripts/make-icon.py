"""Draws media/icon.png (128x128): three values feeding an operation, edges coloured like gradients.
Pure Python (zlib), so it needs nothing installed: run `python3 scripts/make-icon.py`."""
import math, struct, zlib

SIZE = 128
pixels = [[(0, 0, 0, 0)] * SIZE for _ in range(SIZE)]

def blend(x, y, color, alpha):
    if 0 <= x < SIZE and 0 <= y < SIZE and alpha > 0:
        r, g, b, a = pixels[y][x]
        na = alpha + a * (1 - alpha)
        mix = lambda c0, c1: int((c1 * alpha + c0 * a * (1 - alpha)) / na) if na else 0
        pixels[y][x] = (mix(r, color[0]), mix(g, color[1]), mix(b, color[2]), na)

def disc(cx, cy, radius, color):
    for y in range(int(cy - radius - 2), int(cy + radius + 2)):
        for x in range(int(cx - radius - 2), int(cx + radius + 2)):
            d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
            blend(x, y, color, max(0.0, min(1.0, radius - d + 0.5)))

def line(x0, y0, x1, y1, width, color):
    for y in range(SIZE):
        for x in range(SIZE):
            px, py = x + 0.5, y + 0.5
            dx, dy = x1 - x0, y1 - y0
            t = max(0, min(1, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)))
            d = math.hypot(px - (x0 + t * dx), py - (y0 + t * dy))
            blend(x, y, color, max(0.0, min(1.0, width / 2 - d + 0.5)))

def rounded_square(color, radius=24):
    for y in range(SIZE):
        for x in range(SIZE):
            cx = min(max(x + 0.5, radius), SIZE - radius)
            cy = min(max(y + 0.5, radius), SIZE - radius)
            d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
            blend(x, y, color, max(0.0, min(1.0, radius - d + 0.5)))

rounded_square((30, 34, 48))
green, red, blue, white = (80, 200, 120), (235, 90, 90), (90, 160, 250), (235, 238, 245)
line(30, 34, 70, 64, 7, green)
line(30, 94, 70, 64, 7, red)
line(70, 64, 104, 64, 7, blue)
disc(30, 34, 14, white); disc(30, 34, 9, green)
disc(30, 94, 14, white); disc(30, 94, 9, red)
disc(70, 64, 11, white)
disc(104, 64, 14, white); disc(104, 64, 9, blue)

raw = b''.join(b'\x00' + b''.join(struct.pack('BBBB', r, g, b, int(a * 255)) for r, g, b, a in row) for row in pixels)
chunk = lambda tag, data: struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
open('media/icon.png', 'wb').write(png)
