/** The look-up categories of the 便民服务 page, with their filters and table columns. */
export type LookupCategory =
  | "institutions"
  | "calibration"
  | "experts"
  | "staff"
  | "manufacturers"
  | "users"
  | "declarations"
  | "certificates";

export type LookupFilter = "name" | "personName" | "divisionCode" | "specialty" | "institution" | "product";

export interface LookupColumn {
  /** Field of a result row. */
  prop: string;
  /** Key under lookups.columns. */
  labelKey: string;
  width?: number;
}

export interface LookupCategoryConfig {
  filters: LookupFilter[];
  columns: LookupColumn[];
}

export const LOOKUP_CATEGORIES: LookupCategory[] = [
  "institutions",
  "calibration",
  "experts",
  "staff",
  "manufacturers",
  "users",
  "declarations",
  "certificates",
];

const INSTITUTION_COLUMNS: LookupColumn[] = [
  { prop: "name", labelKey: "name" },
  { prop: "divisionName", labelKey: "division", width: 110 },
  { prop: "authorisationNumber", labelKey: "authorisation", width: 200 },
  { prop: "services", labelKey: "services", width: 110 },
  { prop: "serviceScope", labelKey: "scope" },
  { prop: "servicePhone", labelKey: "phone", width: 130 },
];

export const CATEGORY_CONFIG: Record<Exclude<LookupCategory, "certificates">, LookupCategoryConfig> = {
  institutions: { filters: ["name", "divisionCode"], columns: INSTITUTION_COLUMNS },
  calibration: { filters: ["name", "divisionCode"], columns: INSTITUTION_COLUMNS },
  experts: {
    filters: ["personName", "specialty"],
    columns: [
      { prop: "name", labelKey: "personName", width: 100 },
      { prop: "committee", labelKey: "committee" },
      { prop: "specialty", labelKey: "specialty", width: 140 },
      { prop: "employer", labelKey: "employer" },
      { prop: "title", labelKey: "titleRank", width: 110 },
    ],
  },
  staff: {
    filters: ["personName", "institution"],
    columns: [
      { prop: "name", labelKey: "personName", width: 120 },
      { prop: "institutionName", labelKey: "institution" },
      { prop: "qualification", labelKey: "qualification" },
    ],
  },
  manufacturers: {
    filters: ["name", "product", "divisionCode"],
    columns: [
      { prop: "name", labelKey: "name" },
      { prop: "divisionName", labelKey: "division", width: 110 },
      { prop: "products", labelKey: "products" },
      { prop: "patternApprovalNumbers", labelKey: "approvals" },
    ],
  },
  users: {
    filters: ["name", "divisionCode"],
    columns: [
      { prop: "name", labelKey: "name" },
      { prop: "divisionName", labelKey: "division", width: 160 },
    ],
  },
  declarations: {
    filters: ["name", "product", "divisionCode"],
    columns: [
      { prop: "enterpriseName", labelKey: "enterprise" },
      { prop: "divisionName", labelKey: "division", width: 110 },
      { prop: "products", labelKey: "products" },
      { prop: "declarationNumber", labelKey: "declarationNumber", width: 150 },
      { prop: "declaredOn", labelKey: "declaredOn", width: 110 },
      { prop: "statusLabel", labelKey: "status", width: 80 },
    ],
  },
};

/** Returns the category named in the route, or the first one for anything else. */
export function categoryFromRoute(value: unknown): LookupCategory {
  return LOOKUP_CATEGORIES.includes(value as LookupCategory) ? (value as LookupCategory) : "institutions";
}
