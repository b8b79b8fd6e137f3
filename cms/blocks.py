"""StreamField blocks of the portal: the home layout and the lists inside content pages.

The frontend never reads these blocks through grapple's generic StreamField types.
``cms.home`` turns the home layout into plain data, and ``cms.schema`` turns the
catalogue entries and topic links into typed fields, so each block's shape is one
GraphQL type that the frontend can rely on.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

# Sections an editor may show as tabs of a news block, in the order of the choices.
NEWS_SECTION_CHOICES = [
    ("work_updates", "工作动态"),
    ("notices", "通知公告"),
    ("laws", "法律法规"),
    ("catalogues", "规程规范目录"),
    ("legal_education", "计量普法"),
    ("disclosures", "公示公告"),
    ("topics", "专题专栏"),
]

PICTURE_POSITIONS = [
    ("top", "页面顶部通栏"),
    ("middle", "新闻区下方通栏"),
    ("side", "新闻区右侧"),
    ("bottom", "页面底部通栏"),
]

LINK_CATEGORIES = [
    ("external_system", "外部业务系统"),
    ("other_province", "外省计量网站"),
    ("related_site", "相关网站"),
]


class LinkTargetBlock(blocks.StructBlock):
    """A link to a portal page or to an address outside the portal; one of the two."""

    page = blocks.PageChooserBlock(label="门户页面", required=False)
    url = blocks.URLBlock(label="外部链接地址", required=False, help_text="以 https:// 或 http:// 开头")

    def clean(self, value):
        cleaned = super().clean(value)
        if cleaned.get("page") and cleaned.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("门户页面和外部链接只能填一个，请删除其中一个。")}
            )
        return cleaned


class BannerSlideBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片", help_text="建议宽 1200、高 360 像素")
    title = blocks.CharBlock(label="标题", max_length=60)
    caption = blocks.CharBlock(label="说明", max_length=120, required=False)
    link = LinkTargetBlock(label="点击后打开", required=False)


class BannerBlock(blocks.StructBlock):
    slides = blocks.ListBlock(BannerSlideBlock(), label="轮播图", min_num=1, max_num=8)

    class Meta:
        label = "横幅轮播"
        icon = "image"


class PictureBlock(blocks.StructBlock):
    position = blocks.ChoiceBlock(choices=PICTURE_POSITIONS, label="图片位", default="middle")
    image = ImageChooserBlock(label="图片")
    title = blocks.CharBlock(
        label="替代文字", max_length=60, help_text="图片无法显示时显示，并供读屏软件朗读"
    )
    link = LinkTargetBlock(label="点击后打开", required=False)

    class Meta:
        label = "图片位"
        icon = "image"


class NewsTabsBlock(blocks.StructBlock):
    sections = blocks.MultipleChoiceBlock(
        choices=NEWS_SECTION_CHOICES,
        label="页签",
        default=["work_updates", "notices", "laws"],
        help_text="按上面的顺序显示为页签",
    )
    count = blocks.IntegerBlock(label="每个页签的条数", default=8, min_value=1, max_value=20)

    class Meta:
        label = "新闻页签"
        icon = "list-ul"


class TopicTileBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="名称", max_length=30)
    description = blocks.CharBlock(label="简介", max_length=80, required=False)
    link = LinkTargetBlock(label="点击后打开")


class TopicTilesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="区块标题", max_length=30, default="专题专栏")
    tiles = blocks.ListBlock(TopicTileBlock(), label="专题", min_num=1, max_num=12)

    class Meta:
        label = "专题专栏"
        icon = "grip"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="名称", max_length=60)
    url = blocks.URLBlock(label="链接地址")
    category = blocks.ChoiceBlock(choices=LINK_CATEGORIES, label="类别", default="related_site")


class LinkGroupBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="区块标题", max_length=30, default="相关链接")
    links = blocks.ListBlock(LinkBlock(), label="链接", min_num=1, max_num=30)

    class Meta:
        label = "链接组"
        icon = "link"


class HomeLayoutBlock(blocks.StreamBlock):
    """The blocks editors arrange on the home page, top to bottom."""

    banner = BannerBlock()
    picture = PictureBlock()
    news_tabs = NewsTabsBlock()
    topic_tiles = TopicTilesBlock()
    links = LinkGroupBlock()


CATALOGUE_KINDS = [
    ("JJG", "检定规程"),
    ("JJF", "技术规范"),
    ("GB", "国家标准"),
    ("JJG(豫)", "地方计量技术规范"),
    ("other", "其他"),
]

CATALOGUE_STATUSES = [
    ("current", "现行"),
    ("upcoming", "即将实施"),
    ("abolished", "废止"),
]


class CatalogueEntryBlock(blocks.StructBlock):
    code = blocks.CharBlock(label="编号", max_length=40, help_text="例如 JJG 539-2016")
    name = blocks.CharBlock(label="名称", max_length=120)
    kind = blocks.ChoiceBlock(choices=CATALOGUE_KINDS, label="类别", default="JJG")
    status = blocks.ChoiceBlock(choices=CATALOGUE_STATUSES, label="状态", default="current")
    effective_date = blocks.DateBlock(label="实施日期", required=False)
    note = blocks.CharBlock(label="备注", max_length=120, required=False)

    class Meta:
        label = "目录条目"
        icon = "doc-full"


class TopicLinkBlock(LinkBlock):
    description = blocks.CharBlock(label="简介", max_length=120, required=False)

    class Meta:
        label = "链接"
        icon = "link"
