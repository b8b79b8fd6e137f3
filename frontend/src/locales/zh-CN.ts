// Every string the portal shows, grouped by screen. `common` contains the shared ones.
// Larger areas keep their messages in zh-CN/<area>.ts and are listed here by key.
import account from "./zh-CN/account";
import applications from "./zh-CN/applications";
import enterprise from "./zh-CN/enterprise";
import labels from "./zh-CN/labels";
import messages from "./zh-CN/messages";
import records from "./zh-CN/records";
import workbench from "./zh-CN/workbench";
import interaction from "./zh-CN/interaction";
import surveys from "./zh-CN/surveys";
import notices from "./zh-CN/notices";
import lookups from "./zh-CN/lookups";
import qualifications from "./zh-CN/qualifications";
import standards from "./zh-CN/standards";
import documents from "./zh-CN/documents";
import portal from "./zh-CN/portal";
import organisations from "./zh-CN/organisations";
import registration from "./zh-CN/registration";

const zhCN = {
  app: {
    name: "河南省计量综合服务管理平台",
    nav: {
      label: "主导航",
      home: "首页",
      certificateCheck: "证书验伪",
    },
    account: {
      login: "登录",
      logout: "退出",
      logoutFailed: "退出登录失败，请稍后重试",
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
    reissuedAsLabel: "已重新签发，新证书编号：",
    replacesLabel: "本证书代替已作废的证书：",
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
  login: {
    title: "登录",
    heading: "业务用户登录",
    username: "用户名",
    usernamePlaceholder: "请输入用户名",
    password: "密码",
    passwordPlaceholder: "请输入密码",
    submit: "登录",
    signedInAs: "当前已登录为 {name}，重新登录将切换账号。",
    help: "账号由所在单位或平台管理员开通。已验证手机号码或邮箱的用户可自助找回密码，其他情况请联系管理员。",
    validation: {
      usernameRequired: "请输入用户名",
      passwordRequired: "请输入密码",
    },
    requestFailed: "登录失败，请稍后重试",
  },
  changePassword: {
    title: "修改密码",
    mustChangeNotice: "首次登录或密码重置后须修改密码",
    mustChangeDetail: "修改密码前不能使用其他业务功能。",
    oldPassword: "当前密码",
    oldPasswordPlaceholder: "请输入当前密码",
    newPassword: "新密码",
    newPasswordPlaceholder: "请输入新密码",
    confirmPassword: "确认新密码",
    confirmPasswordPlaceholder: "请再次输入新密码",
    policy: "至少 8 位，包含大写字母、小写字母、数字、符号中的至少 3 类，不能包含用户名，不能与最近 5 次密码相同",
    submit: "确认修改",
    success: "密码已修改",
    validation: {
      oldPasswordRequired: "请输入当前密码",
      newPasswordRequired: "请输入新密码",
      confirmPasswordRequired: "请再次输入新密码",
      confirmMismatch: "两次输入的新密码不一致",
    },
    requestFailed: "修改密码失败，请稍后重试",
  },
  profile: {
    title: "个人信息",
    displayName: "姓名",
    username: "用户名",
    organisation: "所属单位",
    changePassword: "修改密码",
    logout: "退出登录",
  },
  workbench,
  interaction,
  surveys,
  notices,
  lookups,
  applications,
  records,
  messages,
  labels,
  account,
  enterprise,
  qualifications,
  standards,
  documents,
  portal,
  organisations,
  registration,
  notFound: {
    title: "页面不存在",
    message: "您访问的页面不存在或已被移除。",
  },
};

export type MessageSchema = typeof zhCN;

export default zhCN;
