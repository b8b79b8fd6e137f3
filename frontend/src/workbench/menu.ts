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
  // Enterprise services: instrument ledger, enterprise information, certificates.
  {
    path: "ledger",
    name: "ledger",
    titleKey: "enterprise.menu.ledger",
    permission: "instruments.view",
    group: "enterprise",
    component: () => import("@/views/enterprise/LedgerView.vue"),
  },
  {
    path: "ledger/new",
    name: "ledger-file",
    titleKey: "enterprise.menu.file",
    permission: "instruments.manage",
    group: "enterprise",
    component: () => import("@/views/enterprise/InstrumentFormView.vue"),
  },
  {
    path: "ledger/import",
    name: "ledger-import",
    titleKey: "enterprise.menu.import",
    permission: "instruments.manage",
    group: "enterprise",
    component: () => import("@/views/enterprise/LedgerImportView.vue"),
  },
  {
    path: "ledger/:id",
    name: "ledger-detail",
    titleKey: "enterprise.menu.detail",
    permission: "instruments.view",
    hidden: true,
    props: true,
    component: () => import("@/views/enterprise/InstrumentDetailView.vue"),
  },
  {
    path: "ledger/:id/edit",
    name: "ledger-edit",
    titleKey: "enterprise.menu.edit",
    permission: "instruments.manage",
    hidden: true,
    props: true,
    component: () => import("@/views/enterprise/InstrumentFormView.vue"),
  },
  {
    path: "certificates",
    name: "my-certificates",
    titleKey: "enterprise.menu.certificates",
    permission: "certificates.view",
    group: "enterprise",
    component: () => import("@/views/enterprise/MyCertificatesView.vue"),
  },
  {
    path: "maintenance",
    name: "maintenance-records",
    titleKey: "enterprise.menu.maintenance",
    permission: "instruments.view",
    group: "enterprise",
    component: () => import("@/views/enterprise/MaintenanceRecordsView.vue"),
  },
  {
    path: "enterprise-info",
    name: "enterprise-info",
    titleKey: "enterprise.menu.profile",
    permission: "organisation.view",
    group: "organisation",
    component: () => import("@/views/enterprise/EnterpriseInfoView.vue"),
  },
  {
    path: "training",
    name: "training-records",
    titleKey: "enterprise.menu.training",
    permission: "organisation.view",
    group: "organisation",
    component: () => import("@/views/enterprise/TrainingRecordsView.vue"),
  },
  {
    path: "messages",
    name: "messages",
    titleKey: "messages.title",
    permission: "messages.view",
    group: "overview",
    component: () => import("@/views/messages/MessageCentreView.vue"),
  },
  {
    path: "labels",
    name: "labels",
    titleKey: "labels.title",
    permission: "instruments.print_labels",
    group: "enterprise",
    component: () => import("@/views/labels/LabelPrintView.vue"),
  },
  // Verification applications and records.
  {
    path: "applications",
    name: "applications",
    titleKey: "applications.menu.list",
    permission: "applications.submit",
    group: "enterprise",
    component: () => import("@/views/applications/ApplicationListView.vue"),
  },
  {
    path: "applications/new",
    name: "application-new",
    titleKey: "applications.menu.create",
    permission: "applications.submit",
    hidden: true,
    component: () => import("@/views/applications/ApplicationNewView.vue"),
  },
  {
    path: "applications/:id",
    name: "application-detail",
    titleKey: "applications.menu.detail",
    permission: "applications.view",
    hidden: true,
    props: true,
    component: () => import("@/views/applications/ApplicationDetailView.vue"),
  },
  {
    path: "tasks",
    name: "application-tasks",
    titleKey: "applications.menu.tasks",
    permission: "applications.view",
    group: "enterprise",
    component: () => import("@/views/applications/MyTasksView.vue"),
  },
  {
    path: "bookings",
    name: "bookings",
    titleKey: "applications.menu.bookings",
    permission: "bookings.confirm",
    group: "institution",
    component: () => import("@/views/applications/BookingsView.vue"),
  },
  {
    path: "acceptance",
    name: "acceptance",
    titleKey: "applications.menu.acceptance",
    permission: "acceptance.receive",
    group: "institution",
    component: () => import("@/views/applications/AcceptanceView.vue"),
  },
  {
    path: "records",
    name: "records",
    titleKey: "records.menu.list",
    permission: "records.enter",
    group: "institution",
    component: () => import("@/views/records/RecordListView.vue"),
  },
  {
    path: "record-checks",
    name: "record-checks",
    titleKey: "records.menu.check",
    permission: "records.check",
    group: "institution",
    component: () => import("@/views/records/RecordListView.vue"),
  },
  {
    path: "record-approvals",
    name: "record-approvals",
    titleKey: "records.menu.approve",
    permission: "records.approve",
    group: "institution",
    component: () => import("@/views/records/RecordListView.vue"),
  },
  {
    path: "records/entry/:id",
    name: "record-entry",
    titleKey: "records.menu.entry",
    permission: "records.enter",
    hidden: true,
    props: true,
    component: () => import("@/views/records/RecordEntryView.vue"),
  },
  {
    path: "records/:id",
    name: "record-detail",
    titleKey: "records.menu.detail",
    hidden: true,
    props: true,
    component: () => import("@/views/records/RecordDetailView.vue"),
  },
  {
    path: "out-of-province",
    name: "out-of-province",
    titleKey: "applications.menu.outOfProvince",
    permission: "applications.confirm_out_of_province",
    group: "regulator",
    component: () => import("@/views/applications/OutOfProvinceView.vue"),
  },
  {
    path: "division-applications",
    name: "division-applications",
    titleKey: "applications.menu.division",
    // Regulators read the list with applications.view, which enterprise staff also
    // hold for their tasks, so the menu entry keys on a regulator-only permission.
    permission: "supervision.view",
    group: "regulator",
    component: () => import("@/views/applications/DivisionApplicationsView.vue"),
  },
  {
    path: "interaction/mine",
    name: "my-interactions",
    titleKey: "interaction.mine.title",
    permission: "interactions.submit",
    group: "overview",
    component: () => import("@/views/interaction/MyInteractionsView.vue"),
  },
  {
    path: "notices/inbox",
    name: "notice-inbox",
    titleKey: "notices.inbox.title",
    permission: "messages.view",
    group: "overview",
    component: () => import("@/views/notices/NoticeInboxView.vue"),
  },
  {
    path: "interaction/answer",
    name: "interaction-answer",
    titleKey: "interaction.handle.answerTitle",
    permission: "interactions.answer",
    group: "institution",
    component: () => import("@/views/interaction/InteractionHandleView.vue"),
  },
  {
    path: "interaction/handle",
    name: "interaction-handle",
    titleKey: "interaction.handle.title",
    permission: "interactions.handle",
    group: "regulator",
    component: () => import("@/views/interaction/InteractionHandleView.vue"),
  },
  {
    path: "surveys/manage",
    name: "survey-manage",
    titleKey: "surveys.manage.title",
    permission: "surveys.manage",
    group: "regulator",
    component: () => import("@/views/surveys/SurveyManageView.vue"),
  },
  {
    path: "notices/publish",
    name: "notice-publish",
    titleKey: "notices.publish.title",
    permission: "notices.publish",
    group: "regulator",
    component: () => import("@/views/notices/NoticePublishView.vue"),
  },
  // Institution qualifications, quality management and certificate templates (qualifications worker).
  {
    path: "authorisations",
    name: "authorisations",
    titleKey: "qualifications.menu.authorisations",
    permission: "qualifications.view",
    group: "institution",
    component: () => import("@/views/qualifications/AuthorisationView.vue"),
  },
  {
    path: "staff-qualifications",
    name: "staff-qualifications",
    titleKey: "qualifications.menu.staff",
    permission: "qualifications.view",
    group: "institution",
    component: () => import("@/views/qualifications/StaffQualificationView.vue"),
  },
  {
    path: "fee-standards",
    name: "fee-standards",
    titleKey: "qualifications.menu.fees",
    permission: "qualifications.view",
    group: "institution",
    component: () => import("@/views/qualifications/FeeStandardView.vue"),
  },
  {
    path: "measurement-standards",
    name: "measurement-standards",
    titleKey: "standards.menu.standards",
    permission: "standards.view",
    group: "institution",
    component: () => import("@/views/standards/MeasurementStandardView.vue"),
  },
  {
    path: "standard-equipment",
    name: "standard-equipment",
    titleKey: "standards.menu.equipment",
    permission: "standards.view",
    group: "institution",
    component: () => import("@/views/standards/StandardEquipmentView.vue"),
  },
  {
    path: "regulation-library",
    name: "regulation-library",
    titleKey: "standards.menu.library",
    permission: "standards.view",
    group: "institution",
    component: () => import("@/views/standards/RegulationLibraryView.vue"),
  },
  {
    path: "management-documents",
    name: "management-documents",
    titleKey: "documents.menu",
    permission: "documents.view",
    group: "institution",
    component: () => import("@/views/documents/DocumentListView.vue"),
  },
  {
    path: "certificate-templates",
    name: "certificate-templates",
    titleKey: "qualifications.menu.templates",
    permission: "certificates.manage_templates",
    group: "institution",
    component: () => import("@/views/qualifications/CertificateTemplateView.vue"),
  },
  {
    path: "certificate-voiding",
    name: "certificate-voiding",
    titleKey: "qualifications.menu.voiding",
    permission: "certificates.void",
    group: "institution",
    component: () => import("@/views/qualifications/CertificateVoidView.vue"),
  },
  {
    // The public capability look-up inside the workbench, for enterprises choosing an institution.
    path: "capabilities",
    name: "workbench-capabilities",
    titleKey: "qualifications.menu.capabilities",
    permission: "applications.view",
    group: "enterprise",
    component: () => import("@/views/capabilities/CapabilityLookupView.vue"),
  },
  {
    path: "organisations",
    name: "organisations",
    titleKey: "organisations.menu.organisations",
    permission: "organisations.view",
    group: "regulator",
    component: () => import("@/views/organisations/OrganisationsView.vue"),
  },
  {
    path: "users",
    name: "users",
    titleKey: "organisations.menu.users",
    permission: "users.manage",
    group: "organisation",
    component: () => import("@/views/users/UsersView.vue"),
  },
  {
    path: "registrations",
    name: "registrations",
    titleKey: "registration.review.menu",
    permission: "registrations.review",
    group: "regulator",
    component: () => import("@/views/registration/RegistrationReviewView.vue"),
  },
  {
    path: "registrations/:id",
    name: "registration-detail",
    titleKey: "registration.review.detailTitle",
    permission: "registrations.review",
    hidden: true,
    props: true,
    component: () => import("@/views/registration/RegistrationDetailView.vue"),
  },
];
