import type { RouteRecordRaw } from "vue-router";

/**
 * The business screens ("workbench"). Each entry is one screen: its route under
 * /workbench and its place in the side menu. Add one entry per screen; the menu shows
 * an entry only to users who hold its permission, and the router refuses the route to
 * the others. The server checks every request again: hiding an entry is a convenience.
 */
export interface WorkbenchEntry {
  /** Path below /workbench, such as "ledger" or "ledger/:id". */
  path: string;
  name: string;
  /** Message key of the menu label and page title. */
  titleKey: string;
  /** Permission code from business/access/catalogue.py; omitted means every signed-in user. */
  permission?: string;
  /** Menu group; entries without a group or with `hidden` do not appear in the menu. */
  group?: MenuGroup;
  hidden?: boolean;
  component: RouteRecordRaw["component"];
  props?: boolean;
}

export type MenuGroup = "overview" | "enterprise" | "institution" | "regulator" | "organisation";

export const MENU_GROUPS: MenuGroup[] = ["overview", "enterprise", "institution", "regulator", "organisation"];

export const workbenchEntries: WorkbenchEntry[] = [
  {
    path: "",
    name: "workbench",
    titleKey: "workbench.home.title",
    group: "overview",
    component: () => import("@/views/workbench/WorkbenchHomeView.vue"),
  },
  // Each area adds its entries below this line.
];
