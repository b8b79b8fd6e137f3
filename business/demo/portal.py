"""Demo portal content beyond the three news sections: catalogues, legal education,
public disclosures, topic columns, the home layout and a division home.

Everything here is fictional and marked as demo content. Links to outside sites
point only at the two national sites named on the customer's sketch; the others
are example addresses.
"""

import datetime
import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image

from business.reference.models import Division
from cms.models import (
    CataloguePage,
    DisclosurePage,
    DivisionHomeLayout,
    LegalEducationPage,
    NoticePage,
    SectionIndexPage,
    TopicPage,
    WorkUpdatePage,
)
from cms.readership import Audience

from .content import DEMO_NOTE

TODAY = datetime.date(2026, 11, 30)

CATALOGUE_ENTRIES = [
    ("JJG 539-2016", "数字指示秤", "JJG", "current", datetime.date(2016, 11, 30)),
    ("JJG 162-2019", "饮用冷水水表", "JJG", "current", datetime.date(2020, 3, 31)),
    ("JJG 443-2023", "燃油加油机", "JJG", "current", datetime.date(2023, 9, 24)),
    ("JJF 1033-2023", "计量标准考核规范", "JJF", "current", datetime.date(2023, 9, 24)),
]

LEGAL_EDUCATION = [
    ("《计量法》中的强制检定是什么", "interpretation",
     "用于贸易结算、安全防护、医疗卫生、环境监测的计量器具，实行强制检定。"),
    ("集贸市场短斤缺两典型案例", "case",
     "某市场经营者使用改装电子秤被查处，本文介绍案件经过和处罚依据。"),
    ("家用电能表、水表、燃气表常识", "knowledge",
     "三表是居民最常用的计量器具，本文介绍如何查看检定标志。"),
]

DISCLOSURES = [
    ("2026年第四批计量标准考核结果公示", "assessment", "以下计量标准经考核合格，现予公示。"),
    ("2026年法定计量检定机构计量授权公示", "authorisation",
     "以下机构的计量授权申请经审查符合要求，现予公示。"),
    ("2026年集贸市场计量器具专项监督检查结果公示", "inspection", "专项监督检查结果如下，现予公示。"),
]

TOPICS = [
    ("国家企业信用信息公示系统", "查询企业登记、备案和行政处罚信息。",
     [("国家企业信用信息公示系统", "https://www.gsxt.gov.cn/", "external_system")]),
    ("强制检定管理系统", "强制检定计量器具的备案、检定和监督。",
     [("国家市场监督管理总局", "https://www.samr.gov.cn/", "external_system")]),
    ("定量包装商品生产企业计量保证能力自我声明", "企业自我声明的填报与公示。",
     [("自我声明填报（演示链接）", "https://example.org/declaration", "external_system")]),
    ("产业计量中心建设", "省级产业计量测试中心的建设进展。",
     [("外省计量网站（演示链接）", "https://example.org/province-metrology", "other_province")]),
    ("计量服务中小企业", "为中小企业提供计量咨询和技术服务。",
     [("外省计量服务平台（演示链接）", "https://example.org/sme", "other_province")]),
    ("计量专业技术委员会建设", "省计量专业技术委员会的组成和活动。",
     [("技术委员会介绍（演示链接）", "https://example.org/committee", "related_site")]),
]


def _demo_image(title: str, colour: tuple[int, int, int]) -> Image:
    """Create a plain banner image, so the demo needs no picture files."""
    picture = PillowImage.new("RGB", (1200, 360), colour)
    draw = ImageDraw.Draw(picture)
    for stripe in range(0, 1200, 40):
        draw.line([(stripe, 360), (stripe + 200, 0)], fill=(255, 255, 255), width=2)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"demo-{colour[0]}-{colour[2]}.png")
    )


def _add_articles(section, page_class, rows, slug, **extra):
    """Add one page per (title, category, summary) row under ``section``."""
    pages = []
    for offset, (title, category, summary) in enumerate(rows):
        pages.append(
            section.add_child(
                instance=page_class(
                    title=title,
                    slug=f"{slug}-{offset + 1}",
                    date=TODAY - datetime.timedelta(days=offset * 7 + 2),
                    publisher="河南省市场监督管理局",
                    summary=summary,
                    body=f"<p>{summary}</p>{DEMO_NOTE}",
                    category=category,
                    **extra,
                )
            )
        )
    return pages


def create_sections(home) -> dict[str, object]:
    """Add the sections beyond the three news sections and return the topic pages."""
    catalogues = home.add_child(instance=SectionIndexPage(title="规程规范目录", slug="catalogues"))
    catalogues.add_child(
        instance=CataloguePage(
            title="2026年河南省常用计量检定规程目录",
            slug="catalogue-2026",
            date=TODAY,
            publisher="河南省计量测试科学研究院",
            summary="全省强制检定工作常用的检定规程和技术规范。",
            body=f"<p>目录如下，以国家最新发布的版本为准。</p>{DEMO_NOTE}",
            entries=[
                ("entry", {"code": code, "name": name, "kind": kind, "status": status,
                           "effective_date": effective, "note": ""})
                for code, name, kind, status, effective in CATALOGUE_ENTRIES
            ],
        )
    )

    education = home.add_child(instance=SectionIndexPage(title="计量普法", slug="legal-education"))
    _add_articles(education, LegalEducationPage, LEGAL_EDUCATION, "legal-education")

    disclosures = home.add_child(instance=SectionIndexPage(title="公示公告", slug="disclosures"))
    _add_articles(
        disclosures,
        DisclosurePage,
        DISCLOSURES,
        "disclosures",
        period_start=TODAY - datetime.timedelta(days=3),
        period_end=TODAY + datetime.timedelta(days=4),
    )

    topics = home.add_child(instance=SectionIndexPage(title="专题专栏", slug="topics"))
    topic_pages = []
    for offset, (title, summary, links) in enumerate(TOPICS):
        topic_pages.append(
            topics.add_child(
                instance=TopicPage(
                    title=title,
                    slug=f"topic-{offset + 1}",
                    date=TODAY - datetime.timedelta(days=offset),
                    publisher="河南省市场监督管理局",
                    summary=summary,
                    body=f"<p>{summary}</p>{DEMO_NOTE}",
                    links=[
                        ("link", {"title": link_title, "url": url, "category": category,
                                  "description": ""})
                        for link_title, url, category in links
                    ],
                )
            )
        )
    return {"topics": topic_pages}


def create_restricted_pages(home) -> None:
    """Add a notice for regulators only and a work update for signed-in users."""
    notices = SectionIndexPage.objects.child_of(home).get(slug="notices")
    notices.add_child(
        instance=NoticePage(
            title="关于报送2026年度计量监督检查工作总结的通知（监管部门内部）",
            slug="notices-regulators-only",
            date=TODAY - datetime.timedelta(days=1),
            publisher="河南省市场监督管理局",
            summary="请各市、县市场监管部门于12月20日前报送年度工作总结。",
            body=f"<p>请各市、县市场监管部门于12月20日前报送年度工作总结。</p>{DEMO_NOTE}",
            audience=Audience.RESTRICTED,
            audience_kinds=",regulator,",
        )
    )
    updates = SectionIndexPage.objects.child_of(home).get(slug="work-updates")
    updates.add_child(
        instance=WorkUpdatePage(
            title="平台用户培训安排（登录用户可见）",
            slug="work-updates-signed-in",
            date=TODAY - datetime.timedelta(days=1),
            publisher="河南省计量测试科学研究院",
            summary="面向企业和技术机构用户的平台操作培训安排。",
            body=f"<p>培训分三期进行，请登录后查看详细安排。</p>{DEMO_NOTE}",
            audience=Audience.SIGNED_IN,
        )
    )


def _tile(page) -> dict:
    return {"title": page.title, "description": page.summary, "link": {"page": page, "url": ""}}


def home_layout(topic_pages, banners) -> list:
    return [
        ("banner", {"slides": [
            {"image": banners[0], "title": "计量惠民 服务发展", "caption": "河南省计量综合服务管理平台",
             "link": {"page": None, "url": ""}},
            {"image": banners[1], "title": "电子证书在线验伪", "caption": "扫描证书二维码或输入编号核验",
             "link": {"page": None, "url": ""}},
        ]}),
        ("news_tabs", {
            "sections": ["work_updates", "notices", "laws", "legal_education", "disclosures"],
            "count": 8,
        }),
        ("topic_tiles", {"title": "专题专栏", "tiles": [_tile(page) for page in topic_pages]}),
        ("links", {"title": "相关链接", "links": [
            {"title": "国家市场监督管理总局", "url": "https://www.samr.gov.cn/", "category": "related_site"},
            {"title": "国家企业信用信息公示系统", "url": "https://www.gsxt.gov.cn/",
             "category": "external_system"},
        ]}),
    ]


def create_portal_extras(home, *, with_images: bool = True) -> None:
    """Add the extra sections, restricted demo pages, the home layout and a division home."""
    created = create_sections(home)
    create_restricted_pages(home)

    banners = []
    if with_images:
        banners = [_demo_image("演示横幅一", (11, 61, 145)), _demo_image("演示横幅二", (29, 95, 191))]
    layout = home_layout(created["topics"], banners)
    if not banners:
        layout = [block for block in layout if block[0] != "banner"]
    home.layout = layout

    zhengzhou = Division.objects.filter(code="410100").first()
    if zhengzhou is not None:
        home.division_layouts.add(
            DivisionHomeLayout(
                division=zhengzhou,
                layout=[
                    ("news_tabs", {"sections": ["notices", "work_updates", "disclosures"], "count": 8}),
                    ("topic_tiles", {
                        "title": "郑州专题",
                        "tiles": [_tile(page) for page in created["topics"][:3]],
                    }),
                ],
            )
        )
    home.save_revision().publish()
