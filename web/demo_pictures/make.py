"""Draws the demo campaigns' pictures (simple flat illustrations, 1200 × 675 JPEG) with Pillow.

Run `python web/demo_pictures/make.py` to draw them again; the files are committed beside this
script and used by `load_demo` (web/demo_media.py). Made for civicfund; see LICENSE.md here."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1200, 675
HERE = Path(__file__).resolve().parent


def sky(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (W, H), top)
    draw = ImageDraw.Draw(image)
    for y in range(H):
        t = y / H
        draw.line([(0, y), (W, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return image


def save(image: Image.Image, name: str) -> None:
    image.save(HERE / name, "JPEG", quality=78, optimize=True, progressive=True)


def caravanserai(rng: random.Random) -> None:
    img = sky((250, 190, 120), (255, 236, 200))
    d = ImageDraw.Draw(img)
    d.ellipse([880, 90, 1010, 220], fill=(255, 245, 215))
    for i in range(4):  # dunes
        y = 470 + i * 40
        d.polygon(
            [(0, H), (0, y)]
            + [(x, y - 40 * math.sin(x / (180 + 30 * i) + i)) for x in range(0, W + 20, 20)]
            + [(W, H)],
            fill=(222 - i * 12, 170 - i * 10, 110 - i * 8),
        )
    d.rectangle([300, 300, 900, 520], fill=(196, 140, 90))  # the caravanserai
    d.rectangle([300, 285, 900, 305], fill=(170, 115, 70))
    for x in range(330, 880, 70):
        d.rectangle([x, 340, x + 36, 400], fill=(120, 78, 45))
        d.pieslice([x, 322, x + 36, 358], 180, 360, fill=(120, 78, 45))
    d.rectangle([560, 380, 640, 520], fill=(90, 55, 30))
    d.pieslice([560, 340, 640, 420], 180, 360, fill=(90, 55, 30))
    for x in (300, 860):
        d.rectangle([x - 10, 250, x + 50, 520], fill=(180, 125, 80))
    d.rectangle([120, 430, 210, 500], fill=(40, 40, 45))  # a film camera on its tripod
    d.ellipse([120, 395, 165, 440], fill=(40, 40, 45))
    d.ellipse([165, 395, 210, 440], fill=(40, 40, 45))
    d.polygon([(210, 450), (250, 432), (250, 500), (210, 482)], fill=(40, 40, 45))
    d.line([(165, 500), (120, 600)], fill=(40, 40, 45), width=7)
    d.line([(165, 500), (210, 600)], fill=(40, 40, 45), width=7)
    save(img, "caravanserai.jpg")


def film_set(rng: random.Random) -> None:
    img = sky((40, 36, 60), (90, 70, 90))
    d = ImageDraw.Draw(img)
    d.polygon([(560, 60), (300, 675), (900, 675)], fill=(120, 105, 90))  # the light's beam
    d.rectangle([520, 20, 600, 80], fill=(30, 30, 30))
    d.rectangle([380, 520, 820, 560], fill=(70, 50, 35))  # a clapperboard
    d.rectangle([380, 430, 820, 520], fill=(25, 25, 28))
    for x in range(380, 820, 60):
        d.polygon([(x, 430), (x + 30, 430), (x + 60, 400), (x + 30, 400)], fill=(240, 240, 240))
    d.rectangle([400, 450, 800, 500], outline=(240, 240, 240), width=3)
    save(img.filter(ImageFilter.SMOOTH), "film-set.jpg")


def theatre(rng: random.Random) -> None:
    img = sky((30, 30, 70), (70, 50, 110))
    d = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rng.randrange(W), rng.randrange(260)
        d.ellipse([x, y, x + 3, y + 3], fill=(255, 255, 220))
    d.rectangle([0, 480, W, H], fill=(90, 80, 80))  # the square
    d.rectangle([350, 300, 850, 480], fill=(160, 40, 50))  # the stage, curtains open
    d.rectangle([350, 280, 850, 310], fill=(200, 160, 60))
    d.polygon([(350, 310), (470, 310), (400, 480), (350, 480)], fill=(120, 20, 35))
    d.polygon([(850, 310), (730, 310), (800, 480), (850, 480)], fill=(120, 20, 35))
    for x, color in ((560, (250, 210, 90)), (640, (90, 200, 220))):  # two players
        d.ellipse([x - 18, 360, x + 18, 396], fill=color)
        d.rectangle([x - 16, 396, x + 16, 470], fill=color)
    for i in range(26):  # the audience
        x = 40 + i * 45
        y = 540 + (i % 2) * 40
        d.ellipse([x, y, x + 36, y + 36], fill=(40, 40, 50))
        d.rectangle([x - 4, y + 34, x + 40, y + 110], fill=(40, 40, 50))
    save(img, "street-theatre.jpg")


def books(rng: random.Random) -> None:
    img = sky((250, 245, 230), (240, 228, 200))
    d = ImageDraw.Draw(img)
    for shelf in range(3):
        y = 150 + shelf * 170
        d.rectangle([120, y + 130, 1080, y + 150], fill=(130, 85, 50))
        x = 140
        while x < 1050:
            w = rng.randrange(26, 50)
            h = rng.randrange(90, 128)
            color = rng.choice([(200, 70, 60), (60, 110, 170), (230, 180, 60), (70, 150, 100), (150, 90, 160)])
            d.rectangle([x, y + 130 - h, x + w, y + 130], fill=color)
            d.line([(x + 5, y + 140 - h), (x + w - 5, y + 140 - h)], fill=(250, 250, 240), width=3)
            x += w + 4
    save(img, "school-books.jpg")


def winter(rng: random.Random) -> None:
    img = sky((170, 200, 230), (235, 245, 250))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 540, W, H], fill=(250, 252, 255))
    for x, color in ((330, (200, 60, 60)), (600, (60, 120, 190)), (870, (240, 170, 40))):  # three coats
        d.polygon([(x - 110, 250), (x + 110, 250), (x + 140, 520), (x - 140, 520)], fill=color)
        d.polygon([(x - 110, 250), (x - 200, 450), (x - 160, 470), (x - 90, 330)], fill=color)
        d.polygon([(x + 110, 250), (x + 200, 450), (x + 160, 470), (x + 90, 330)], fill=color)
        d.ellipse([x - 40, 230, x + 40, 280], fill=(250, 250, 250))
        for b in range(3):
            d.ellipse([x - 8, 310 + b * 60, x + 8, 326 + b * 60], fill=(60, 40, 30))
    for _i in range(120):
        x, y = rng.randrange(W), rng.randrange(H)
        r = rng.randrange(2, 6)
        d.ellipse([x, y, x + r, y + r], fill=(255, 255, 255))
    save(img, "winter-coats.jpg")


def lamp(rng: random.Random) -> None:
    img = sky((30, 40, 80), (60, 70, 120))
    d = ImageDraw.Draw(img)
    d.polygon([(640, 250), (420, 620), (860, 620)], fill=(120, 110, 90))  # light on the desk
    d.rectangle([0, 600, W, H], fill=(120, 80, 50))
    d.rectangle([560, 560, 720, 600], fill=(50, 50, 55))  # the lamp
    d.line([(640, 560), (640, 360)], fill=(50, 50, 55), width=14)
    d.line([(640, 360), (560, 250)], fill=(50, 50, 55), width=14)
    d.polygon([(500, 200), (640, 180), (660, 270), (560, 300)], fill=(70, 160, 120))
    d.rectangle([585, 575, 700, 590], fill=(40, 90, 160))  # its solar panel
    d.ellipse([1000, 60, 1120, 180], fill=(255, 220, 90))
    d.rectangle([250, 560, 420, 600], fill=(240, 240, 230))  # an open book
    d.line([(335, 560), (335, 600)], fill=(150, 150, 140), width=3)
    save(img, "solar-lamp.jpg")


def garden(rng: random.Random, name: str = "community-garden.jpg", seed_shift: int = 0) -> None:
    img = sky((150, 205, 240), (220, 240, 250))
    d = ImageDraw.Draw(img)
    d.ellipse([80 + seed_shift * 300, 60, 180 + seed_shift * 300, 160], fill=(255, 230, 120))
    d.rectangle([0, 330, W, H], fill=(110, 170, 80))
    for row in range(3):  # raised beds
        y = 380 + row * 95
        d.rectangle([90, y, 1110, y + 60], fill=(130, 90, 55))
        for x in range(120, 1090, 48):
            color = rng.choice([(60, 140, 60), (80, 160, 70), (200, 70, 70), (240, 200, 60)])
            d.ellipse([x, y - 26, x + 32, y + 6], fill=color)
    for x in (40, 1130):  # trees
        d.rectangle([x, 230, x + 24, 340], fill=(100, 70, 40))
        d.ellipse([x - 60, 120, x + 84, 260], fill=(50, 120, 60))
    d.rectangle([520, 300, 700, 330], fill=(160, 110, 60))  # the bench
    d.rectangle([530, 330, 545, 360], fill=(120, 80, 45))
    d.rectangle([675, 330, 690, 360], fill=(120, 80, 45))
    save(img, name)


def seedlings(rng: random.Random) -> None:
    img = sky((235, 225, 205), (215, 200, 175))
    d = ImageDraw.Draw(img)
    for i in range(5):
        for j in range(3):
            x, y = 140 + i * 200, 140 + j * 170
            d.rectangle([x, y + 60, x + 120, y + 140], fill=(170, 95, 60))
            d.line([(x + 60, y + 60), (x + 60, y + 10)], fill=(60, 130, 60), width=6)
            d.ellipse([x + 20, y - 10, x + 62, y + 24], fill=(80, 160, 70))
            d.ellipse([x + 58, y - 20, x + 104, y + 16], fill=(80, 160, 70))
    save(img, "seedlings.jpg")


def playground(rng: random.Random) -> None:
    img = sky((140, 200, 235), (210, 235, 250))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 470, W, H], fill=(230, 140, 90))  # soft ground
    d.rectangle([0, 440, W, 470], fill=(100, 170, 220))  # the river
    d.line([(200, 470), (300, 180), (400, 470)], fill=(60, 80, 160), width=16)  # swing frame
    d.line([(500, 470), (600, 180), (700, 470)], fill=(60, 80, 160), width=16)
    d.line([(300, 180), (600, 180)], fill=(60, 80, 160), width=16)
    d.line([(400, 190), (400, 360)], fill=(40, 40, 40), width=4)
    d.line([(500, 190), (500, 360)], fill=(40, 40, 40), width=4)
    d.rounded_rectangle([380, 350, 520, 420], radius=20, fill=(250, 200, 60))  # a wheelchair swing platform
    for i, color in enumerate([(220, 60, 80), (250, 180, 40), (60, 170, 100), (80, 120, 220)]):  # sensory wall
        d.rectangle([820 + i * 80, 260, 890 + i * 80, 470], fill=color)
        d.ellipse([835 + i * 80, 300, 875 + i * 80, 340], fill=(255, 255, 255))
    save(img, "playground.jpg")


def main() -> None:
    rng = random.Random(16)
    caravanserai(rng)
    film_set(rng)
    theatre(rng)
    books(rng)
    winter(rng)
    lamp(rng)
    garden(rng)
    garden(rng, "garden-summer.jpg", seed_shift=3)
    seedlings(rng)
    playground(rng)


if __name__ == "__main__":
    main()
