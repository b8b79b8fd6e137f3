// The workbench frame: side menu groups and the start screen.
export default {
  title: "工作台",
  menuLabel: "业务菜单",
  groups: {
    overview: "概览",
    enterprise: "企业服务",
    institution: "机构业务",
    regulator: "监管业务",
    organisation: "单位与账号",
  },
  forbidden: "您没有使用该功能的权限。如需办理，请联系本单位管理员分配角色。",
  home: {
    title: "工作台首页",
    greeting: "您好，{name}",
    roles: "当前角色",
    noRoles: "您还没有任何角色，请联系本单位管理员分配。",
    shortcuts: "常用功能",
  },
};
