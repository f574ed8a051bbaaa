"""The web app's icons: the site's map pin (``static/locations/favicon.svg``) in white on
the brand's purple, drawn to PNG with the standard library alone.

``make icons`` writes them to ``static/locations/icons/``. The pin stays within the
central circle that a "maskable" icon keeps whatever shape a launcher cuts it to (80% of
the width), so the same files serve as both kinds of icon.
"""

import math
import struct
import sys
import zlib
from pathlib import Path

SIZES = (192, 512)
FOLDER = Path(__file__).resolve().parents[2] / "static" / "locations" / "icons"
PURPLE = (0x6B, 0x1F, 0x9E)
WHITE = (0xFF, 0xFF, 0xFF)

# The pin in the favicon's 32-unit box: a round head, a point below, a hole in the head.
HEAD = (16.0, 12.7, 12.0)  # centre x, centre y, radius
TIP = (16.0, 31.0)
HOLE = (16.0, 12.5, 5.0)
#: The pin's height (units) takes this share of the icon: its farthest point from the
#: centre is then 0.31 of the width, inside the maskable safe circle (0.4).
PIN_SHARE = 0.6


def _cone():
    """The tip's half-angle to the head's tangents, and how far along the axis from the
    tip the tangent points lie."""
    cx, cy, r = HEAD
    distance = math.hypot(cx - TIP[0], cy - TIP[1])
    half_angle = math.asin(r / distance)
    return half_angle, distance * math.cos(half_angle) ** 2


def in_pin(x: float, y: float) -> bool:
    """Whether the point (in the favicon's units) is white: in the pin, not in its hole."""
    hx, hy, hr = HOLE
    if (x - hx) ** 2 + (y - hy) ** 2 <= hr * hr:
        return False
    cx, cy, r = HEAD
    if (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
        return True
    half_angle, reach = _CONE
    # Along the axis from the tip towards the head's centre (straight up).
    along = TIP[1] - y
    across = abs(x - TIP[0])
    return 0 <= along <= reach and across <= along * math.tan(half_angle)


_CONE = _cone()


def pixels(size: int, samples: int = 4) -> list[bytes]:
    """The icon's rows, RGBA, each pixel the share of ``samples`` x ``samples`` points
    in the pin (smooth edges)."""
    scale = PIN_SHARE * size / (TIP[1] - 1.0)  # the pin spans y = 1 to 31
    rows = []
    for row in range(size):
        line = bytearray([0])  # PNG filter type 0 (none)
        for column in range(size):
            inside = 0
            for i in range(samples):
                for j in range(samples):
                    x = (column + (j + 0.5) / samples - size / 2) / scale + 16
                    y = (row + (i + 0.5) / samples - size / 2) / scale + 16
                    inside += in_pin(x, y)
            share = inside / (samples * samples)
            mixed = (round(p + (w - p) * share) for p, w in zip(PURPLE, WHITE, strict=True))
            line += bytes(mixed) + b"\xff"
        rows.append(bytes(line))
    return rows


def png(size: int) -> bytes:
    """The icon of ``size`` pixels square as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    data = zlib.compress(b"".join(pixels(size)), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def path(size: int) -> Path:
    return FOLDER / f"icon-{size}.png"


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        path(size).write_bytes(png(size))
        print(f"{path(size)}: {size} x {size}", file=sys.stderr)


if __name__ == "__main__":
    main()
