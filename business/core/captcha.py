"""Image captchas for anonymous forms, drawn with Pillow on this server.

Any anonymous form that needs a captcha (sign-in after failures, account recovery,
registration) asks the client to fetch one through the GraphQL query
``captcha { id image }``, shows the image, and sends the id and the typed answer
back with the form. The mutation then checks them:

    from business.core import captcha

    problems = captcha.captcha_problems(captcha_id, captcha_answer)
    if problems:
        return Payload(errors=field_errors(problems))

or, without the payload tuple, ``captcha.verify_captcha(captcha_id, answer)``.

Only an HMAC-SM3 of the normalised answer is kept, in the Django cache, for
``CAPTCHA_TTL_SECONDS``. A captcha is checked once: the first check deletes it,
right or wrong, so a client cannot try many answers against one image. Answers
ignore case and surrounding spaces.

With the in-process cache of the demo and the tests, a captcha issued by one
process is unknown to another. Production runs several workers with ``REDIS_URL``
set, which shares the captchas between them.
"""

import base64
import hmac
import io
import logging
import math
import random
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.encoding import force_bytes
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from business.core.crypto import sm3

logger = logging.getLogger(__name__)

# Characters that cannot be mistaken for each other in the drawn image: no 0/O/Q,
# 1/I/L/J, 2/Z, 5/S, 8/B, U/V.
ALPHABET = "34679ACDEFGHKMNPRTWXY"
ANSWER_LENGTH = 4
# Image size in pixels; the frontend shows it at this size next to the input.
WIDTH, HEIGHT = 132, 44
FONT_SIZE = 30
# 16 random bytes, URL-safe base64 encoded to 22 characters.
ID_BYTES = 16
ID_MAX_LENGTH = 64
ANSWER_MAX_LENGTH = 16
_CACHE_PREFIX = "captcha:"

CAPTCHA_REQUIRED = "请输入图片中的验证码。"
CAPTCHA_WRONG = "验证码不正确或已过期，请看清新的图片后重新输入。"


def _answer_digest(captcha_id: str, answer: str) -> str:
    """Return the stored form of an answer: HMAC-SM3 keyed by SECRET_KEY, bound to the id."""
    key = sm3.digest(force_bytes("business.core.captcha:" + settings.SECRET_KEY))
    normalised = answer.strip().upper()
    return sm3.hmac_sm3(key, force_bytes(f"{captcha_id}\x00{normalised}")).hex()


def _new_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(ANSWER_LENGTH))


def issue_captcha() -> tuple[str, str]:
    """Create a captcha and return ``(captcha_id, png_data_url)``.

    The data URL (``data:image/png;base64,…``) can be put straight into an ``<img>``.
    """
    captcha_id = secrets.token_urlsafe(ID_BYTES)
    answer = _new_answer()
    cache.set(
        _CACHE_PREFIX + captcha_id,
        _answer_digest(captcha_id, answer),
        timeout=settings.CAPTCHA_TTL_SECONDS,
    )
    png = draw_captcha(answer)
    return captcha_id, "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def verify_captcha(captcha_id: str, answer: str) -> bool:
    """Return whether ``answer`` is the answer of captcha ``captcha_id``, and use it up.

    The captcha is deleted by the first check whatever its result, so every further
    check of the same id returns False. Unknown, expired and malformed ids return False.
    """
    if not captcha_id or not answer:
        return False
    if len(captcha_id) > ID_MAX_LENGTH or len(answer) > ANSWER_MAX_LENGTH:
        return False

    key = _CACHE_PREFIX + captcha_id
    stored = cache.get(key)
    if stored is None:
        return False
    # delete() reports whether this call removed the key, so of two concurrent checks
    # of one captcha only one can succeed.
    if not cache.delete(key):
        return False
    return hmac.compare_digest(stored, _answer_digest(captcha_id, answer))


def captcha_problems(
    captcha_id: str | None, answer: str | None, field: str = "captcha"
) -> list[tuple[str, str, str]]:
    """Check a captcha and return payload problems ``(field, message, code)``, empty when right.

    Codes: ``captcha_required`` when no answer was typed (the captcha stays usable),
    ``captcha_invalid`` when the answer was wrong or the captcha expired (the client
    must fetch a new image).
    """
    if not (answer or "").strip():
        return [(field, CAPTCHA_REQUIRED, "captcha_required")]
    if not verify_captcha(captcha_id or "", answer or ""):
        return [(field, CAPTCHA_WRONG, "captcha_invalid")]
    return []


# --- Drawing ---------------------------------------------------------------------


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's bundled scalable font, so no system font has to be installed.
    return ImageFont.load_default(size=FONT_SIZE)


def _colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def _draw_character(character: str, rng: random.Random, font) -> Image.Image:
    """Return one character on a transparent tile, rotated by a random angle."""
    tile = Image.new("RGBA", (FONT_SIZE + 12, FONT_SIZE + 16), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((6, 4), character, font=font, fill=_colour(rng, 10, 110))
    return tile.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC, expand=True)


def _wave(image: Image.Image, rng: random.Random) -> Image.Image:
    """Shift each pixel column up or down along a sine curve, bending the text."""
    amplitude = rng.uniform(2.0, 3.5)
    period = rng.uniform(40, 70)
    phase = rng.uniform(0, 2 * math.pi)
    bent = Image.new("RGB", image.size, (255, 255, 255))
    for x in range(image.width):
        offset = int(amplitude * math.sin(2 * math.pi * x / period + phase))
        column = image.crop((x, 0, x + 1, image.height))
        bent.paste(column, (x, offset))
    return bent


def draw_captcha(answer: str) -> bytes:
    """Draw ``answer`` as distorted characters over noise and return the PNG bytes."""
    # The image noise need not be unpredictable, so a seeded Random is enough; the
    # answer itself comes from the secrets module.
    rng = random.Random(secrets.randbits(64))
    font = _font()
    image = Image.new("RGB", (WIDTH, HEIGHT), _colour(rng, 225, 250))
    draw = ImageDraw.Draw(image)

    for _ in range(40):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        draw.point((x, y), fill=_colour(rng, 120, 200))

    step = (WIDTH - 16) / len(answer)
    for index, character in enumerate(answer):
        tile = _draw_character(character, rng, font)
        x = int(8 + index * step + rng.uniform(-3, 3))
        y = int((HEIGHT - tile.height) / 2 + rng.uniform(-4, 4))
        image.paste(tile, (x, y), tile)

    image = _wave(image, rng)
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        start = (rng.randint(0, WIDTH // 3), rng.randint(4, HEIGHT - 4))
        middle = (rng.randint(WIDTH // 3, 2 * WIDTH // 3), rng.randint(0, HEIGHT))
        end = (rng.randint(2 * WIDTH // 3, WIDTH), rng.randint(4, HEIGHT - 4))
        draw.line([start, middle, end], fill=_colour(rng, 60, 160), width=2, joint="curve")

    image = image.filter(ImageFilter.SMOOTH)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
