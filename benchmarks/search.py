"""Full-text search over N indexed documents on PostgreSQL: p95 per kind of query.

The documents are synthetic portal articles: titles and bodies drawn from metrology
words and a skewed pool of common characters, written straight into the search
table with COPY (grams and tsvector built by search.text, as the indexer does). Each
query goes through search.service.search, the function behind the GraphQL ``search``
field: validation, the capped count, ranking and highlighting. The GraphQL layer
itself adds about a millisecond on top and is not timed here.

    BENCH_DATABASE_URL=postgres://…/metrology_bench python -m benchmarks search \\
        --search-documents 1000000 --search-queries 200

On SQLite the benchmark stops: the substring back end is meant for the demo only.
"""

import io
import random
import statistics
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from .figures import percentile

OBJECT_PREFIX = "bench-"
BATCH = 20_000

# Words of the field, so that 2–4 character terms match realistic shares of documents.
WORDS = [
    "计量", "检定", "校准", "器具", "证书", "强制检定", "电子秤", "水表", "电能表", "燃气表",
    "加油机", "血压计", "压力表", "衡器", "砝码", "计量标准", "技术机构", "监督检查", "专项",
    "通知", "公示", "法律法规", "规程", "规范", "考核", "授权", "型式批准", "定量包装", "企业",
    "市场监督管理局", "郑州市", "洛阳市", "新乡市", "开封市", "南阳市", "信阳市", "周口市",
    "检测", "准确", "量值", "溯源", "不确定度", "温度计", "流量计", "出租车计价器", "眼镜片",
]
# A skewed pool of common characters, so one-character terms range from rare to very common.
COMMON = "的一是在了和有中人不为这上个国到以说时要就出会可也你对生能而子那得于着下自之年过发后作里如"


def add_arguments(parser) -> None:
    group = parser.add_argument_group("search")
    group.add_argument("--search-documents", type=int, default=1_000_000, help="documents in the index")
    group.add_argument("--search-queries", type=int, default=200, help="timed queries per kind")


def _sentence(rng: random.Random, length: int) -> str:
    parts = []
    while sum(len(part) for part in parts) < length:
        if rng.random() < 0.55:
            parts.append(rng.choice(WORDS))
        else:
            parts.append(COMMON[min(int(rng.expovariate(0.12)), len(COMMON) - 1)])
    return "".join(parts)[:length]


def _copy_value(value: str) -> str:
    """Escape a value for COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _rows(start: int, count: int, rng: random.Random):
    from search import text

    now = timezone.now()
    for number in range(start, start + count):
        title = _sentence(rng, rng.randint(12, 30))
        body = _sentence(rng, rng.randint(80, 200))
        search_text = "\n".join([text.normalise(title), text.normalise(body)])
        vector = text.tsvector_literal([("A", text.normalise(title)), ("D", text.normalise(body))])
        updated = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 3))
        values = [
            "page", f"{OBJECT_PREFIX}{number}", title, body, f"/articles/{number}",
            updated.isoformat(), search_text, "", vector, "notices", "public", "", "",
        ]
        yield "\t".join(_copy_value(value) for value in values) + "\n"


COLUMNS = (
    "kind, object_id, title, body, url, updated_at, search_text, exact_key, search_vector, "
    "section, audience, audience_kinds, audience_divisions"
)


def prepare(documents: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM platform_search_searchdocument WHERE object_id LIKE %s",
            [OBJECT_PREFIX + "%"],
        )
        stored = cursor.fetchone()[0]
    missing = documents - stored
    if missing <= 0:
        print(f"Index already holds {stored} benchmark documents.")
        return

    print(f"Generating {missing} documents with COPY…", flush=True)
    started = time.perf_counter()
    rng = random.Random(stored)
    bulk = missing > 50_000
    with connection.cursor() as cursor:
        if bulk:
            # Building the GIN index once after loading is several times faster than
            # updating it row by row.
            cursor.execute("DROP INDEX IF EXISTS search_vector_gin")
        for offset in range(0, missing, BATCH):
            chunk = min(BATCH, missing - offset)
            buffer = io.StringIO("".join(_rows(stored + offset, chunk, rng)))
            cursor.copy_expert(
                f"COPY platform_search_searchdocument ({COLUMNS}) FROM STDIN", buffer
            )
            print(f"  {offset + chunk} / {missing}", flush=True)
        if bulk:
            cursor.execute(
                "CREATE INDEX search_vector_gin ON platform_search_searchdocument USING gin (search_vector)"
            )
        cursor.execute("ANALYZE platform_search_searchdocument")
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)


def query_sets(rng: random.Random, count: int) -> dict[str, list[str]]:
    two = [word for word in WORDS if len(word) == 2]
    three = [word for word in WORDS if len(word) == 3]
    four = [word for word in WORDS if len(word) == 4]
    return {
        "1 个汉字": [rng.choice(COMMON + "秤表检") for _ in range(count)],
        "2 个汉字": [rng.choice(two) for _ in range(count)],
        "3 个汉字": [rng.choice(three) for _ in range(count)],
        "4 个汉字": [rng.choice(four) for _ in range(count)],
        # Pairs of common characters that seldom stand side by side: rare and
        # mid-frequency terms, which go through the GIN index instead.
        "少见组合": [rng.choice(COMMON) + rng.choice(COMMON) for _ in range(count)],
        "混合查询": [
            rng.choice(["JJG 539 电子秤", "2026 水表", "郑州 加油机", "计量 检定 证书", "jjg 水表"])
            for _ in range(count)
        ],
    }


def run(arguments) -> None:
    from search import service

    if connection.vendor != "postgresql":
        print("The search benchmark needs PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
        return
    prepare(arguments.search_documents)

    rng = random.Random(7)
    # Warm the caches the way a running server has them warm.
    for term in ("计量", "的", "水表", "jjg"):
        service.search(term)

    header = ("查询类型", "次数", "p50 (ms)", "p95 (ms)", "最慢 (ms)", "平均结果数")
    print(f"{header[0]:<8} " + " ".join(f"{column:>10}" for column in header[1:]))
    for label, queries in query_sets(rng, arguments.search_queries).items():
        samples, totals = [], []
        for query in queries:
            started = time.perf_counter()
            results = service.search(query)
            samples.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
        print(
            f"{label:<8} {len(samples):>6} {statistics.median(samples):>10.1f} "
            f"{percentile(samples, 0.95):>10.1f} {max(samples):>10.1f} {statistics.mean(totals):>10.0f}"
        )
