// Every string the portal shows, grouped by screen. `common` contains the shared ones.
const zhCN = {
  app: {
    name: "河南省计量综合服务管理平台",
    nav: {
      label: "主导航",
      home: "首页",
      certificateCheck: "证书验伪",
    },
    footer: {
      // TODO: replace the placeholder once the customer confirms the organiser's details.
      organiser: "主办单位：河南省市场监督管理局",
    },
  },
  common: {
    loading: "加载中…",
    loadFailed: "加载失败，请稍后重试",
    retry: "重试",
    empty: "暂无内容",
    missingValue: "—",
    back: "返回",
  },
  home: {
    title: "首页",
    newsTitle: "新闻动态",
    tabs: {
      workUpdates: "工作动态",
      notices: "通知公告",
      laws: "法律法规",
    },
    topicsTitle: "专题专栏",
    topics: {
      creditPublicity: "国家企业信用信息公示系统",
      mandatoryVerification: "强制检定管理系统",
      prepackagedDeclaration: "定量包装商品生产企业计量保证能力自我声明",
      industrialMetrology: "产业计量中心建设",
      smeServices: "计量服务中小企业",
      technicalCommittees: "计量专业技术委员会建设",
    },
    checkEntry: {
      title: "电子证书验伪",
      description: "输入证书编号和校验码，或扫描证书上的二维码，核验电子证书的真伪与状态。",
      action: "立即验伪",
    },
  },
  article: {
    title: "文章详情",
    section: "栏目：{name}",
    date: "发布日期：{date}",
    publisher: "发布单位：{publisher}",
    notFound: "未找到该文章",
    backHome: "返回首页",
  },
  certificateCheck: {
    title: "证书验伪",
    intro: "请输入证书编号和证书上印制的校验码。扫描证书二维码打开本页时将自动查询。",
    number: "证书编号",
    numberPlaceholder: "请输入证书编号",
    checkCode: "校验码",
    checkCodePlaceholder: "请输入证书上印制的校验码",
    submit: "查询",
    validation: {
      numberRequired: "请输入证书编号",
      checkCodeRequired: "请输入证书上印制的校验码",
    },
    requestFailed: "查询失败，请稍后重试",
    resultTitle: {
      AUTHENTIC: "证书真实有效",
      VOID: "证书已作废",
      ALTERED: "证书内容已被篡改",
      NOT_FOUND: "未查询到该证书",
      INVALID: "输入有误",
    },
    voidReasonLabel: "作废原因：",
    fields: {
      number: "证书编号",
      kindLabel: "证书类型",
      institutionName: "检定机构",
      clientName: "委托单位",
      instrumentName: "器具名称",
      model: "型号规格",
      serialNumber: "出厂编号",
      conclusion: "检定结论",
      verificationDate: "检定日期",
      validUntil: "有效期至",
      issuedAt: "签发时间",
      statusLabel: "证书状态",
    },
  },
  notFound: {
    title: "页面不存在",
    message: "您访问的页面不存在或已被移除。",
  },
};

export type MessageSchema = typeof zhCN;

export default zhCN;
